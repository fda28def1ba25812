"""Small, safe expressions over a CSV row, for order mappings.

    number(col("Line total")) / number(col("Qty"))
    strip(col("Zip"), "'")
    "express" if col("Service") == "Priority" else "standard"
    first(col("SKU"), col("Variant SKU"))

Python syntax, but only: string and number literals, `col("Column")`, + - * / (numbers;
+ also joins text), unary minus, == and !=, `a if cond else b`, and the functions below.
Anything else (names, attributes, subscripts, lambdas, other calls) is refused when the
mapping is loaded, so an expression can never reach Python itself. Numbers are Decimal.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["CellExpression", "ExpressionError", "compile_expression"]

MAX_LENGTH = 500


class ExpressionError(ValueError):
    """An expression that cannot be compiled, or fails on a row (names what and why)."""


def _number(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", "")
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ExpressionError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ExpressionError(f"not a finite number: {value!r}")
    return result


def _strip(value: Any, chars: str | None = None) -> str:
    return str(value).strip(chars)


def _replace(value: Any, old: str, new: str) -> str:
    return str(value).replace(old, new)


def _split(value: Any, separator: str, index: int | Decimal) -> str:
    parts = str(value).split(separator)
    position = int(index)
    return parts[position].strip() if -len(parts) <= position < len(parts) else ""


def _first(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "")), "")


FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "number": _number,
    "text": str,
    "strip": _strip,
    "lower": lambda value: str(value).lower(),
    "upper": lambda value: str(value).upper(),
    "replace": _replace,
    "split": _split,
    "first": _first,
    "round": lambda value, places=2: round(_number(value), int(places)),
}
_OPERATORS: Mapping[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


@dataclass(frozen=True)
class CellExpression:
    source: str
    tree: ast.expr
    columns: frozenset[str]  # the columns it reads (checked against the header)

    def evaluate(self, row: Mapping[str, str]) -> Any:
        try:
            return _eval(self.tree, row)
        except ExpressionError:
            raise
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise ExpressionError(f"{type(exc).__name__}: {exc}") from None


def compile_expression(source: str) -> CellExpression:
    """Parse and check `source`; ExpressionError naming the refused construct."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"not an expression: {exc.msg}") from None
    columns: set[str] = set()
    _check(tree, columns)
    return CellExpression(source=source, tree=tree, columns=frozenset(columns))


def _check(node: ast.AST, columns: set[str]) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float):
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name = node.func.id
        if name == "col":
            if len(node.args) != 1 or not _is_text(node.args[0]):
                raise ExpressionError('col() takes one column name in quotes: col("Qty")')
            columns.add(node.args[0].value)  # type: ignore[attr-defined]
            return
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}; known: col, {', '.join(FUNCTIONS)}")
        for arg in node.args:
            _check(arg, columns)
        return
    children: list[ast.AST]
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        children = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        children = [node.operand]
    elif isinstance(node, ast.Compare) and all(
        isinstance(op, ast.Eq | ast.NotEq) for op in node.ops
    ):
        children = [node.left, *node.comparators]
    elif isinstance(node, ast.IfExp):
        children = [node.test, node.body, node.orelse]
    else:
        raise ExpressionError(f"{ast.unparse(node)!r} is not allowed in a mapping expression")
    for child in children:
        _check(child, columns)


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _eval(node: ast.expr, row: Mapping[str, str]) -> Any:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value)) if isinstance(node.value, int | float) else node.value
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        if node.func.id == "col":
            return row.get(node.args[0].value, "")  # type: ignore[attr-defined]
        return FUNCTIONS[node.func.id](*(_eval(arg, row) for arg in node.args))
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, row), _eval(node.right, row)
        if isinstance(node.op, ast.Add) and (isinstance(left, str) or isinstance(right, str)):
            return f"{left}{right}"
        return _OPERATORS[type(node.op)](_number(left), _number(right))
    if isinstance(node, ast.UnaryOp):
        return -_number(_eval(node.operand, row))
    if isinstance(node, ast.Compare):
        return _compare(node, row)
    assert isinstance(node, ast.IfExp)
    return _eval(node.body if _eval(node.test, row) else node.orelse, row)


def _compare(node: ast.Compare, row: Mapping[str, str]) -> bool:
    left = _eval(node.left, row)
    for op, comparator in zip(node.ops, node.comparators, strict=True):
        right = _eval(comparator, row)
        equal = str(left) == str(right)
        if equal != isinstance(op, ast.Eq):
            return False
        left = right
    return True
