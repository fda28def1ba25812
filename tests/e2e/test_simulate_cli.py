"""`tradelane simulate` as a user runs it: table, report file, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradelane.entrypoints.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRADELANE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "data"


def test_simulate_compares_strategies_and_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "season.html"
    result = runner.invoke(
        app,
        [
            "simulate",
            "default",
            "--scale",
            "0.02",
            "--seed",
            "5",
            "--out",
            str(out),
            "-s",
            "primary_only",
            "-s",
            "static_backup",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "primary_only" in result.output and "static_backup" in result.output
    assert "on-time" in result.output and str(out) in result.output.replace("\n", "")
    page = out.read_text(encoding="utf-8")
    assert "--seed 5" in page and "Plotly.newPlot" in page


def test_simulate_writes_to_the_data_dir_by_default(data_dir: Path) -> None:
    result = runner.invoke(app, ["simulate", "calm-peak", "--scale", "0.01", "-s", "primary_only"])
    assert result.exit_code == 0, result.output
    assert (data_dir / "reports" / "simulation-calm-peak-2026.html").exists()


def test_an_unknown_scenario_exits_2_and_lists_the_packaged_ones() -> None:
    result = runner.invoke(app, ["simulate", "no-such-season"])
    assert result.exit_code == 2
    assert "default" in result.output


def test_automated_strategy_runs_on_the_production_services(data_dir: Path) -> None:
    result = runner.invoke(app, ["simulate", "default", "--scale", "0.005", "-s", "automated"])
    assert result.exit_code == 0, result.output
    assert "automated" in result.output
    assert (data_dir / "simulations" / "default-automated.db").exists()
