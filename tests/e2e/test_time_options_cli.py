"""Every command's `--at` is read by one parser: the same refusal, naming the option and value."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()

data_dir = cli_data_dir(columns=240, unset=("TRADELANE_WEBHOOKS", "TRADELANE_MONITORING_FILE"))

COMMANDS = (
    ("monitor", "sweep"),
    ("monitor", "deliver"),
    ("switching", "evaluate"),
    ("scorecards",),
)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2026-11-27T09:00", "time has no UTC offset"),
        ("next tuesday", "not an ISO 8601 time"),
        ("1999-12-31T23:00:00+00:00", "time must fall in the years 2000-2099"),
    ],
)
def test_a_bad_at_is_refused_with_the_option_and_value_named(
    command: tuple[str, ...], value: str, problem: str
) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, [*command, "--at", value])
    assert result.exit_code == 2, result.output
    assert f"field '--at': {problem}" in result.output
    assert f"(value: {value!r})" in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_good_at_is_accepted(command: tuple[str, ...]) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, [*command, "--at", "2026-11-27T10:00:00+08:00"])
    assert result.exit_code == 0, result.output
