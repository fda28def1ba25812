"""Scenario files: packaged seasons load; bad ones name file, path and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.catalogue_file import catalogue_to_mapping, default_catalogue
from tradelane.files.scenario_file import load_scenario, packaged_scenarios, read_scenario
from tradelane.simulation.scenarios import FlightCancellations, Scenario

PACKAGED = ("default", "calm-peak", "ports-and-customs", "carrier-outage")


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": "test-season",
        "seed": 1,
        "start": "2026-11-07T00:00:00Z",
        "orders": {"baseline_per_day": 100},
    }
    document.update(changes)
    return document


def _write(tmp_path: Path, document: dict[str, Any], name: str = "season.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _errors(path: Path) -> list[ValidationError]:
    with pytest.raises(InputErrors) as caught:
        load_scenario(path)
    return caught.value.errors


def test_every_packaged_scenario_loads_against_the_default_catalogue() -> None:
    assert set(PACKAGED) <= set(packaged_scenarios())
    for name in PACKAGED:
        scenario, catalogue = read_scenario(name)
        assert scenario.name == name and catalogue.channels


def test_packaged_scenarios_cover_every_disruption_kind() -> None:
    kinds = {d.kind for name in PACKAGED for d in read_scenario(name)[0].disruptions}
    assert kinds == {
        "flight_cancellations",
        "port_congestion",
        "customs_slowdown",
        "carrier_outage",
        "warehouse_overload",
    }


def test_default_scenario_disrupts_a_major_channel_over_black_friday() -> None:
    scenario, _ = read_scenario("default")
    (event,) = scenario.disruptions
    assert isinstance(event, FlightCancellations)
    assert event.start.date().isoformat() <= "2026-11-27" < event.end.date().isoformat()
    assert event.severity >= 0.5


def test_black_friday_hours_carry_the_spike_multiplier() -> None:
    scenario, _ = read_scenario("default")
    rates = scenario.hourly_order_rates()
    black_friday_hour = (27 - 7) * 24 + 12  # noon on 2026-11-27, the season starts 11-07
    ordinary_hour = 2 * 24 + 12
    assert rates[black_friday_hour] == pytest.approx(3.0 * rates[ordinary_hour])
    assert len(rates) == scenario.days * 24


def test_scaling_multiplies_demand_and_capacity_alike() -> None:
    scenario, _ = read_scenario("default")
    half = scenario.scaled(0.5)
    assert half.hourly_order_rates().sum() == pytest.approx(scenario.hourly_order_rates().sum() / 2)
    assert half.capacity_scale == pytest.approx(scenario.capacity_scale / 2)


def test_a_severity_above_one_names_file_path_and_value(tmp_path: Path) -> None:
    disruption = {
        "kind": "customs_slowdown",
        "port": "LAX",
        "start": "2026-11-20T00:00:00Z",
        "end": "2026-11-25T00:00:00Z",
        "severity": 1.5,
    }
    path = _write(tmp_path, _document(disruptions=[disruption]))
    (error,) = _errors(path)
    assert error.field == "disruptions[0].customs_slowdown.severity"
    assert error.value == 1.5 and str(path) in error.where


def test_a_disruption_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    disruption = {
        "kind": "carrier_outage",
        "carrier": "ups",
        "start": "2026-11-25T00:00:00Z",
        "end": "2026-11-20T00:00:00Z",
        "severity": 1.0,
    }
    (error,) = _errors(_write(tmp_path, _document(disruptions=[disruption])))
    assert error.field.startswith("disruptions[0]") and "not after start" in error.message


def test_names_unknown_to_the_catalogue_are_each_reported(tmp_path: Path) -> None:
    document = _document(
        channels={"no-such-line": {"pickup_per_day": 10}},
        customs={"XXX": {"parcels_per_day": 10}},
        warehouse_stock={"dhl-express-cn": {"apparel": 0.5}},
        disruptions=[
            {
                "kind": "carrier_outage",
                "carrier": "pony-express",
                "start": "2026-11-20T00:00:00Z",
                "end": "2026-11-21T00:00:00Z",
                "severity": 0.5,
            }
        ],
    )
    errors = _errors(_write(tmp_path, document))
    found = {(e.field, e.value) for e in errors}
    assert ("channels.no-such-line", "no-such-line") in found
    assert ("customs.XXX", "XXX") in found
    assert ("warehouse_stock", "dhl-express-cn") in found
    assert ("disruptions[0].carrier", "pony-express") in found
    assert all(str(tmp_path) in e.where for e in errors)


def test_a_start_without_timezone_is_refused(tmp_path: Path) -> None:
    (error,) = _errors(_write(tmp_path, _document(start="2026-11-07T00:00:00")))
    assert error.field == "start"


def test_unknown_keys_are_refused_with_their_path(tmp_path: Path) -> None:
    (error,) = _errors(_write(tmp_path, _document(orders={"baseline_per_day": 1, "peak": 2})))
    assert error.field == "orders.peak"


def test_a_toml_scenario_reads_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "season.toml"
    path.write_text(
        'name = "toml-season"\nseed = 3\nstart = 2026-11-07T00:00:00Z\ndays = 5\n'
        "[orders]\nbaseline_per_day = 50\n",
        encoding="utf-8",
    )
    scenario, _ = load_scenario(path)
    assert isinstance(scenario, Scenario) and scenario.days == 5


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_scenario(path)
    assert str(path) in caught.value.where and "YAML" in caught.value.message


def test_an_unknown_scenario_name_lists_the_packaged_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        read_scenario("no-such-season")
    assert "default" in caught.value.message


def test_warehouse_stock_becomes_the_first_share_of_each_archetypes_skus() -> None:
    scenario = Scenario.model_validate(
        _document(warehouse_stock={"wh-los-angeles": {"apparel": 0.1}})
    )
    assert scenario.stocked_skus() == {
        "wh-los-angeles": frozenset({"apparel-001", "apparel-002", "apparel-003", "apparel-004"})
    }


def test_a_scenario_runs_on_the_catalogue_file_it_names(tmp_path: Path) -> None:
    document = catalogue_to_mapping(default_catalogue())
    document["channels"] = [c for c in document["channels"] if c["id"] != "hub-latam"]
    (tmp_path / "mine.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    path = _write(tmp_path, _document(catalogue="mine.yaml", orders={"baseline_per_day": 5}))
    _, catalogue = load_scenario(path)
    assert "hub-latam" not in catalogue.channel_ids and len(catalogue.channels) == 14


def test_a_market_no_channel_serves_is_refused(tmp_path: Path) -> None:
    orders = {"baseline_per_day": 5, "markets": {"US": 0.9, "JP": 0.1}}
    (error,) = _errors(_write(tmp_path, _document(orders=orders)))
    assert (error.field, error.value) == ("orders.markets", "JP")
