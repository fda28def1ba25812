"""Rule windows read from a user's YAML or TOML file; errors name path and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.monitoring.rules import RuleId

YAML = """\
defaults:
  no_departure_hours: 36
overrides:
  - channel_id: cn-eu-truck
    no_arrival_hours: 480
  - channel_id: wh-duisburg
    disabled: [no_departure, no_arrival, customs_hold]
  - country: uk
    customs_hold_hours: 96
"""


def test_yaml_file_sets_defaults_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(YAML, encoding="utf-8")
    config = load_monitoring_config(path)
    assert config.defaults.no_departure_hours == 36
    assert config.defaults.no_arrival_hours == 168
    assert config.thresholds_for("cn-eu-truck", "DE").no_arrival_hours == 480
    assert config.thresholds_for("wh-duisburg", "DE").window(RuleId.NO_DEPARTURE) is None
    assert config.thresholds_for("epacket-cn", "GB").customs_hold_hours == 96


def test_toml_file_is_read_by_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[overrides]]\ncountry = "BR"\ncustoms_hold_hours = 168\n', encoding="utf-8")
    assert load_monitoring_config(path).thresholds_for(None, "BR").customs_hold_hours == 168


def test_an_empty_file_means_the_strategy_defaults(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("", encoding="utf-8")
    assert load_monitoring_config(path).defaults.customs_hold_hours == 72


def test_every_bad_entry_is_named_with_path_and_value(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "overrides:\n  - country: XX\n  - channel_id: a\n    no_departure_hours: -1\n"
        "  - channel_id: b\n    disabled: [no_such_rule]\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as caught:
        load_monitoring_config(path)
    found = {(e.field, e.value) for e in caught.value.errors}
    assert ("overrides[0].country", "XX") in found
    assert ("overrides[1].no_departure_hours", -1) in found
    assert any(f.startswith("overrides[2].disabled") for f, _ in found)


def test_a_missing_file_is_a_validation_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read monitoring file"):
        load_monitoring_config(tmp_path / "absent.yaml")
