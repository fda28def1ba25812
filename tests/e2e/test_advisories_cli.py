"""The advisories CLI as an operations person drives it: record Long Beach congestion, see it
listed, end it; a scope the kind does not take is refused naming the field."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()
data_dir = cli_data_dir(columns=220)


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_add_list_and_end_an_advisory() -> None:
    run("init")
    added = run(
        "advisories",
        "add",
        "--kind",
        "port_congestion",
        "--port",
        "US-LGB",
        "--severity",
        "0.7",
        "--starts",
        "2026-11-12T00:00:00Z",
        "--source",
        "Marine Exchange",
        "--id",
        "mx-1",
    )
    assert "recorded advisory mx-1 (Marine Exchange)" in added
    listed = run("advisories", "list", "--active", "--at", "2026-11-13T00:00:00Z")
    assert "mx-1" in listed and "clearance_port US-LGB" in listed and "open" in listed
    assert "2026-11-14 00:00" in run("advisories", "end", "mx-1", "--at", "2026-11-14T00:00Z")
    assert "no advisories" in run("advisories", "list", "--active", "--at", "2026-11-15T00:00Z")
    assert "mx-1" in run("advisories", "list")


def test_an_advisory_with_the_wrong_scope_is_refused() -> None:
    run("init")
    output = run(
        "advisories",
        "add",
        "--kind",
        "carrier_outage",
        "--port",
        "US-LGB",
        "--severity",
        "1",
        "--starts",
        "2026-11-12T00:00:00Z",
        "--source",
        "UPS service alert",
        code=2,
    )
    assert "carrier_outage needs carrier" in output
