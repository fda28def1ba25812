"""From a Shopify export to a parcel the monitoring sees, through the CLI only:
import --format shopify -> assign -> ship (manual line) -> tracking -> shipments show ->
late_delivery alert on the right order and channel -> lane health counts the parcel."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import time_machine

from tests.cli_run import ok, runner
from tests.e2e.cli_env import cli_data_dir
from tests.shopify_rows import PRODUCTS, two_order_export
from tradelane.entrypoints.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


data_dir = cli_data_dir(columns=220, unset=("TRADELANE_CARRIER_ACCOUNTS",))


def test_a_shopify_order_ships_and_its_tracking_reaches_monitoring(
    tmp_path: Path, fixed_clock: time_machine.Traveller
) -> None:
    export, products = two_order_export(tmp_path)
    ok("init")
    assert "imported 2 orders" in ok(
        "orders", "import", str(export), "--format", "shopify", "--products", str(products)
    )
    ok("assign")
    shipped = ok(
        "ship",
        "--order",
        "2001",
        "--tracking-number",
        "LX555000111CN",
        "--at",
        "2026-11-28T09:00:00+08:00",
    )
    channel = re.search(r"2001\s*│\s*(\S+)\s*│\s*LX555000111CN\s*│\s*manual", shipped)
    assert channel is not None, shipped
    channel_id = channel.group(1)
    tracking = tmp_path / "scans.csv"
    tracking.write_text(
        "carrier,tracking_number,occurred_at,milestone,location,country\n"
        "line,LX555000111CN,2026-11-28T18:00:00+08:00,picked_up,Shenzhen,CN\n"
        "line,LX555000111CN,2026-11-29T23:00:00+08:00,departed_origin,Shenzhen,CN\n",
        encoding="utf-8",
    )
    fixed_clock.move_to(datetime(2026, 11, 30, 12, tzinfo=UTC))  # the scans are reported
    ok("track", "import", str(tracking), "--format", "csv")
    shown = ok("shipments", "show", "LX555000111CN")
    assert f"order 2001, channel {channel_id}" in shown
    assert "departed_origin" in shown
    swept = ok("monitor", "sweep", "--at", "2026-12-20T00:00:00+00:00")
    assert "no_arrival" in swept  # one alert per parcel: the first rule it breaks
    alerts = ok("alerts", "list")
    row = rf"no_arrival\s*│\s*LX555000111CN\s*│\s*{re.escape(channel_id)}\s*│"
    assert re.search(row, alerts), alerts
    health = ok("switching", "health", "--at", "2026-12-01T00:00:00+00:00", "--channel", channel_id)
    assert re.search(rf"{re.escape(channel_id)}\s*│\s*US\s*│\s*1\s*│", health), health


def test_ship_without_order_ids_ships_every_assigned_order_once(tmp_path: Path) -> None:
    export, products = two_order_export(tmp_path)
    ok("init")
    ok("orders", "import", str(export), "--format", "shopify", "--products", str(products))
    ok("assign")
    first = ok("ship", "--at", "2026-11-28T09:00:00+08:00")
    assert "2 order(s) shipped" in first
    assert "0 order(s) shipped" in ok("ship", "--at", "2026-11-28T09:00:00+08:00")


def test_registered_handoffs_are_idempotent_and_conflicts_name_both_orders(
    tmp_path: Path,
) -> None:
    export, products = two_order_export(tmp_path)
    ok("init")
    ok("orders", "import", str(export), "--format", "shopify", "--products", str(products))
    handoffs = tmp_path / "handoffs.csv"
    header = "order_id,channel_id,tracking_number,handed_over_at,label_cost,currency\n"
    handoffs.write_text(
        header + "2001,epacket-cn,LX777000111CN,2026-11-28T10:00:00+08:00,3.10,USD\n"
    )
    assert "1 hand-off(s) recorded" in ok("shipments", "register", str(handoffs))
    assert "1 already recorded" in ok("shipments", "register", str(handoffs))
    assert "order 2001, channel epacket-cn" in ok("shipments", "show", "LX777000111CN")
    clash = tmp_path / "clash.csv"
    clash.write_text(header + "2002,epacket-cn,LX777000111CN,2026-11-28T10:00:00+08:00,,\n")
    refused = runner.invoke(app, ["shipments", "register", str(clash)])
    assert refused.exit_code == 2
    assert "'2001'" in refused.output and "'2002'" in refused.output
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(header + "9999,epacket-cn,LX777000222CN,2026-11-28T10:00:00+08:00,,\n")
    missing = runner.invoke(app, ["shipments", "register", str(unknown)])
    assert missing.exit_code == 2 and "unknown order" in missing.output and "9999" in missing.output


def test_a_shopify_export_without_products_is_refused(tmp_path: Path) -> None:
    export, _ = two_order_export(tmp_path)
    ok("init")
    refused = runner.invoke(app, ["orders", "import", str(export), "--format", "shopify"])
    assert refused.exit_code == 2 and "--products" in refused.output


def test_a_sku_missing_from_products_stores_nothing_and_names_the_sku(tmp_path: Path) -> None:
    export, products = two_order_export(tmp_path)
    products.write_text(PRODUCTS.replace("MUG-1,0.4,,,,,\n", ""), encoding="utf-8")
    ok("init")
    refused = runner.invoke(
        app, ["orders", "import", str(export), "--format", "shopify", "--products", str(products)]
    )
    assert refused.exit_code == 2
    assert "nothing was stored" in refused.output and "MUG-1" in refused.output
    again = runner.invoke(app, ["shipments", "show", "LX0000"])
    assert again.exit_code == 2


def test_the_shipped_examples_import(tmp_path: Path) -> None:
    ok("init")
    products = str(EXAMPLES / "products.csv")
    shopify = ok(
        "orders",
        "import",
        str(EXAMPLES / "shopify_orders_export.csv"),
        "--format",
        "shopify",
        "--products",
        products,
    )
    assert re.search(r"imported \d+ orders", shopify)
    mapped = ok(
        "orders",
        "import",
        str(EXAMPLES / "oms_orders.csv"),
        "--mapping",
        str(EXAMPLES / "orders_mapping.yaml"),
        "--products",
        products,
    )
    assert re.search(r"imported \d+ orders", mapped)
