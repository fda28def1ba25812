"""Order files: each bad entry is reported with file, row, field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import NOW
from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import GoodsClass
from tradelane.domain.orders import Order
from tradelane.files.order_file import read_orders, write_orders_csv
from tradelane.simulation.order_stream import generate_orders

HEADER = "order_id,created_at,country,sku,unit_value,weight_kg,length_cm,width_cm,height_cm\n"
GOOD = "A-1,2026-11-27T10:00:00+08:00,DE,SKU-1,19.90,0.4,20,15,5\n"


def _entries(tmp_path: Path, text: str, name: str = "orders.csv") -> list[Order | ValidationError]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [entry for _, entry in read_orders(path)[1]]


def test_a_good_csv_row_becomes_an_order(tmp_path: Path) -> None:
    [order] = _entries(tmp_path, HEADER + GOOD)
    assert isinstance(order, Order)
    assert order.destination.country == "DE"
    assert order.parcel is not None and order.parcel.volume_cm3 == 1500
    assert str(order.declared_value) == "USD 19.90"


def test_non_numeric_weight_names_row_column_and_value(tmp_path: Path) -> None:
    [_, error] = _entries(tmp_path, HEADER + GOOD + "A-2,2026-11-27T10:00:00Z,DE,S,5,heavy,1,1,1\n")
    assert isinstance(error, ValidationError)
    assert error.where.endswith("orders.csv, row 3")
    assert (error.field, error.value) == ("weight_kg", "heavy")


def test_negative_weight_is_refused(tmp_path: Path) -> None:
    [error] = _entries(tmp_path, HEADER + "A-3,2026-11-27T10:00:00Z,DE,S,5,-1,1,1,1\n")
    assert isinstance(error, ValidationError)
    assert (error.field, error.value) == ("weight_kg", "-1")


def test_unknown_country_is_refused(tmp_path: Path) -> None:
    [error] = _entries(tmp_path, HEADER + "A-4,2026-11-27T10:00:00Z,ZZ,S,5,1,1,1,1\n")
    assert isinstance(error, ValidationError)
    assert (error.field, error.value) == ("country", "ZZ")


def test_naive_timestamp_is_refused(tmp_path: Path) -> None:
    [error] = _entries(tmp_path, HEADER + "A-5,2026-11-27T10:00:00,DE,S,5,1,1,1,1\n")
    assert isinstance(error, ValidationError) and error.field == "created_at"


def test_missing_required_column_refuses_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,created_at,country,sku,unit_value\nA,2026-11-27T10:00:00Z,DE,S,5\n")
    with pytest.raises(ValidationError, match=r"missing required column.*weight_kg") as caught:
        read_orders(path)
    assert caught.value.where == str(path) and caught.value.field == "header"


def test_partial_dimensions_are_refused(tmp_path: Path) -> None:
    [error] = _entries(tmp_path, HEADER + "A-6,2026-11-27T10:00:00Z,DE,S,5,1,10,,\n")
    assert isinstance(error, ValidationError) and "length_cm, width_cm, height_cm" in error.message


def test_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes((HEADER + "A-1,2026-11-27T10:00:00Z,DE,Café,5,1,1,1,1\n").encode("cp1252"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_orders(path)


def test_json_lines_with_a_malformed_line_reports_its_line_number(tmp_path: Path) -> None:
    good = generate_orders(1, seed=1, start=NOW)[0].model_dump_json()
    entries = _entries(tmp_path, good + "\n{not json\n", name="orders.jsonl")
    assert isinstance(entries[0], Order)
    assert isinstance(entries[1], ValidationError) and entries[1].where.endswith("line 2")


def test_generated_orders_survive_a_csv_round_trip(tmp_path: Path) -> None:
    orders = generate_orders(50, seed=3, start=NOW)
    path = tmp_path / "sample.csv"
    write_orders_csv(orders, path)
    assert [entry for _, entry in read_orders(path)[1]] == orders


def test_goods_classes_are_read_from_a_semicolon_list(tmp_path: Path) -> None:
    text = (
        HEADER.rstrip("\n")
        + ",goods_classes\n"
        + "A-7,2026-11-27T10:00:00Z,US,S,5,1,1,1,1,battery_in_equipment;magnetic\n"
    )
    [order] = _entries(tmp_path, text)
    assert isinstance(order, Order)
    assert order.goods_classes == {GoodsClass.BATTERY_IN_EQUIPMENT, GoodsClass.MAGNETIC}
