"""Tracking events and the shipments projection. Never commits (the unit of work does).

Bulk path: `add_events()` stores a batch's new events (SQLite: multi-row INSERT ... ON CONFLICT
DO NOTHING in key order, tracking_sql.py; PostgreSQL: binary COPY into a staging table, then
INSERT ... SELECT, tracking_copy.py), `fill_facts()` takes what the source says of the
shipments, `store_added()` creates or recomputes every touched shipment from all of its stored
events in one statement (tracking_projection.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, RowMapping, select, text, update

from tradelane.carriers.formats.parsed import ShipmentFacts
from tradelane.domain.errors import Conflict, NotFound
from tradelane.domain.shipments import Milestone, Shipment, TrackingEvent
from tradelane.store.tables import alerts, shipments, tracking_events
from tradelane.store.tenancy import CURRENT_TENANT, tenant_owns
from tradelane.store.tracking_copy import copy_new_events
from tradelane.store.tracking_projection import (
    SQLITE_MILESTONES,
    SQLITE_MILESTONES_DDL,
    upsert_projection,
)
from tradelane.store.tracking_rows import (
    cycle_collector_paused,
    sqlite_instant,
    sqlite_rows,
)
from tradelane.store.tracking_sql import (
    COUNT_NEW_SHIPMENTS,
    ROW_COLUMNS,
    TOUCHED,
    insert_events,
    staging_ddl,
    touched_ddl,
)

__all__ = ["AddedEvents", "StoredBatch", "TrackingRepository"]

_TOUCHED_COLUMNS = "tracking_number, carrier, origin_country, destination_country"
_COPY_TOUCHED = f"COPY tracking_touched ({_TOUCHED_COLUMNS}) FROM STDIN"
_INSERT_TOUCHED = f"INSERT INTO tracking_touched ({_TOUCHED_COLUMNS}) VALUES (?, ?, ?, ?)"
_FILL_FACTS = text(
    "UPDATE shipments SET origin_country = COALESCE(origin_country, :origin), "
    "destination_country = COALESCE(destination_country, :destination) "
    "WHERE tracking_number = :tracking_number"
)
_ONE_SHIPMENT = f"SELECT {_TOUCHED_COLUMNS} FROM shipments WHERE tracking_number = :tracking_number"
_SQLITE_CACHE = "PRAGMA cache_size = -65536"  # 64 MiB page cache for index-heavy bulk inserts
_ROWS_PER_INSERT = 80  # 882 parameters, within SQLite's historical limit of 999
_INSERT_MANY = insert_events(_ROWS_PER_INSERT)
_ANALYZE_TOUCHED = "ANALYZE tracking_touched"
_CLEAR_TOUCHED = "DELETE FROM tracking_touched"
_NUMBER_AND_CARRIER = itemgetter(*map(ROW_COLUMNS.index, ("tracking_number", "carrier")))
_UNKNOWN_CODE = itemgetter(ROW_COLUMNS.index("unknown_code"))


@dataclass(frozen=True)
class AddedEvents:
    unknown_codes: int  # events flagged with a carrier code our tables do not know


@dataclass(frozen=True)
class StoredBatch:
    inserted: int
    shipments_created: int
    shipments_updated: int


class TrackingRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._dialect = connection.dialect.name
        self._postgres = self._dialect == "postgresql"
        self._touched: dict[str, str] = {}
        self._facts: dict[str, tuple[str | None, str | None]] = {}
        self._inserted = 0
        self._ready = False
        self._stale = False  # tracking_touched still holds a stored batch of this transaction

    def _prepare(self) -> None:
        if not self._ready:
            self._c.exec_driver_sql(touched_ddl(self._dialect))
            if self._postgres:
                self._c.exec_driver_sql(staging_ddl())
                # Once analysed (empty), the planner sizes the table by its current pages
                # instead of assuming 10 pages: a one-event batch probes indexes, no seq scans.
                self._c.exec_driver_sql(_ANALYZE_TOUCHED)
            else:
                self._c.exec_driver_sql(_SQLITE_CACHE)
                self._c.exec_driver_sql(SQLITE_MILESTONES_DDL)
                self._c.exec_driver_sql(SQLITE_MILESTONES)
            # PostgreSQL empties it at commit, SQLite keeps it for the connection's life
            self._stale = not self._postgres
            self._ready = True
        if self._stale:
            self._c.exec_driver_sql(_CLEAR_TOUCHED)
            self._stale = False

    def add_events(
        self, events: Sequence[TrackingEvent], *, source: str, received_at: datetime
    ) -> AddedEvents:
        """Insert events of this transaction's batch; those already stored (same scan
        identity) are skipped. Their shipments follow at store_added()."""
        self._prepare()
        received = received_at.astimezone(UTC)
        with cycle_collector_paused():
            if self._postgres:
                driver = self._c.connection.driver_connection
                inserted, rows = copy_new_events(
                    driver,  # type: ignore[arg-type]
                    events,
                    source=source,
                    received=received,
                )
                self._inserted += inserted
            else:
                rows = sqlite_rows(events)
                self._inserted += self._insert_sqlite(rows, source, sqlite_instant(received))
            # the first carrier seen for a tracking number names its shipment
            carriers = dict(map(_NUMBER_AND_CARRIER, reversed(rows)))
            carriers.update(self._touched)
            self._touched = carriers
        return AddedEvents(unknown_codes=sum(map(_UNKNOWN_CODE, rows)))

    def _insert_sqlite(self, rows: Sequence[tuple[Any, ...]], source: str, received: str) -> int:
        """Insert in statements of _ROWS_PER_INSERT rows (the rest one statement per row)."""
        cursor = self._c.connection.driver_connection.cursor()  # type: ignore[union-attr]
        whole = len(rows) - len(rows) % _ROWS_PER_INSERT
        inserted = 0
        for start in range(0, whole, _ROWS_PER_INSERT):
            values = (
                *chain.from_iterable(rows[start : start + _ROWS_PER_INSERT]),
                source,
                received,
            )
            inserted += cursor.execute(_INSERT_MANY, values).rowcount
        rest = [(*row, source, received) for row in rows[whole:]]
        if rest:
            inserted += cursor.executemany(insert_events(1), rest).rowcount
        return inserted

    def fill_facts(self, facts: Sequence[ShipmentFacts]) -> None:
        """Set origin/destination where the shipment does not know them yet (the first fact
        given wins); shipments this batch creates start with them."""
        for fact in facts:
            origin, destination = self._facts.get(fact.tracking_number, (None, None))
            self._facts[fact.tracking_number] = (
                origin or fact.origin_country,
                destination or fact.destination_country,
            )
        if facts:
            self._c.execute(
                _FILL_FACTS,
                [
                    {
                        "tracking_number": f.tracking_number,
                        "origin": f.origin_country,
                        "destination": f.destination_country,
                    }
                    for f in facts
                ],
            )

    def store_added(self) -> StoredBatch:
        """Store the added events, then create or recompute every touched shipment from all of
        its stored events; forgets the batch."""
        self._prepare()
        touched = [
            (number, carrier, *self._facts.get(number, (None, None)))
            for number, carrier in self._touched.items()
        ]
        if not touched:
            self._forget()
            return StoredBatch(0, 0, 0)
        if self._postgres:
            self._copy_touched(touched)
        else:
            self._c.exec_driver_sql(_INSERT_TOUCHED, touched)
        created = self._c.exec_driver_sql(COUNT_NEW_SHIPMENTS).scalar_one()
        written = self._c.exec_driver_sql(upsert_projection(self._dialect, TOUCHED)).rowcount
        batch = StoredBatch(self._inserted, created, max(written - created, 0))
        self._forget()
        return batch

    def _forget(self) -> None:
        """Drop the batch; its temp rows go at commit or before this transaction's next batch."""
        self._touched.clear()
        self._facts.clear()
        self._inserted = 0
        self._stale = True

    def _copy_touched(self, rows: Sequence[tuple[Any, ...]]) -> None:
        raw = self._c.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(_COPY_TOUCHED) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)

    def refresh(self, tracking_number: str) -> None:
        """Recompute one stored shipment from all of its events."""
        self._prepare()
        statement = text(upsert_projection(self._dialect, _ONE_SHIPMENT))
        self._c.execute(statement, {"tracking_number": tracking_number})

    def register(self, shipment: Shipment) -> bool:
        """Record hand-off facts; True when the row is new. Conflict if another order owns it
        (the tenant's own, or any of another tenant's)."""
        row = self._c.execute(
            select(shipments.c.order_id, tenant_owns(shipments.c.tenant_id).label("mine")).where(
                shipments.c.tracking_number == shipment.tracking_number
            )
        ).first()
        facts = {
            **shipment.model_dump(exclude={"tracking_number"}),
            "tenant_id": CURRENT_TENANT.get(),  # a parcel seen by tracking first joins its order
        }
        if row is None:
            self._c.execute(
                shipments.insert().values(tracking_number=shipment.tracking_number, **facts)
            )
            return True
        if row.order_id is not None and not row.mine:
            raise Conflict(
                f"tracking number {shipment.tracking_number!r} belongs to another tenant's order"
            )
        if row.order_id not in (None, shipment.order_id):
            raise Conflict(
                f"tracking number {shipment.tracking_number!r} belongs to order {row.order_id!r}"
            )
        self._c.execute(
            update(shipments)
            .where(shipments.c.tracking_number == shipment.tracking_number)
            .values(**facts)
        )
        return False

    def get(self, tracking_number: str) -> RowMapping:
        row = self._c.execute(
            select(shipments).where(shipments.c.tracking_number == tracking_number)
        ).first()
        if row is None:
            raise NotFound("shipment", tracking_number)
        return row._mapping

    def events(self, tracking_number: str) -> list[TrackingEvent]:
        """Stored events of one shipment, oldest first."""
        rows = self._c.execute(
            select(tracking_events)
            .where(tracking_events.c.tracking_number == tracking_number)
            .order_by(*tracking_events.primary_key.columns)
        )
        return [_event(row._mapping) for row in rows]

    def open_alerts(self, shipment_id: int) -> list[RowMapping]:
        rows = self._c.execute(
            select(alerts)
            .where(alerts.c.shipment_id == shipment_id, alerts.c.state != "resolved")
            .order_by(alerts.c.opened_at)
        )
        return [row._mapping for row in rows]


def _event(row: RowMapping) -> TrackingEvent:
    return TrackingEvent(
        carrier=row["carrier"],
        tracking_number=row["tracking_number"],
        occurred_at=row["occurred_at"],
        milestone=Milestone(row["milestone"]),
        status_code=row["status_code"],
        status_text=row["status_text"],
        location=row["location"],
        country=row["country"],
        incident_reason=row["incident_reason"],
        unknown_code=row["unknown_code"],
        local_time=row["local_time"],
    )
