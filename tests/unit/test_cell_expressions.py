"""Mapping expressions: what they compute from a row, and what they refuse to run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tradelane.files.cell_expressions import ExpressionError, compile_expression

ROW = {"Qty": "3", "Line Total": "1,234.50", "Zip": "'02139", "Service": "Priority", "Empty": ""}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("number(col('Line Total')) / number(col('Qty'))", Decimal("411.5")),
        ("round(number(col('Line Total')) / 7, 2)", Decimal("176.36")),
        ("strip(col('Zip'), \"'\")", "02139"),
        ("'express' if col('Service') == 'Priority' else 'standard'", "express"),
        ("first(col('Empty'), col('Qty'))", "3"),
        ("upper(split('a-b-c', '-', 1))", "B"),
        ("col('Zip') + '-x'", "'02139-x"),
        ("-number(col('Qty')) * 2", Decimal("-6")),
        ("col('Missing')", ""),
    ],
)
def test_an_expression_computes_its_value_from_the_row(source: str, expected: object) -> None:
    assert compile_expression(source).evaluate(ROW) == expected


def test_an_expression_names_the_columns_it_reads() -> None:
    expression = compile_expression("number(col('A')) * number(col('B C'))")
    assert expression.columns == {"A", "B C"}


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("__import__('os').system('true')", "not allowed"),
        ("col('A').upper()", "not allowed"),
        ("Qty * 2", "'Qty' is not allowed"),
        ("[x for x in 'ab']", "not allowed"),
        ("2 ** 1000", "not allowed"),
        ("col(name)", "one column name in quotes"),
        ("number(", "not an expression"),
        ("lambda: 1", "not allowed"),
    ],
)
def test_anything_but_the_small_language_is_refused_at_load(source: str, refusal: str) -> None:
    with pytest.raises(ExpressionError, match=refusal):
        compile_expression(source)


def test_a_row_the_expression_cannot_handle_names_the_value() -> None:
    with pytest.raises(ExpressionError, match="not a number: 'three'"):
        compile_expression("number(col('Qty'))").evaluate({"Qty": "three"})
    with pytest.raises(ExpressionError, match=r"DivisionByZero|InvalidOperation"):
        compile_expression("number(col('Qty')) / 0").evaluate({"Qty": "1"})
