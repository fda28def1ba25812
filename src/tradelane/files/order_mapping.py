"""Order mappings: how the columns of any order CSV become tradelane order fields (YAML/TOML).

    timezone: Asia/Shanghai          # for times written without an offset (default UTC)
    fields:
      order_id:   {column: "Order No."}
      created_at: {column: "Order Date", date_format: "%d/%m/%Y %H:%M"}
      country:    {column: "Country"}
      postcode:   {expr: "strip(col('Zip'), \"'\")"}
      currency:   {default: EUR}
      sku:        {column: "SKU"}
      quantity:   {column: "Qty", default: 1}
      unit_value: {expr: "number(col('Line Total')) / number(col('Qty'))"}
      urgency:    {column: "Service", values: {Priority: express, Economy: standard}}

Per field: `column` (the cell as written) or `expr` (see cell_expressions), `default` when
the cell is empty (or alone, for a constant), `values` to translate what the source writes,
`date_format` (strptime) for created_at. Fields: order_id, created_at, country, postcode,
city, currency, urgency, promised_days, marketplace (once per order, from its first row) and
per line sku, quantity, unit_value, weight_kg, length_cm, width_cm, height_cm, hs_code,
goods_classes. Rows that follow each other with the same order_id make one order. Lines
without weight_kg take weight, box, goods classes and HS code from the products file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator, model_validator

from tradelane.domain.errors import ValidationError
from tradelane.files.cell_expressions import CellExpression, ExpressionError, compile_expression
from tradelane.files.errors import read_model

__all__ = [
    "LINE_FIELDS",
    "ORDER_FIELDS",
    "FieldSpec",
    "OrderMapping",
    "ZonedMapping",
    "known_zone",
    "load_mapping",
    "mapped_time",
    "require_columns",
]

ORDER_FIELDS = (
    "order_id",
    "created_at",
    "country",
    "postcode",
    "city",
    "currency",
    "urgency",
    "promised_days",
    "marketplace",
)
LINE_FIELDS = (
    "sku",
    "quantity",
    "unit_value",
    "weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "hs_code",
    "goods_classes",
)
REQUIRED = ("order_id", "created_at", "country", "sku", "unit_value")
FieldName = Literal[
    "order_id",
    "created_at",
    "country",
    "postcode",
    "city",
    "currency",
    "urgency",
    "promised_days",
    "marketplace",
    "sku",
    "quantity",
    "unit_value",
    "weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "hs_code",
    "goods_classes",
]


def known_zone(name: str) -> str:
    """`name` when it is an IANA time zone; ValueError naming it otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None
    return name


class FieldSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str | None = None
    expr: str | None = None
    default: str | int | float | None = None
    values: dict[str, str] | None = None
    date_format: str | None = None
    _compiled: CellExpression | None = PrivateAttr(default=None)

    @field_validator("expr")
    @classmethod
    def _compiles(cls, source: str | None) -> str | None:
        if source is not None:
            try:
                compile_expression(source)
            except ExpressionError as exc:
                raise ValueError(str(exc)) from None
        return source

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        if self.column is not None and self.expr is not None:
            raise ValueError("give column or expr, not both")
        if self.column is None and self.expr is None and self.default is None:
            raise ValueError("give column, expr or default")
        if self.expr is not None:
            self._compiled = compile_expression(self.expr)
        return self

    @property
    def columns(self) -> frozenset[str]:
        if self._compiled is not None:
            return self._compiled.columns
        return frozenset() if self.column is None else frozenset({self.column})

    def raw(self, row: dict[str, str]) -> Any:
        """The cell (or expression result) before default and translation."""
        if self._compiled is not None:
            return self._compiled.evaluate(row)
        return "" if self.column is None else row.get(self.column, "")

    def reader(self) -> Callable[[Mapping[str, str]], Any]:
        """`raw` as a plain function, for loops over many rows (no attribute lookups)."""
        if self._compiled is not None:
            return self._compiled.evaluate
        column = self.column
        if column is None:
            return lambda _row: ""
        return lambda row: row.get(column, "")


class ZonedMapping(BaseModel):
    """A column mapping: a time zone for times without an offset and `fields`, which a
    subclass declares and which must map every name in its `required`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    required: ClassVar[tuple[str, ...]] = ()

    timezone: str = "UTC"

    _known_zone = field_validator("timezone")(known_zone)

    @field_validator("fields", check_fields=False)
    @classmethod
    def _required_fields(cls, fields: dict[str, Any]) -> dict[str, Any]:
        missing = [name for name in cls.required if name not in fields]
        if missing:
            raise ValueError(f"map the required field(s): {', '.join(missing)}")
        return fields

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class OrderMapping(ZonedMapping):
    required: ClassVar[tuple[str, ...]] = REQUIRED

    fields: dict[FieldName, FieldSpec]


def mapped_time(text: str, date_format: str | None, zone: ZoneInfo) -> datetime:
    """`text` read with `date_format` (strptime; ISO 8601 when None), in `zone` when it has
    no offset; ValueError naming the expected format otherwise."""
    try:
        parsed = (
            datetime.strptime(text, date_format)  # noqa: DTZ007 - the zone is added below
            if date_format
            else datetime.fromisoformat(text)
        )
    except ValueError:
        raise ValueError(f"not a time in the format {date_format or 'ISO 8601'}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def require_columns(
    fields: Iterable[tuple[str, FieldSpec]], header: Sequence[str], where: str
) -> None:
    """ValidationError naming the field when a mapping (its `fields.items()`) reads a column
    the header lacks."""
    for name, spec in fields:
        absent = sorted(spec.columns - set(header))
        if absent:
            raise ValidationError(
                f"the mapping reads column(s) the file does not have: {', '.join(absent)}",
                field=f"fields.{name}",
                value=",".join(header[:12]),
                where=where,
            )


def load_mapping(path: Path) -> OrderMapping:
    """Read and check a mapping file; InputErrors naming each bad path and value."""
    return read_model(path, OrderMapping, what="order mapping")
