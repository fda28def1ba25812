"""Webhook endpoints from the command line: parked messages are shown and re-queued."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
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
HOOK = "http://127.0.0.1:1/hook"  # nothing listens there
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdefghijklmnopqrstuv").decode()


data_dir = cli_data_dir(unset=("TRADELANE_WEBHOOKS", "TRADELANE_MONITORING_FILE"))


@pytest.fixture(autouse=True)
def stuck_parcel(data_dir: Path) -> None:
    """A store with one parcel picked up 50 h ago (a stuck-parcel alert to notify about)."""
    engine = make_engine(f"sqlite:///{data_dir / 'tradelane.db'}")
    migrate(engine)
    insert_shipments(engine, a_shipment_row(picked_up_at=NOW - timedelta(hours=50)))
    engine.dispose()


def test_a_removed_destination_is_parked_listed_and_re_queued_when_enabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRADELANE_WEBHOOKS", json.dumps({HOOK: SECRET}))
    assert runner.invoke(app, ["monitor", "sweep", "--at", NOW.isoformat()]).exit_code == 0
    monkeypatch.delenv("TRADELANE_WEBHOOKS")

    delivered = runner.invoke(app, ["monitor", "deliver"])
    assert delivered.exit_code == 0, delivered.output
    assert "0 pending, 1 parked" in delivered.output
    listed = runner.invoke(app, ["monitor", "endpoints"])
    assert HOOK in listed.output and "unconfigured" in listed.output

    monkeypatch.setenv("TRADELANE_WEBHOOKS", json.dumps({HOOK: SECRET}))
    enabled = runner.invoke(app, ["monitor", "enable", HOOK])
    assert enabled.exit_code == 0, enabled.output
    assert "1 parked message(s) queued again" in enabled.output
    retried = runner.invoke(app, ["monitor", "deliver"])
    assert "1 failed (will retry)" in retried.output  # sent again: nothing listens, so it waits
    assert runner.invoke(app, ["monitor", "enable", HOOK]).exit_code == 2  # nothing parked now


def test_enable_for_one_tenant_re_queues_only_that_tenants_parked_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRADELANE_WEBHOOKS", json.dumps({HOOK: SECRET}))
    assert runner.invoke(app, ["monitor", "sweep", "--at", NOW.isoformat()]).exit_code == 0
    monkeypatch.delenv("TRADELANE_WEBHOOKS")
    assert "1 parked" in runner.invoke(app, ["monitor", "deliver"]).output  # the default's
    assert runner.invoke(app, ["monitor", "enable", HOOK, "--tenant", "b"]).exit_code == 2
    enabled = runner.invoke(app, ["monitor", "enable", HOOK, "--tenant", "default"])
    assert enabled.exit_code == 0, enabled.output
    assert "1 parked message(s) queued again" in enabled.output


def test_deliver_at_a_time_sends_only_what_is_due_by_then(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADELANE_WEBHOOKS", json.dumps({HOOK: SECRET}))
    assert runner.invoke(app, ["monitor", "sweep", "--at", NOW.isoformat()]).exit_code == 0
    before = (NOW - timedelta(hours=1)).isoformat()
    early = runner.invoke(app, ["monitor", "deliver", "--at", before])
    assert early.exit_code == 0, early.output
    assert "0 delivered, 0 failed" in early.output and "1 pending" in early.output
    due = runner.invoke(app, ["monitor", "deliver", "--at", NOW.isoformat()])
    assert "1 failed (will retry)" in due.output  # sent: nothing listens, so it waits


def test_deliver_at_a_time_without_offset_names_the_option() -> None:
    refused = runner.invoke(app, ["monitor", "deliver", "--at", "2026-11-27T10:00:00"])
    assert refused.exit_code == 2 and "--at" in refused.output


def test_a_tenants_subscription_is_made_listed_sent_to_and_deleted() -> None:
    made = runner.invoke(app, ["webhooks", "subscribe", HOOK, "--topic", "alert.opened"])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    found = re.search(r"subscription (\d+) of tenant default", made.output)
    assert found is not None
    number = found.group(1)
    listed = runner.invoke(app, ["webhooks", "subscriptions"])
    assert HOOK in listed.output and secret not in listed.output
    assert HOOK not in runner.invoke(app, ["webhooks", "subscriptions", "--tenant", "b"]).output
    assert runner.invoke(app, ["webhooks", "unsubscribe", number, "--tenant", "b"]).exit_code == 2

    assert runner.invoke(app, ["monitor", "sweep", "--at", NOW.isoformat()]).exit_code == 0
    due = runner.invoke(app, ["monitor", "deliver", "--at", NOW.isoformat()])
    assert "1 failed (will retry)" in due.output  # sent: nothing listens, so it waits
    assert "active" in runner.invoke(app, ["monitor", "endpoints"]).output
    deleted = runner.invoke(app, ["webhooks", "unsubscribe", number])
    assert deleted.exit_code == 0, deleted.output
    later = (NOW + timedelta(days=1)).isoformat()
    parked = runner.invoke(app, ["monitor", "deliver", "--at", later])
    assert "0 pending, 1 parked" in parked.output


def test_subscribing_to_an_unknown_topic_names_the_field() -> None:
    refused = runner.invoke(app, ["webhooks", "subscribe", HOOK, "--topic", "alert.opend"])
    assert refused.exit_code == 2 and "topics" in refused.output
