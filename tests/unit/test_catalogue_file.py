"""The catalogue file: sourced defaults, and errors that name file, path and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tradelane.domain.catalog import Mode
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.goods import GoodsClass
from tradelane.files.catalogue_file import (
    catalogue_from_mapping,
    catalogue_to_mapping,
    default_catalogue,
    load_catalogue,
)


def _default_document() -> dict[str, Any]:
    return catalogue_to_mapping(default_catalogue())


def _write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _single_error(path: Path) -> ValidationError:
    with pytest.raises(InputErrors) as caught:
        load_catalogue(path)
    assert len(caught.value.errors) == 1, caught.value.errors
    return caught.value.errors[0]


def test_default_catalogue_covers_every_channel_family() -> None:
    modes = {channel.mode for channel in default_catalogue().channels}
    assert modes == set(Mode)


def test_default_catalogue_carries_the_sourced_limits() -> None:
    catalogue = default_catalogue()
    dhl = catalogue.channel("dhl-express-cn")
    assert dhl.rate_card.volumetric_divisor_cm3_per_kg == 5000  # goglobal.dhl-usa.com
    epacket = catalogue.channel("epacket-cn")
    assert (
        epacket.limits.max_weight_kg,
        epacket.limits.max_side_cm,
        epacket.limits.max_sum_of_sides_cm,
    ) == (2, 60, 90)
    assert GoodsClass.BATTERY_IN_EQUIPMENT not in epacket.accepts  # postal refuses by default
    assert catalogue.channel("fedex-ip-cn").limits.max_length_plus_girth_cm == 330


def test_default_catalogue_has_warehouses_near_buyers() -> None:
    catalogue = default_catalogue()
    assert catalogue.channel("wh-duisburg").origin == "DE"
    assert catalogue.channel("wh-los-angeles").lane_for("US") is not None


def test_catalogue_survives_a_round_trip_through_its_mapping() -> None:
    catalogue = default_catalogue()
    assert catalogue_from_mapping(catalogue_to_mapping(catalogue), where="x") == catalogue


def test_negative_weight_limit_names_file_channel_path_and_value(tmp_path: Path) -> None:
    document = _default_document()
    document["channels"][1]["limits"]["max_weight_kg"] = -5
    error = _single_error(_write(tmp_path, document))
    assert "catalogue.yaml" in error.where and "fedex-ip-cn" in error.where
    assert error.field == "channels[1].limits.max_weight_kg"
    assert error.value == -5


def test_unknown_country_code_is_refused_with_its_path(tmp_path: Path) -> None:
    document = _default_document()
    document["channels"][0]["lanes"][2]["country"] = "XX"
    error = _single_error(_write(tmp_path, document))
    assert error.field == "channels[0].lanes[2].country"
    assert error.value == "XX"
    assert "unknown ISO 3166 country code" in error.message


def test_overlapping_rate_tiers_are_refused(tmp_path: Path) -> None:
    document = _default_document()
    tiers = document["channels"][0]["rate_card"]["zones"]["A"]
    tiers[1]["from_kg"] = 20  # first tier runs to 30 kg
    error = _single_error(_write(tmp_path, document))
    assert error.field == "channels[0].rate_card"
    assert "overlap" in error.message and "(0.0, 30.0]" in error.message


def test_lane_naming_an_unpriced_zone_is_refused(tmp_path: Path) -> None:
    document = _default_document()
    document["channels"][3]["lanes"][0]["zone"] = "NOWHERE"
    error = _single_error(_write(tmp_path, document))
    assert "NOWHERE" in error.message and error.field == "channels[3]"


def test_duplicate_channel_id_is_refused() -> None:
    document = _default_document()
    document["channels"][1]["id"] = document["channels"][0]["id"]
    with pytest.raises(InputErrors, match="duplicate channel id 'dhl-express-cn'"):
        catalogue_from_mapping(document, where="mem")


def test_unknown_key_is_refused_so_typos_do_not_pass_silently() -> None:
    document = _default_document()
    document["channels"][0]["limits"]["max_wieght_kg"] = 3
    with pytest.raises(InputErrors) as caught:
        catalogue_from_mapping(document, where="mem")
    assert caught.value.errors[0].field == "channels[0].limits.max_wieght_kg"


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\n".encode("latin-1"))
    with pytest.raises(ValidationError, match="not UTF-8") as caught:
        load_catalogue(path)
    assert caught.value.where == str(path)


def test_malformed_yaml_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid YAML") as caught:
        load_catalogue(path)
    assert caught.value.where == str(path)
