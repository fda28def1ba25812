"""Read CSV records strictly, turning the csv module's errors into named ValidationErrors.

A quoting mistake (an unbalanced quote, text after a closing quote) or a field longer than the
csv module's limit stops the reading: the rows after it cannot be trusted. The error names the
row the broken record starts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import TypeVar

from tradelane.domain.errors import InputErrors, ValidationError

__all__ = ["check_columns", "csv_header", "csv_records", "dict_reader", "parsed_records"]

T = TypeVar("T")


def dict_reader(text: str) -> csv.DictReader[str]:
    """A DictReader over `text` that refuses malformed quoting instead of guessing."""
    return csv.DictReader(io.StringIO(text, newline=""), strict=True)


def csv_header(reader: csv.DictReader[str], where: str) -> list[str]:
    """The header's column names, stripped; ValidationError when it is broken or repeats one."""
    try:
        header = [name.strip() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise ValidationError(_explain(exc), field="header", where=f"{where}, row 1") from None
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ValidationError(
            f"repeated column(s): {', '.join(repeated)}",
            field="header",
            value=",".join(header),
            where=where,
        )
    reader.fieldnames = header
    return header


def check_columns(
    reader: csv.DictReader[str],
    where: str,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] | None = (),
) -> list[str]:
    """csv_header, then ValidationError naming any missing required or unknown column
    (`optional=None`: any other column is allowed)."""
    header = csv_header(reader, where)
    missing = [c for c in required if c not in header]
    unknown = (
        [] if optional is None else [c for c in header if c not in required and c not in optional]
    )
    for problem, columns in (("missing required", missing), ("unknown", unknown)):
        if columns:
            raise ValidationError(
                f"{problem} column(s): {', '.join(columns)}",
                field="header",
                value=",".join(header),
                where=where,
            )
    return header


def csv_records(
    reader: csv.DictReader[str], where: str
) -> Iterator[tuple[int, dict[str, str] | ValidationError]]:
    """(row number, record) per record; one ValidationError, then the end, on broken CSV."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, ValidationError(_explain(exc), field="csv", where=f"{where}, row {start}")
            return
        yield reader.line_num, record


def parsed_records(
    reader: csv.DictReader[str],
    where: str,
    parse: Callable[[dict[str, str], str], T | ValidationError],
    *,
    max_reported: int | None = None,
) -> list[T]:
    """`parse(record, "<where>, row N")` for every record, in file order; InputErrors with
    every bad row (the first `max_reported`) and nothing else when any record is bad."""
    parsed: list[T] = []
    errors: list[ValidationError] = []
    for number, record in csv_records(reader, where):
        at = f"{where}, row {number}"
        result = record if isinstance(record, ValidationError) else parse(record, at)
        if isinstance(result, ValidationError):
            errors.append(result)
        else:
            parsed.append(result)
    if errors:
        raise InputErrors(where, errors[:max_reported])
    return parsed


def _explain(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"a field is longer than {csv.field_size_limit():,} characters "
            "(CSV quoting: is a quote left open?)"
        )
    if "unexpected end of data" in text or "EOF" in text:
        return 'CSV quoting: a quoted field is never closed (unbalanced ")'
    return f"CSV quoting: {text}"
