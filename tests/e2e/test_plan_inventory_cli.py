"""`tradelane plan inventory` as a seller drives it: demand export in, replenishment plan out."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()
AS_OF = date(2026, 10, 1)


data_dir = cli_data_dir(columns=250)


def demand_file(path: Path, per_day: dict[tuple[str, str], float]) -> Path:
    rng = np.random.default_rng(3)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "sku", "market", "units"])
        for k in range(400):
            day = AS_OF - timedelta(days=400 - k)
            for (sku, market), rate in per_day.items():
                writer.writerow([day.isoformat(), sku, market, int(rng.poisson(rate))])
    return path


def test_the_plan_ships_more_of_the_faster_seller_and_saves_money(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    history = demand_file(
        tmp_path / "demand.csv",
        {("fast-1", "DE"): 30.0, ("slow-1", "DE"): 2.0, ("fast-1", "US"): 10.0},
    )
    out = tmp_path / "plan.csv"
    result = runner.invoke(
        app,
        [
            "plan",
            "inventory",
            "--date",
            AS_OF.isoformat(),
            "--history",
            str(history),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "singles-day" in result.output and "expected saving" in result.output
    with out.open(encoding="utf-8") as handle:
        rows = {(r["warehouse"], r["sku"]): r for r in csv.DictReader(handle)}
    fast, slow = rows[("DUS", "fast-1")], rows[("DUS", "slow-1")]
    assert int(fast["ship_units"]) > int(slow["ship_units"]) > 0
    assert float(fast["expected_saved"]) > 0
    assert fast["ship_by"] == (date(2026, 11, 11) - timedelta(days=18)).isoformat()
    assert ("LAX", "fast-1") in rows


def test_a_longer_lead_time_option_ships_more(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    history = demand_file(tmp_path / "demand.csv", {("fast-1", "DE"): 30.0})

    def shipped(lead: int) -> int:
        out = tmp_path / f"plan-{lead}.csv"
        args = ["plan", "inventory", "--date", AS_OF.isoformat(), "--history", str(history)]
        result = runner.invoke(app, [*args, "--lead-time", f"DUS={lead}", "--out", str(out)])
        assert result.exit_code == 0, result.output
        with out.open(encoding="utf-8") as handle:
            return int(next(csv.DictReader(handle))["ship_units"])

    assert shipped(10) < shipped(30)


def test_bad_inputs_are_refused_with_the_row_or_option(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,sku,market,units\n2026-09-01,a,DE,3\n2026-13-01,a,DE,3\n", encoding="utf-8"
    )
    refused = runner.invoke(
        app, ["plan", "inventory", "--date", "2026-10-01", "--history", str(bad)]
    )
    assert refused.exit_code == 2 and "row 3" in refused.output and "date" in refused.output
    good = demand_file(tmp_path / "demand.csv", {("a", "DE"): 1.0})
    args = ["plan", "inventory", "--date", "2026-10-01", "--history", str(good)]
    assert "no such warehouse" in runner.invoke(app, [*args, "--lead-time", "XYZ=4"]).output
    assert "unknown peak" in runner.invoke(app, [*args, "--peak", "nope"]).output
