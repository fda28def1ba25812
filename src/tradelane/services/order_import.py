"""Import orders from a file, all or nothing.

    file ─▶ parse + validate every entry ─▶ duplicate ids (in file, in store)
         ─▶ any error? refuse, store untouched : insert all in one transaction

Progress is reported through `progress(done, total, stage)` so entrypoints choose the display.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.orders import Order
from tradelane.files.order_file import read_orders
from tradelane.store.uow import UnitOfWork

__all__ = ["ImportReport", "Progress", "import_order_file", "import_orders"]

Progress = Callable[[int, int, str], None]
MAX_REPORTED_ERRORS = 1_000


def _silent(_done: int, _total: int, _stage: str) -> None:
    return None


@dataclass
class ImportReport:
    source: str
    imported: int = 0
    countries: dict[str, int] = field(default_factory=dict)


def import_order_file(
    path: Path, *, uow: UnitOfWork, now: datetime, progress: Progress = _silent
) -> ImportReport:
    """Parse and import `path`; InputErrors (nothing stored) when any entry is bad."""
    total, entries = read_orders(path)
    valid: list[tuple[int, Order]] = []
    errors: list[ValidationError] = []
    for count, (row, entry) in enumerate(entries, start=1):
        if isinstance(entry, ValidationError):
            errors.append(entry)
        else:
            valid.append((row, entry))
        if count % 2_000 == 0:
            progress(count, total, "validating")
    _check_unique_in_file(valid, errors, where=str(path))
    if errors:
        raise InputErrors(str(path), errors[:MAX_REPORTED_ERRORS])
    return import_orders(
        [o for _, o in valid], source=str(path), uow=uow, now=now, progress=progress
    )


def import_orders(
    orders: list[Order],
    *,
    source: str,
    uow: UnitOfWork,
    now: datetime,
    progress: Progress = _silent,
) -> ImportReport:
    """Store validated orders in one transaction; refuses ids already stored (InputErrors)."""
    with uow:
        taken = uow.orders.existing_ids([o.order_id for o in orders])
        if taken:
            shown = sorted(taken)
            raise InputErrors(
                source,
                [
                    ValidationError(
                        "order id already imported", field="order_id", value=oid, where=source
                    )
                    for oid in shown[:MAX_REPORTED_ERRORS]
                ],
            )
        step = 5_000
        for start in range(0, len(orders), step):
            uow.orders.add_many(orders[start : start + step], now=now)
            progress(min(start + step, len(orders)), len(orders), "storing")
        uow.commit()
    report = ImportReport(source=source, imported=len(orders))
    for order in orders:
        country = order.destination.country
        report.countries[country] = report.countries.get(country, 0) + 1
    return report


def _check_unique_in_file(
    valid: list[tuple[int, Order]], errors: list[ValidationError], *, where: str
) -> None:
    first_row: dict[str, int] = {}
    for row, order in valid:
        if order.order_id in first_row:
            errors.append(
                ValidationError(
                    f"duplicate order id (first at row/line {first_row[order.order_id]})",
                    field="order_id",
                    value=order.order_id,
                    where=f"{where}, row {row}",
                )
            )
        else:
            first_row[order.order_id] = row
