"""Import orders from a file or a list, all or nothing, in one streaming pass.

    entries ─▶ validate ─▶ currency in the FX table ─▶ duplicate ids (in input, in store)
            ─▶ insert chunk (open transaction)
                 └─ any error: keep validating to report every problem, then roll back

An order in a currency the FX table cannot convert is refused here, naming its row, so it can
never reach `assign`. Another writer storing the same ids at the same time is a Conflict.

Memory stays bounded by the chunk size whatever the file size. Progress is reported through
`progress(done, total, stage)` so entrypoints choose the display.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tradelane.domain.errors import AlreadyStored, InputErrors, ValidationError
from tradelane.domain.orders import Order
from tradelane.files.order_file import OrderEntry, read_orders
from tradelane.selection.conditions import FxTable
from tradelane.services.ports import OrderWork

__all__ = [
    "ImportReport",
    "Progress",
    "import_order_entries",
    "import_order_file",
    "import_orders",
]

Progress = Callable[[int, int, str], None]
CHUNK = 5_000
MAX_REPORTED_ERRORS = 1_000


def _silent(_done: int, _total: int, _stage: str) -> None:
    return None


@dataclass
class ImportReport:
    source: str
    imported: int = 0
    countries: dict[str, int] = field(default_factory=dict)


def import_order_file(
    path: Path,
    *,
    uow: OrderWork,
    now: datetime,
    fx: FxTable | None = None,
    progress: Progress = _silent,
    chunk_size: int = CHUNK,
) -> ImportReport:
    """Parse and import `path`; InputErrors (nothing stored) when any entry is bad.

    With `fx`, orders in a currency it cannot convert are bad entries.
    """
    total, entries = read_orders(path)
    batch = _Batch(source=str(path), report=ImportReport(source=str(path)), fx=fx)
    return _import(
        entries, total, batch, uow=uow, now=now, progress=progress, chunk_size=chunk_size
    )


def import_order_entries(
    entries: Iterable[OrderEntry],
    total: int,
    *,
    source: str,
    uow: OrderWork,
    now: datetime,
    fx: FxTable | None = None,
    progress: Progress = _silent,
) -> ImportReport:
    """Import what another reader produced (a Shopify export, a mapped CSV): the same
    checks (with `fx`, the currency too), the same all-or-nothing rule."""
    batch = _Batch(source=source, report=ImportReport(source=source), fx=fx)
    return _import(entries, total, batch, uow=uow, now=now, progress=progress, chunk_size=CHUNK)


def import_orders(
    orders: list[Order],
    *,
    source: str,
    uow: OrderWork,
    now: datetime,
    fx: FxTable | None = None,
    progress: Progress = _silent,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Store validated orders in one transaction; refuses ids already stored (InputErrors).

    With `fx`, orders in a currency it cannot convert are refused too. `before_commit` is
    called with the report inside the transaction once every order is in: what it writes
    through the same unit of work is stored with the orders or not at all.
    """
    entries = ((number, order) for number, order in enumerate(orders, start=1))
    batch = _Batch(source=source, report=ImportReport(source=source), fx=fx)
    return _import(
        entries,
        len(orders),
        batch,
        uow=uow,
        now=now,
        progress=progress,
        chunk_size=CHUNK,
        before_commit=before_commit,
    )


@dataclass
class _Batch:
    source: str
    report: ImportReport
    fx: FxTable | None = None
    errors: list[ValidationError] = field(default_factory=list)
    already_stored: list[ValidationError] = field(default_factory=list)
    first_row: dict[str, int] = field(default_factory=dict)
    pending: list[tuple[int, Order]] = field(default_factory=list)


def _import(
    entries: Iterable[OrderEntry],
    total: int,
    batch: _Batch,
    *,
    uow: OrderWork,
    now: datetime,
    progress: Progress,
    chunk_size: int,
    before_commit: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    with uow:
        for count, (row, entry) in enumerate(entries, start=1):
            _take(batch, row, entry)
            if len(batch.pending) >= chunk_size:
                _flush(batch, uow, now)
                progress(count, total, "importing")
        _flush(batch, uow, now)
        if batch.errors:
            found = [*batch.errors, *batch.already_stored]
            raise InputErrors(batch.source, found[:MAX_REPORTED_ERRORS])
        if batch.already_stored:
            raise AlreadyStored(batch.source, batch.already_stored[:MAX_REPORTED_ERRORS])
        if before_commit is not None:
            before_commit(batch.report)
        uow.commit()
    progress(batch.report.imported, batch.report.imported, "imported")
    return batch.report


def _take(batch: _Batch, row: int, entry: Order | ValidationError) -> None:
    if isinstance(entry, ValidationError):
        batch.errors.append(entry)
        return
    unconvertible = _currency_error(batch, row, entry)
    if unconvertible is not None:
        batch.errors.append(unconvertible)
        return
    first = batch.first_row.setdefault(entry.order_id, row)
    if first != row:
        batch.errors.append(
            ValidationError(
                f"duplicate order id (first at row/line {first})",
                field="order_id",
                value=entry.order_id,
                where=f"{batch.source}, row {row}",
            )
        )
        return
    batch.pending.append((row, entry))


def _currency_error(batch: _Batch, row: int, order: Order) -> ValidationError | None:
    """The FX table's refusal of the order's currency, located at its row; None when fine."""
    if batch.fx is None:
        return None
    try:
        batch.fx.ratio(order.currency)
    except ValidationError as exc:
        where = f"{batch.source}, row {row}"
        return ValidationError(exc.message, field=exc.field, value=exc.value, where=where)
    return None


def _flush(batch: _Batch, uow: OrderWork, now: datetime) -> None:
    """Check the pending chunk against the store; insert it unless an error was seen."""
    pending, batch.pending = batch.pending, []
    taken = uow.orders.existing_ids([order.order_id for _, order in pending])
    batch.already_stored += [
        ValidationError(
            "order id already imported",
            field="order_id",
            value=order.order_id,
            where=f"{batch.source}, row {row}",
        )
        for row, order in pending
        if order.order_id in taken
    ]
    if batch.errors or batch.already_stored:
        return  # keep validating to report everything; the transaction will roll back
    uow.orders.add_many([order for _, order in pending], now=now)
    batch.report.imported += len(pending)
    for _, order in pending:
        country = order.destination.country
        batch.report.countries[country] = batch.report.countries.get(country, 0) + 1
