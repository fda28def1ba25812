"""Reading a Shopify orders export as it comes, with weights from the products file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.shopify_rows import PRODUCTS, an_order_rows, write_export
from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Order
from tradelane.files.products_file import read_products
from tradelane.files.shopify_orders import read_shopify_orders


def read(tmp_path: Path, *orders: list[dict[str, str]]) -> list[Order | ValidationError]:
    (tmp_path / "products.csv").write_text(PRODUCTS, encoding="utf-8")
    products = read_products(tmp_path / "products.csv")
    _, entries = read_shopify_orders(
        write_export(tmp_path / "orders_export.csv", *orders), products
    )
    return [entry for _, entry in entries]


def test_an_orders_rows_become_one_order_with_the_products_weights(tmp_path: Path) -> None:
    rows = an_order_rows(lines=(("CASE-1", 2, "12.90"), ("LAMP-1", 1, "39.00")))
    [order] = read(tmp_path, rows)
    assert isinstance(order, Order)
    assert order.order_id == "1001" and order.marketplace == "shopify"
    assert [(line.sku, line.quantity, line.unit_value) for line in order.lines] == [
        ("CASE-1", 2, Decimal("12.90")),
        ("LAMP-1", 1, Decimal("39.00")),
    ]
    assert order.weight_kg == pytest.approx(2 * 0.05 + 0.9)
    assert order.lines[1].hs_code == "940520"
    assert order.goods_classes == {GoodsClass.GENERAL, GoodsClass.BATTERY_IN_EQUIPMENT}


def test_created_at_keeps_the_shops_offset_and_the_zip_loses_its_apostrophe(
    tmp_path: Path,
) -> None:
    [order] = read(tmp_path, an_order_rows(zip_code="'02139"))
    assert isinstance(order, Order)
    assert order.created_at.isoformat() == "2026-11-27T10:15:31+08:00"
    assert order.destination.postcode == "02139"


def test_lines_that_need_no_shipping_and_cancelled_orders_are_left_out(tmp_path: Path) -> None:
    gift = an_order_rows("#1002", lines=(("CASE-1", 1, "12.90"), ("GIFT-25", 1, "25.00")))
    gift[1]["Lineitem requires shipping"] = "false"
    cancelled = an_order_rows("#1003", **{"Cancelled at": "2026-11-28 15:02:40 +0800"})
    only_gift = an_order_rows("#1004", lines=(("GIFT-25", 1, "25.00"),))
    only_gift[0]["Lineitem requires shipping"] = "false"
    orders = read(tmp_path, gift, cancelled, only_gift)
    assert [(o.order_id, o.skus) for o in orders if isinstance(o, Order)] == [("1002", ["CASE-1"])]
    assert len(orders) == 1


def test_an_express_shipping_method_makes_the_order_express(tmp_path: Path) -> None:
    express, standard = read(
        tmp_path,
        an_order_rows("#1", method="DHL Express Worldwide"),
        an_order_rows("#2", method="Standard International"),
    )
    assert isinstance(express, Order) and isinstance(standard, Order)
    assert (express.urgency, standard.urgency) == (Urgency.EXPRESS, Urgency.STANDARD)


def test_a_line_discount_lowers_the_declared_unit_value(tmp_path: Path) -> None:
    rows = an_order_rows(lines=(("CASE-1", 3, "12.90"),))
    rows[0]["Lineitem discount"] = "3.90"
    [order] = read(tmp_path, rows)
    assert isinstance(order, Order)
    assert order.lines[0].unit_value == Decimal("11.60")


def test_a_sku_without_a_product_row_is_refused_naming_the_sku_and_row(tmp_path: Path) -> None:
    rows = an_order_rows(lines=(("CASE-1", 1, "12.90"), ("MYSTERY-9", 1, "5.00")))
    [refused] = read(tmp_path, rows)
    assert isinstance(refused, ValidationError)
    assert (refused.field, refused.value, refused.message) == (
        "Lineitem sku",
        "MYSTERY-9",
        "no product row for SKU",
    )
    assert refused.where.endswith("row 3")


def test_a_bad_cell_is_named_by_its_shopify_column(tmp_path: Path) -> None:
    bad_country = an_order_rows("#1", country="Atlantis")
    bad_time = an_order_rows("#2", created_at="27/11/2026")
    bad_price = an_order_rows("#3", lines=(("CASE-1", 1, "twelve"),))
    refused = read(tmp_path, bad_country, bad_time, bad_price)
    fields = [(e.field, e.value) for e in refused if isinstance(e, ValidationError)]
    assert fields == [
        ("Shipping Country", "Atlantis"),
        ("Created at", "27/11/2026"),
        ("Lineitem price", "twelve"),
    ]


def test_a_country_written_as_a_name_becomes_its_code(tmp_path: Path) -> None:
    [order] = read(tmp_path, an_order_rows(country="Germany"))
    assert isinstance(order, Order) and order.destination.country == "DE"


def test_a_file_that_is_not_a_shopify_export_is_refused_naming_the_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,created_at,country\nA,2026-11-27T10:00:00+00:00,US\n")
    with pytest.raises(ValidationError, match=r"missing column.*Name, Created at"):
        read_shopify_orders(path, {})
