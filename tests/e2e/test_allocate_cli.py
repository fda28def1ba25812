"""`tradelane allocate` and `tradelane simulate -s optimized` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()


data_dir = cli_data_dir()


def test_allocate_shows_and_stores_the_ratios_of_a_flat_forecast() -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    args = ["allocate", "--date", "2027-01-12", "--volume-per-day", "80", "--country", "DE"]
    result = runner.invoke(app, [*args, "--min-on-time", "0.5"])
    assert result.exit_code == 0, result.output
    assert "stored as quotas" in result.output and "DE" in result.output
    assert "%" in result.output


def test_allocate_names_the_constraints_of_an_infeasible_plan() -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    args = ["allocate", "--date", "2026-11-27", "--volume-per-day", "80", "--country", "BR"]
    result = runner.invoke(app, [*args, "--channel-cap", "0.05", "--carrier-cap", "0.05"])
    assert result.exit_code == 1
    assert "infeasible" in result.output and "on BR" in result.output
    assert "cap" in result.output or "unplaced" in result.output


def test_allocate_reads_measured_figures_and_refuses_bad_ones(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    figures = tmp_path / "scores.csv"
    figures.write_text("channel,lane,on_time_rate\ncn-eu-truck,DE,1.7\n", encoding="utf-8")
    args = ["allocate", "--date", "2027-01-12", "--volume-per-day", "5", "--country", "DE"]
    result = runner.invoke(app, [*args, "--scorecards", str(figures)])
    assert result.exit_code != 0
    assert "on_time_rate" in result.output and "row 2" in result.output


def test_simulate_optimized_runs_beside_primary_only(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    args = ["simulate", "default", "--scale", "0.005", "-s", "optimized", "--json", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "optimized" in result.output and "primary_only" in result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert "optimized" in json.dumps(figures) and "primary_only" in json.dumps(figures)
