"""Any order CSV through a mapping: fields from columns or expressions, defaults, value
translations, date formats; mapping errors name the path and value."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.goods import Urgency
from tradelane.domain.orders import Order
from tradelane.domain.products import Product
from tradelane.files.mapped_orders import read_mapped_orders
from tradelane.files.order_mapping import load_mapping

MAPPING = """
timezone: Europe/Berlin
fields:
  order_id:   {column: "Order No."}
  created_at: {column: "Placed", date_format: "%d.%m.%Y %H:%M"}
  country:    {column: "Land"}
  postcode:   {expr: "strip(col('PLZ'), \\"'\\")"}
  currency:   {default: EUR}
  urgency:    {column: "Versand", values: {Priority: express, Economy: standard}}
  sku:        {column: "SKU"}
  quantity:   {column: "Menge", default: 1}
  unit_value: {expr: "number(col('Summe')) / number(first(col('Menge'), 1))"}
  weight_kg:  {expr: "number(col('Gramm')) / 1000 if col('Gramm') != '' else ''"}
"""
HEADER = "Order No.,Placed,Land,PLZ,Versand,SKU,Menge,Summe,Gramm\n"
PRODUCTS = {"MUG": Product(sku="MUG", weight_kg=0.4)}


def read(tmp_path: Path, body: str, mapping: str = MAPPING) -> list[Order | ValidationError]:
    (tmp_path / "map.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(HEADER + body, encoding="utf-8")
    loaded = load_mapping(tmp_path / "map.yaml")
    _, entries = read_mapped_orders(tmp_path / "orders.csv", loaded, PRODUCTS)
    return [entry for _, entry in entries]


def test_rows_with_one_order_id_make_one_order_mapped_field_by_field(tmp_path: Path) -> None:
    [order] = read(
        tmp_path,
        "W-1,27.11.2026 10:15,DE,'01067,Priority,MUG,2,26.00,\n"
        "W-1,27.11.2026 10:15,DE,'01067,Priority,BOX,,9.90,380\n",
    )
    assert isinstance(order, Order)
    assert order.created_at == datetime(2026, 11, 27, 10, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    assert (order.destination.postcode, order.currency, order.urgency) == (
        "01067",
        "EUR",
        Urgency.EXPRESS,
    )
    assert [
        (line.sku, line.quantity, line.unit_value, line.unit_weight_kg) for line in order.lines
    ] == [
        ("MUG", 2, Decimal("13"), 0.4),
        ("BOX", 1, Decimal("9.9"), 0.38),
    ]


def test_a_cell_the_mapping_cannot_read_names_its_column_and_row(tmp_path: Path) -> None:
    refused = read(
        tmp_path,
        "W-1,2026-11-27,DE,1,Economy,MUG,1,5,\nW-2,27.11.2026 10:15,DE,1,Economy,MUG,1,five,\n",
    )
    assert [
        (e.field, e.value, e.where[-5:]) for e in refused if isinstance(e, ValidationError)
    ] == [
        ("Placed", "2026-11-27", "row 2"),
        ("fields.unit_value", "1 / five", "row 3"),
    ]


def test_a_sku_without_product_or_weight_is_refused_naming_it(tmp_path: Path) -> None:
    [refused] = read(tmp_path, "W-1,27.11.2026 10:15,DE,1,Economy,LAMP,1,5,\n")
    assert isinstance(refused, ValidationError)
    assert (refused.field, refused.value, refused.message) == (
        "SKU",
        "LAMP",
        "no product row for SKU",
    )


def test_a_column_the_file_lacks_is_refused_before_any_row(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MAPPING.replace('"Land"', '"Country"'), encoding="utf-8")
    (tmp_path / "orders.csv").write_text(HEADER, encoding="utf-8")
    with pytest.raises(ValidationError, match="does not have: Country") as refused:
        read_mapped_orders(tmp_path / "orders.csv", load_mapping(tmp_path / "map.yaml"), None)
    assert refused.value.field == "fields.country"


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (('{column: "SKU"}', "{expr: \"open('x')\"}"), "fields.sku.expr", "unknown function"),
        (("{default: EUR}", "{}"), "fields.currency", "give column, expr or default"),
        (("timezone: Europe/Berlin", "timezone: Mars/Base"), "timezone", "unknown IANA"),
        (('  sku:        {column: "SKU"}\n', ""), "fields", "required field(s): sku"),
        (("  currency:", "  colour:"), "fields.colour", "Input should be"),
    ],
)
def test_a_bad_mapping_names_the_path_and_value(
    tmp_path: Path, change: tuple[str, str], path: str, message: str
) -> None:
    (tmp_path / "map.yaml").write_text(MAPPING.replace(*change), encoding="utf-8")
    with pytest.raises(InputErrors) as refused:
        load_mapping(tmp_path / "map.yaml")
    assert any(e.field.startswith(path) and message in e.message for e in refused.value.errors), [
        (e.field, e.message) for e in refused.value.errors
    ]
