"""`tradelane events prune`: old tracking events are counted, then deleted; a bad age is refused
naming the option."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.builders import NOW
from tests.e2e.cli_env import cli_data_dir
from tests.webhook_signing import generic_body
from tradelane.bootstrap import open_application
from tradelane.carriers.formats import parse_tracking
from tradelane.entrypoints.cli import app
from tradelane.services.webhook_intake import Delivery, receive_deliveries

runner = CliRunner()
data_dir = cli_data_dir()

# Years before any date this suite runs on: older than 400 days whatever the clock says.
SCANS = (("2020-03-01T10:00:00+00:00", "picked_up"), ("2020-03-02T10:00:00+00:00", "in_transit"))


def test_old_events_are_counted_then_pruned() -> None:
    body = generic_body("EV00000001CN", *SCANS)
    delivery = Delivery("generic", message_id="e-1", parsed=parse_tracking(body, format="generic"))
    receive_deliveries([delivery], uow=open_application().uow(), now=NOW)
    counted = runner.invoke(app, ["events", "prune", "--older-than", "400d", "--dry-run"])
    assert counted.exit_code == 0, counted.output
    assert "would delete 2 event(s)" in counted.output
    pruned = runner.invoke(app, ["events", "prune", "--older-than", "400d", "--batch", "1"])
    assert pruned.exit_code == 0, pruned.output
    assert "deleted 2 event(s)" in pruned.output and "(2 batch(es))" in pruned.output
    again = runner.invoke(app, ["events", "prune", "--older-than", "400d"])
    assert "deleted 0 event(s)" in again.output


def test_an_age_without_a_unit_is_refused_naming_the_option() -> None:
    refused = runner.invoke(app, ["events", "prune", "--older-than", "400"])
    assert refused.exit_code != 0 and "--older-than" in refused.output
