"""Use cases of the order flow: import, assign (stored orders or a file's), quote, stock,
ship (hand off, or record hand-offs made elsewhere), ingest tracking, and what was decided
(an order's assignments, a shipment's timeline)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from tradelane.application.base import ApplicationBase, silent
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.catalog import Catalogue, TransitProfile
from tradelane.domain.handoffs import HandOffEntry
from tradelane.domain.orders import Order
from tradelane.files.order_file import OrderEntry
from tradelane.selection.decision import AssignmentRecord
from tradelane.selection.policy import Policy
from tradelane.services.assign import AssignReport, Progress, assign_order_file, assign_orders
from tradelane.services.handoffs import HandOffReport, record_handoffs
from tradelane.services.ingest_tracking import IngestReport, import_tracking_file, ingest_chunks
from tradelane.services.inventory import (
    WarehouseStock,
    import_inventory_file,
    put_stock,
    warehouse_stock,
)
from tradelane.services.order_import import ImportReport, import_order_entries
from tradelane.services.order_import import import_orders as import_order_list
from tradelane.services.quote import QuoteResult, quote_order
from tradelane.services.ship import ShipCommand, ShipReport, ship_orders
from tradelane.services.tracking_queries import ShipmentTimeline, shipment_timeline
from tradelane.store.idempotency_repository import StoredAnswer

__all__ = ["OrderUseCases"]


class OrderUseCases(ApplicationBase):
    def import_orders(
        self,
        orders: list[Order],
        *,
        source: str,
        progress: Progress = silent,
        answer: tuple[str, Callable[[ImportReport], StoredAnswer]] | None = None,
    ) -> ImportReport:
        """Store validated orders in one transaction (InputErrors naming each refusal).
        `answer`: the request's idempotency key and the answer its report makes, recorded
        in the same transaction (the orders and their answer are stored together or not at
        all; a key recorded before is a Conflict)."""
        uow = self.uow()
        now = self.clock.now()
        remember = None
        if answer is not None:
            key, answer_of = answer

            def remember(report: ImportReport) -> None:
                uow.idempotency.remember(key, answer_of(report), now=now)

        return import_order_list(
            orders,
            source=source,
            uow=uow,
            now=now,
            fx=self.fx,
            progress=progress,
            before_commit=remember,
        )

    def import_order_entries(
        self,
        entries: Iterable[OrderEntry],
        total: int,
        *,
        source: str,
        progress: Progress = silent,
    ) -> ImportReport:
        return import_order_entries(
            entries,
            total,
            source=source,
            uow=self.uow(),
            now=self.clock.now(),
            fx=self.fx,
            progress=progress,
        )

    def assign(
        self,
        *,
        policy: Policy | None = None,
        limit: int | None = None,
        limit_capacity: bool = True,
        progress: Progress = silent,
        now: datetime | None = None,
        predicted: tuple[Mapping[tuple[str, str], TransitProfile], str] | None = None,
    ) -> AssignReport:
        """Assign every stored order still `new` (up to `limit`); `predicted`: an ETA model's
        transit profiles per (channel, country) and its name (services.eta.transit_overrides)."""
        return assign_orders(
            uow=self.uow(),
            now=self._now(now),
            fx=self.fx,
            policy=policy or self.policy,
            limit=limit,
            limit_capacity=limit_capacity,
            progress=progress,
            predicted=predicted,
        )

    def assign_file(
        self,
        path: Path,
        *,
        policy: Policy | None = None,
        catalogue: Catalogue | None = None,
        progress: Progress = silent,
    ) -> tuple[list[AssignmentRecord], AssignReport]:
        """Decide the orders of a CSV/JSONL file against the store's network (`catalogue`
        None: the active one); stores nothing."""
        return assign_order_file(
            path,
            uow=self.uow(),
            now=self.clock.now(),
            fx=self.fx,
            policy=policy or self.policy,
            catalogue=catalogue,
            progress=progress,
        )

    def quote(
        self,
        order: Order,
        *,
        policy: Policy | None = None,
        catalogue: Catalogue | None = None,
        now: datetime | None = None,
    ) -> QuoteResult:
        """Every channel's price and ETA for `order` and what assignment would choose
        (`catalogue` None: the active one, else the packaged default); stores nothing."""
        return quote_order(
            order,
            uow=self.uow(),
            now=self._now(now),
            fx=self.fx,
            policy=policy or self.policy,
            catalogue=catalogue,
        )

    def assignment_history(self, order_id: str) -> list[AssignmentRecord]:
        """The order's assignments oldest first (superseded ones included; empty if none)."""
        with self.uow() as uow:
            return uow.assignments.history(order_id)

    def put_stock(self, rows: Sequence[tuple[str, str, int]]) -> dict[str, tuple[int, int]]:
        """Store (warehouse, sku, on hand) rows; warehouse -> (SKUs in stock, units)."""
        return put_stock(rows, uow=self.uow(), now=self.clock.now())

    def import_inventory(self, path: Path) -> dict[str, tuple[int, int]]:
        """Load the tenant's stock from a CSV (all rows or none); warehouse -> (SKUs, units)."""
        return import_inventory_file(path, uow=self.uow(), now=self.clock.now())

    def stock(self) -> list[WarehouseStock]:
        """The tenant's stock per warehouse: on hand, reserved, available."""
        return warehouse_stock(uow=self.uow())

    def ship(self, command: ShipCommand, *, now: datetime | None = None) -> ShipReport:
        return ship_orders(
            command,
            uow=self.uow(),
            catalogue=self.catalogue().catalogue,
            bookings=self.bookings(),
            now=self._now(now),
        )

    def record_handoffs(
        self, entries: Iterable[HandOffEntry], *, source: str, booked_via: str = "register"
    ) -> HandOffReport:
        """Store hand-offs made elsewhere in one transaction against the active catalogue
        (InputErrors or Conflict, nothing stored, when any is refused)."""
        return record_handoffs(
            entries,
            source=source,
            uow=self.uow(),
            catalogue=self.catalogue().catalogue,
            booked_via=booked_via,
        )

    def import_tracking_file(
        self, path: Path, *, format: str, assume_tz: tzinfo = UTC, now: datetime | None = None
    ) -> IngestReport:
        """Parse a tracking file of `format` and ingest it (times without an offset read in
        `assume_tz`)."""
        return import_tracking_file(
            path, format=format, uow=self.uow(), now=self._now(now), assume_tz=assume_tz
        )

    def shipment_timeline(self, tracking_number: str) -> ShipmentTimeline:
        """A shipment's status, milestones, events and open alerts; NotFound otherwise."""
        return shipment_timeline(tracking_number, uow=self.uow())

    def ingest_tracking(
        self, chunks: Iterable[ParsedTracking], *, source: str, now: datetime | None = None
    ) -> IngestReport:
        return ingest_chunks(chunks, source=source, uow=self.uow(), now=self._now(now))
