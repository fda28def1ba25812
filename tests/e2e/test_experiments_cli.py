"""`tradelane experiments create|status|stop|list` as a user drives them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradelane.entrypoints.cli import app

runner = CliRunner()
AT = "2026-12-01T00:00:00+00:00"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRADELANE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRADELANE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "data"


def create(*extra: str) -> str:
    result = runner.invoke(
        app,
        ["experiments", "create", "mix-de", "--arm", "control=ups-saver-cn",
         "--arm", "dhl=dhl-express-cn,fedex-ip-cn", "--country", "de", "--baseline", "0.80",
         "--min-effect", "0.05", "--at", AT, *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_create_shows_the_plan_then_status_and_stop() -> None:
    output = create("--method", "sequential")
    assert "906 orders per arm" in output and "1,812 in all" in output
    status = runner.invoke(app, ["experiments", "status", "mix-de", "--at", AT])
    assert status.exit_code == 0, status.output
    assert "0 / 906" in status.output and "sequential, running" in status.output
    stopped = runner.invoke(app, ["experiments", "stop", "mix-de", "--reason", "peak", "--at", AT])
    assert stopped.exit_code == 0 and "stopped" in stopped.output
    listed = runner.invoke(app, ["experiments", "list"])
    assert "mix-de" in listed.output and "dhl-express-cn,fedex-ip-cn" in listed.output
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
    twice = runner.invoke(
        app, ["experiments", "create", "mix-de", "--arm", "a=x", "--arm", "b=y", "--at", AT]
    )
    assert twice.exit_code == 2 and "already exists" in twice.output
