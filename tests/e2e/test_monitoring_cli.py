"""Monitoring from the command line: sweep, list, acknowledge, resolve, the scheduled run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.builders import NOW
from tests.e2e.cli_env import cli_data_dir
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.entrypoints.cli import app
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate

runner = CliRunner()
PICKED_UP = NOW - timedelta(hours=50)


data_dir = cli_data_dir(unset=("TRADELANE_WEBHOOKS", "TRADELANE_MONITORING_FILE"))


@pytest.fixture
def stuck_parcel(data_dir: Path) -> str:
    """One parcel picked up 50 h ago that never left the origin country."""
    engine = make_engine(f"sqlite:///{data_dir / 'tradelane.db'}")
    migrate(engine)
    insert_shipments(engine, a_shipment_row("LX123456789CN", picked_up_at=PICKED_UP))
    engine.dispose()
    return "LX123456789CN"


def test_sweep_prints_the_new_alert_and_list_shows_it(stuck_parcel: str) -> None:
    swept = runner.invoke(app, ["monitor", "sweep", "--at", NOW.isoformat()])
    assert swept.exit_code == 0, swept.output
    assert "1 opened" in swept.output and stuck_parcel in swept.output
    listed = runner.invoke(app, ["alerts", "list"])
    assert listed.exit_code == 0, listed.output
    assert "no_departure" in listed.output and "1 open" in listed.output


def test_ack_then_resolve_then_ack_again_is_refused(stuck_parcel: str) -> None:
    runner.invoke(app, ["monitor", "sweep", "--at", NOW.isoformat()])
    acked = runner.invoke(app, ["alerts", "ack", "1"])
    assert acked.exit_code == 0, acked.output
    assert f"alert 1 (no_departure, {stuck_parcel}) acknowledged" in acked.output
    assert runner.invoke(app, ["alerts", "resolve", "1"]).exit_code == 0
    again = runner.invoke(app, ["alerts", "ack", "1"])
    assert again.exit_code == 2
    assert "alert 1 is resolved; it cannot become acknowledged" in again.output
    resolved = runner.invoke(app, ["alerts", "list", "--state", "resolved"])
    assert "resolved" in resolved.output and stuck_parcel in resolved.output


def test_unknown_alert_and_bad_time_exit_2_with_a_clear_message(stuck_parcel: str) -> None:
    missing = runner.invoke(app, ["alerts", "ack", "99"])
    assert missing.exit_code == 2 and "alert 99 not found" in missing.output
    naive = runner.invoke(app, ["monitor", "sweep", "--at", "2026-11-27T09:00"])
    assert naive.exit_code == 2 and "no UTC offset" in naive.output


def test_rule_windows_come_from_a_monitoring_file(stuck_parcel: str, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("overrides:\n  - channel_id: test-line\n    no_departure_hours: 72\n")
    swept = runner.invoke(app, ["monitor", "sweep", "--rules", str(rules), "--at", NOW.isoformat()])
    assert swept.exit_code == 0, swept.output
    assert "0 opened" in swept.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("overrides:\n  - country: XX\n")
    refused = runner.invoke(app, ["monitor", "sweep", "--rules", str(bad)])
    assert refused.exit_code == 2 and "overrides[0].country" in refused.output


def test_the_scheduled_run_sweeps_and_delivers_each_interval(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'tradelane.db'}")
    migrate(engine)
    long_ago = datetime(2020, 1, 6, tzinfo=UTC)  # breaches whatever the clock says today
    insert_shipments(engine, a_shipment_row(picked_up_at=long_ago, promised_at=long_ago))
    engine.dispose()
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    monkeypatch.setenv("TRADELANE_WEBHOOKS", json.dumps({"http://127.0.0.1:9/hook": secret}))
    result = runner.invoke(app, ["monitor", "run", "--every", "1s", "--iterations", "1"])
    assert result.exit_code == 0, result.output
    assert "sweeping every 0:00:01" in result.output
    assert "1 opened" in result.output  # one alert per parcel: no departure, the first broken
    assert "1 webhook messages queued" in result.output
    assert "0 delivered, 1 failed (will retry), 0 postponed, 1 pending" in result.output
