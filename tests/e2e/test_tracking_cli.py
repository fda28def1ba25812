"""`tradelane track import` and `tradelane shipments show` as a user runs them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import shared_file
from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()


data_dir = cli_data_dir()


def test_import_then_show_prints_the_timeline() -> None:
    path = shared_file("karrio_samples/landmark__MULTI_LEG_DELIVERED_TRACKING_RESPONSE_XML.xml")
    imported = runner.invoke(app, ["track", "import", str(path), "--format", "landmark"])
    assert imported.exit_code == 0, imported.output
    assert "7 new event(s)" in imported.output
    again = runner.invoke(app, ["track", "import", str(path), "--format", "landmark"])
    assert "0 new event(s) from 7 entries (7 already known" in again.output
    shown = runner.invoke(app, ["shipments", "show", "LTN450000001N1"])
    assert shown.exit_code == 0, shown.output
    assert "delivered (closed)" in shown.output
    assert "arrived_destination_country" in shown.output and "Crossing Received" in shown.output
    assert "no open alerts" in shown.output


def test_rejected_entries_are_listed_and_exit_1() -> None:
    path = shared_file("karrio_samples/fedex__TrackingResponse.json")
    result = runner.invoke(app, ["track", "import", str(path), "--format", "fedex"])
    assert result.exit_code == 1
    assert "2 entry(ies) rejected" in result.output
    assert "TRACKING.TRACKINGNUMBER.NOTFOUND" in result.output


def test_carrier_not_found_exits_2_naming_the_carrier_message() -> None:
    path = shared_file("karrio_samples/dhl_express__TrackingSingleNotFound.xml")
    result = runner.invoke(app, ["track", "import", str(path), "--format", "dhl_express"])
    assert result.exit_code == 2
    assert "No Shipments Found for AWBNumber 123456789" in result.output


def test_show_unknown_tracking_number_exits_2() -> None:
    result = runner.invoke(app, ["shipments", "show", "NOPE0000"])
    assert result.exit_code == 2
    assert "shipment 'NOPE0000' not found" in result.output


def test_bad_time_zone_is_refused() -> None:
    path = shared_file("karrio_samples/landmark__TRACKING_RESPONSE_XML.xml")
    args = ["track", "import", str(path), "--format", "landmark", "--assume-tz", "Mars/Base"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "unknown IANA time zone" in result.output


def test_a_payload_of_another_format_exits_2_saying_it_is_not_that_format() -> None:
    path = shared_file("karrio_samples/landmark__MULTI_LEG_DELIVERED_TRACKING_RESPONSE_XML.xml")
    result = runner.invoke(app, ["track", "import", str(path), "--format", "dhl_express"])
    assert result.exit_code == 2, result.output
    assert "not a dhl_express payload" in result.output
    assert "new event(s)" not in result.output


def test_same_instant_milestones_of_a_csv_are_all_imported(tmp_path: Path) -> None:
    path = tmp_path / "tracking.csv"
    path.write_text(
        "carrier,tracking_number,occurred_at,milestone\n"
        + "".join(
            f"yunexpress,YT2611210000001,2026-11-{day}T00:00:00+00:00,{milestone}\n"
            for day, milestone in (
                (21, "picked_up"),
                (21, "departed_origin"),
                (28, "arrived_destination_country"),
                (28, "customs_cleared"),
                (28, "delivered"),
            )
        )
    )
    imported = runner.invoke(app, ["track", "import", str(path), "--format", "csv"])
    assert "5 new event(s) from 5 entries (0 already known" in imported.output
    shown = runner.invoke(app, ["shipments", "show", "YT2611210000001"])
    assert "delivered (closed)" in shown.output
