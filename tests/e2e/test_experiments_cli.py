"""`tradelane experiments create|status|stop|list` as a user drives them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.cli_run import ok
from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()
AT = "2026-12-01T00:00:00+00:00"


data_dir = cli_data_dir()


@pytest.fixture(autouse=True)
def catalogue(data_dir: object) -> None:
    """Arms are checked against the active catalogue: the default one is installed."""
    ok("init")


def create(*extra: str) -> str:
    return ok(
        "experiments", "create", "mix-de", "--arm", "control=ups-saver-cn",
        "--arm", "dhl=dhl-express-cn,fedex-ip-cn", "--country", "de", "--baseline", "0.80",
        "--min-effect", "0.05", "--at", AT, *extra,
    )  # fmt: skip


def test_create_shows_the_plan_then_status_and_stop() -> None:
    output = create("--method", "sequential")
    assert "906 orders per arm" in output and "1,812 in all" in output
    status = ok("experiments", "status", "mix-de", "--at", AT)
    assert "0 / 906" in status and "sequential, running" in status
    assert "stopped" in ok("experiments", "stop", "mix-de", "--reason", "peak", "--at", AT)
    listed = ok("experiments", "list")
    assert "mix-de" in listed and "dhl-express-cn,fedex-ip-cn" in listed
    again = runner.invoke(app, ["experiments", "stop", "mix-de", "--at", AT])
    assert again.exit_code == 2 and "was stopped" in again.output


def test_bad_arms_and_unknown_experiments_are_clear_errors() -> None:
    bad = runner.invoke(app, ["experiments", "create", "x", "--arm", "only", "--arm", "b=c"])
    assert bad.exit_code == 2 and "NAME=CHANNEL" in bad.output
    single = runner.invoke(app, ["experiments", "create", "x", "--arm", "a=c", "--at", AT])
    assert single.exit_code == 2 and "arms" in single.output
    missing = runner.invoke(app, ["experiments", "status", "nope", "--at", AT])
    assert missing.exit_code == 2 and "experiment 'nope' not found" in missing.output
    create()
    arms = ["--arm", "a=ups-saver-cn", "--arm", "b=dhl-express-cn"]
    twice = runner.invoke(app, ["experiments", "create", "mix-de", *arms, "--at", AT])
    assert twice.exit_code == 2 and "already exists" in twice.output


def test_an_arm_outside_the_catalogue_names_the_arm() -> None:
    unknown = runner.invoke(
        app, ["experiments", "create", "x", "--arm", "a=ups-saver-cn", "--arm", "b=nope"]
    )
    assert unknown.exit_code == 2 and "arms.1.channels" in unknown.output
    assert "nope" in unknown.output
