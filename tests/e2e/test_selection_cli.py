"""`tradelane quote`, `assign`, `explain` and `inventory` as a user drives them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()


data_dir = cli_data_dir(columns=250)


def test_quote_compares_every_channel_with_price_eta_and_reason() -> None:
    result = runner.invoke(
        app,
        [
            "quote",
            "--country",
            "US",
            "--weight",
            "0.4",
            "--size",
            "20x15x5",
            "--value",
            "25",
            "--goods",
            "battery_in_equipment",
            "--date",
            "2026-10-06",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "refuses battery_in_equipment" in lines["epacket-cn"]
    assert "no lane to US" in lines["cn-eu-truck"]
    assert "primary" in result.output and "backup 1" in result.output
    assert "8.0 / 12.0" in lines["cn-us-air-line"]


def test_quote_rejects_a_malformed_size() -> None:
    result = runner.invoke(
        app, ["quote", "--country", "US", "--weight", "1", "--size", "20x15", "--value", "5"]
    )
    assert result.exit_code == 2
    assert "size must be LxWxH" in result.output


def test_assign_reports_the_channel_mix_and_orders_without_a_channel(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    assert runner.invoke(app, ["init"]).exit_code == 0
    runner.invoke(app, ["orders", "sample", "--out", str(orders), "--count", "400"])
    assert runner.invoke(app, ["orders", "import", str(orders)]).exit_code == 0
    result = runner.invoke(app, ["assign"])
    assert result.exit_code == 0, result.output
    assert "channel mix" in result.output and "of 400 orders" in result.output
    assert "no eligible channel" in result.output
    explained = runner.invoke(app, ["explain", "ORD-0000001"])
    assert explained.exit_code == 0 and "->" in explained.output and "Backup 1" in explained.output
    again = runner.invoke(app, ["assign"])
    assert "assigned 0 of" in again.output


def test_assign_a_file_writes_a_csv_and_stores_nothing(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    runner.invoke(app, ["orders", "sample", "--out", str(orders), "--count", "50"])
    runner.invoke(app, ["init"])
    result = runner.invoke(app, ["assign", "--file", str(orders)])
    assert result.exit_code == 0, result.output
    with (tmp_path / "orders.assignments.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 50 and all(r["reason"] for r in rows)
    assert "no new orders to assign" in runner.invoke(app, ["assign"]).output


def test_inventory_import_reports_stock_and_refuses_bad_rows(tmp_path: Path) -> None:
    good, bad = tmp_path / "stock.csv", tmp_path / "bad.csv"
    good.write_text("warehouse,sku,on_hand\nLAX,a,3\nDUS,a,2\nDUS,b,1\n", encoding="utf-8")
    bad.write_text("warehouse,sku,on_hand\nLAX,a,-3\nXYZ,a,1\n", encoding="utf-8")
    before = runner.invoke(app, ["inventory", "import", str(good)])
    assert before.exit_code != 0 and "tradelane init" in before.output
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["inventory", "import", str(good)])
    assert result.exit_code == 0 and "DUS: 2 SKUs in stock, 3 units" in result.output
    refused = runner.invoke(app, ["inventory", "import", str(bad)])
    assert refused.exit_code == 2 and "on_hand" in refused.output
    assert "row 3" in refused.output and "unknown warehouse" in refused.output
    listed = runner.invoke(app, ["inventory", "list"]).output
    assert "LAX: 1 SKUs" in listed and "3 on hand, 0 reserved, 3 available" in listed


def test_each_tenant_imports_and_lists_its_own_stock(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "a.csv", tmp_path / "b.csv"
    mine.write_text("warehouse,sku,on_hand\nDUS,a,2\n", encoding="utf-8")
    theirs.write_text("warehouse,sku,on_hand\nDUS,a,7\n", encoding="utf-8")
    assert runner.invoke(app, ["init"]).exit_code == 0
    for path, tenant in ((mine, "a"), (theirs, "b")):
        loaded = runner.invoke(app, ["inventory", "import", str(path), "--tenant", tenant])
        assert loaded.exit_code == 0, loaded.output
    listed = {t: runner.invoke(app, ["inventory", "list", "--tenant", t]).output for t in "ab"}
    assert "DUS: 1 SKUs: a; 2 on hand" in listed["a"]
    assert "DUS: 1 SKUs: a; 7 on hand" in listed["b"]
    assert "no stock loaded" in runner.invoke(app, ["inventory", "list"]).output


@pytest.mark.slow
def test_the_demo_shows_the_channel_mix_it_chose() -> None:
    result = runner.invoke(app, ["demo", "--orders", "400", "--season-scale", "0.003"])
    assert result.exit_code == 0, result.output
    assert "channel mix chosen" in result.output and "wh-los-angeles" in result.output
