"""Use cases of the order flow: import, assign, ship (hand off), ingest tracking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from tradelane.application.base import ApplicationBase, silent
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.catalog import TransitProfile
from tradelane.domain.orders import Order
from tradelane.files.order_file import OrderEntry
from tradelane.selection.policy import Policy
from tradelane.services.assign import AssignReport, Progress, assign_orders
from tradelane.services.ingest_tracking import IngestReport, ingest_chunks
from tradelane.services.inventory import WarehouseStock, import_inventory_file, warehouse_stock
from tradelane.services.order_import import ImportReport, import_order_entries
from tradelane.services.order_import import import_orders as import_order_list
from tradelane.services.ship import ShipCommand, ShipReport, ship_orders

__all__ = ["OrderUseCases"]


class OrderUseCases(ApplicationBase):
    def import_orders(
        self, orders: list[Order], *, source: str, progress: Progress = silent
    ) -> ImportReport:
        """Store validated orders in one transaction (InputErrors naming each refusal)."""
        return import_order_list(
            orders,
            source=source,
            uow=self.uow(),
            now=self.clock.now(),
            fx=self.fx,
            progress=progress,
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

    def ingest_tracking(
        self, chunks: Iterable[ParsedTracking], *, source: str, now: datetime | None = None
    ) -> IngestReport:
        return ingest_chunks(chunks, source=source, uow=self.uow(), now=self._now(now))
