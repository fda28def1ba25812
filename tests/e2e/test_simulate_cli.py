"""`tradelane simulate` as a user runs it: table, report file, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()


data_dir = cli_data_dir()


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


def test_simulate_writes_every_figure_per_strategy_to_a_json_file(tmp_path: Path) -> None:
    figures, page = tmp_path / "out" / "figures.json", tmp_path / "season.html"
    options = ["--json", str(figures), "--out", str(page)]
    strategies = ["-s", "primary_only", "-s", "automated", "-s", "oracle"]
    result = runner.invoke(
        app, ["simulate", "default", "--scale", "0.01", "--seed", "3", *options, *strategies]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(figures.read_text(encoding="utf-8"))
    assert (document["scenario"], document["seed"], document["scale"]) == ("default", 3, 0.01)
    rows = {row["strategy"]: row for row in document["strategies"]}
    assert list(rows) == ["primary_only", "automated", "oracle"]
    assert rows["automated"]["alerts"] > 0 and rows["primary_only"]["alert_precision"] is None
    for row in rows.values():
        assert row["orders"] == document["orders"] > 0
        assert 0.0 <= row["on_time_rate"] <= 1.0
        assert row.keys() >= {"early_warning_recall", "median_warning_lead_hours", "switches"}
    if rows["oracle"]["oracle_gain_share"] is not None:
        assert rows["oracle"]["oracle_gain_share"] == 1.0
        assert rows["primary_only"]["oracle_gain_share"] == 0.0
    assert "alert precision" in page.read_text(encoding="utf-8")
    assert "share of oracle" in result.output
