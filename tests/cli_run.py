"""Run the CLI in-process and insist that it succeeds."""

from __future__ import annotations

from typer.testing import CliRunner

from tradelane.entrypoints.cli import app

runner = CliRunner()


def ok(*args: str) -> str:
    """The command's output; fails the test, showing the output, when it exits non-zero."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output
