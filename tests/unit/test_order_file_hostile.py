"""Hostile or unlucky order files: every case is a named error on its row, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import NOW
from tradelane.domain.errors import ValidationError
from tradelane.domain.orders import Order
from tradelane.files.order_file import read_orders
from tradelane.simulation.order_stream import generate_orders

HEADER = "order_id,created_at,country,sku,unit_value,weight_kg\n"


def _entries(tmp_path: Path, text: str, name: str = "orders.csv") -> list[Order | ValidationError]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [entry for _, entry in read_orders(path)[1]]


def _one_error(tmp_path: Path, row: str) -> ValidationError:
    [entry] = _entries(tmp_path, HEADER + row + "\n")
    assert isinstance(entry, ValidationError), entry
    return entry


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_that_overflows_in_utc_is_a_named_error(tmp_path: Path, when: str) -> None:
    error = _one_error(tmp_path, f"A,{when},DE,S,5,1")
    assert (error.field, error.value) == ("created_at", when)
    assert "outside the range of UTC times" in error.message


def test_a_unix_timestamp_is_not_read_as_created_at(tmp_path: Path) -> None:
    error = _one_error(tmp_path, "A,1700000000,DE,S,5,1")
    assert (error.field, error.value) == ("created_at", "1700000000")
    assert "ISO 8601" in error.message


def test_a_repeated_column_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER.strip() + ",weight_kg\nA,2026-11-27T10:00:00Z,DE,S,5,1,2\n")
    with pytest.raises(ValidationError, match=r"repeated column.*weight_kg") as caught:
        read_orders(path)
    assert caught.value.field == "header"


def test_a_weight_below_one_gram_is_refused(tmp_path: Path) -> None:
    error = _one_error(tmp_path, "A,2026-11-27T10:00:00Z,DE,S,5,1e-320")
    assert (error.field, error.value) == ("weight_kg", "1e-320")


@pytest.mark.parametrize("value", ["1e309", "Infinity", "NaN", "9e999999999", "9" * 61])
def test_a_unit_value_that_is_not_a_storable_amount_is_refused(tmp_path: Path, value: str) -> None:
    error = _one_error(tmp_path, f"A,2026-11-27T10:00:00Z,DE,S,{value},1")
    assert (error.field, error.value) == ("unit_value", value)


def test_digit_separators_are_not_read_as_a_number(tmp_path: Path) -> None:
    error = _one_error(tmp_path, "A,2026-11-27T10:00:00Z,DE,S,5,1_0")
    assert (error.field, error.value, error.message) == ("weight_kg", "1_0", "not a number")


def test_a_nan_weight_says_it_is_not_a_number(tmp_path: Path) -> None:
    error = _one_error(tmp_path, "A,2026-11-27T10:00:00Z,DE,S,5,NaN")
    assert (error.field, error.message) == ("weight_kg", "not a number")


def test_an_unbalanced_quote_gets_a_csv_quoting_message(tmp_path: Path) -> None:
    text = HEADER + 'A,2026-11-27T10:00:00Z,DE,S,"5,1\nB,2026-11-27T10:00:00Z,DE,S,5,1\n'
    [error] = _entries(tmp_path, text)
    assert isinstance(error, ValidationError)
    assert "CSV quoting" in error.message and "decimal" not in error.message
    assert error.where.endswith("row 2")


def test_a_field_over_the_csv_limit_is_a_named_error(tmp_path: Path) -> None:
    [error] = _entries(tmp_path, HEADER + "A,2026-11-27T10:00:00Z,DE," + "S" * 131_073 + ",5,1\n")
    assert isinstance(error, ValidationError)
    assert "longer than 131,072 characters" in error.message and error.where.endswith("row 2")


def test_a_nul_byte_in_a_sku_is_refused(tmp_path: Path) -> None:
    error = _one_error(tmp_path, "A,2026-11-27T10:00:00Z,DE,S\x00X,5,1")
    assert error.field == "sku" and "U+0000" in error.message


def test_an_unknown_currency_is_refused_naming_row_and_field(tmp_path: Path) -> None:
    text = HEADER.strip() + ",currency\nA,2026-11-27T10:00:00Z,DE,S,5,1,XYZ\n"
    [error] = _entries(tmp_path, text)
    assert isinstance(error, ValidationError)
    assert (error.field, error.value) == ("currency", "XYZ") and error.where.endswith("row 2")


def test_skus_longer_together_than_the_store_holds_are_refused(tmp_path: Path) -> None:
    order = generate_orders(1, seed=3, start=NOW)[0].model_dump(mode="json")
    line = order["lines"][0]
    order["lines"] = [dict(line, sku=f"{n:03d}" + "K" * 61) for n in range(500)]
    [error] = _entries(tmp_path, json.dumps(order) + "\n", name="orders.jsonl")
    assert isinstance(error, ValidationError) and "SKUs take" in error.message


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"order_id": ' + "1" * 5001 + "}", "4300 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"order_id": NaN}', "NaN is not a JSON number"),
    ],
)
def test_json_a_parser_cannot_take_is_a_named_error(
    tmp_path: Path, line: str, problem: str
) -> None:
    [error] = _entries(tmp_path, line + "\n", name="orders.jsonl")
    assert isinstance(error, ValidationError)
    assert error.message.startswith("not valid JSON") and problem in error.message


def test_a_line_separator_inside_a_json_string_does_not_split_the_line(tmp_path: Path) -> None:
    orders = generate_orders(2, seed=4, start=NOW)
    first = orders[0].model_dump(mode="json")
    first["destination"]["city"] = "Line\u2028Separated"
    text = json.dumps(first, ensure_ascii=False) + "\n" + orders[1].model_dump_json() + "\n"
    path = tmp_path / "orders.jsonl"
    path.write_text(text, encoding="utf-8")
    entries = list(read_orders(path)[1])
    assert [number for number, _ in entries] == [1, 2]
    assert all(isinstance(entry, Order) for _, entry in entries)
