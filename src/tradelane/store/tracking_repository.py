"""Tracking events and the shipments projection. Never commits (the unit of work does).

Bulk path (see tracking_sql.py): `add_events()` inserts new events (SQLite: executemany with
ON CONFLICT DO NOTHING; PostgreSQL: COPY into a staging table), `store_added()` finishes the
de-duplicating insert and creates missing shipments, `refresh_added()` recomputes the
projection of every touched shipment from all of its stored events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select, text, update

from tradelane.domain.errors import Conflict, NotFound
from tradelane.domain.shipments import Milestone, Shipment, TrackingEvent
from tradelane.store.tables import alerts, shipments, tracking_events
from tradelane.store.tracking_sql import (
    EVENT_COLUMNS,
    INSERT_EVENT,
    INSERT_STAGED_EVENTS,
    INSERT_TOUCHED_SHIPMENTS,
    TOUCHED_NUMBERS,
    refresh_projection,
    staging_ddl,
    touched_ddl,
)
from tradelane.tracking.formats.parsed import ShipmentFacts
from tradelane.tracking.normalize import dedupe_key_of, utc_instant

__all__ = ["StoredBatch", "TrackingRepository"]

_COPY_EVENTS = f"COPY tracking_staging ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
_COPY_TOUCHED = "COPY tracking_touched (tracking_number, carrier) FROM STDIN"
_INSERT_TOUCHED = "INSERT INTO tracking_touched (tracking_number, carrier) VALUES (?, ?)"
_SQLITE_CACHE = "PRAGMA cache_size = -65536"  # 64 MiB page cache for index-heavy bulk inserts


@dataclass(frozen=True)
class StoredBatch:
    inserted: int
    shipments_created: int


class TrackingRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._postgres = connection.dialect.name == "postgresql"
        self._touched: dict[str, str] = {}
        self._inserted = 0
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        dialect = self._c.dialect.name
        self._c.exec_driver_sql(touched_ddl(dialect))
        if self._postgres:
            self._c.exec_driver_sql(staging_ddl(dialect))
        else:
            self._c.exec_driver_sql(_SQLITE_CACHE)
        self._ready = True

    def add_events(
        self, events: Sequence[TrackingEvent], *, source: str, received_at: datetime
    ) -> None:
        """Add events of this transaction's batch; duplicates (by dedupe key) are skipped."""
        self._prepare()
        received = utc_instant(received_at)
        rows = [_row(e, source, received) for e in events]
        for event in events:
            self._touched.setdefault(event.tracking_number, event.carrier)
        if self._postgres:
            self._copy(rows, _COPY_EVENTS)
        else:
            sqlite_rows = [(*r[:3], r[3][:26], *r[4:12], r[12][:26]) for r in rows]
            self._inserted += self._c.exec_driver_sql(INSERT_EVENT, sqlite_rows).rowcount

    def _copy(self, rows: Sequence[tuple[Any, ...]], statement: str) -> None:
        raw = self._c.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)

    def store_added(self) -> StoredBatch:
        """Finish the insert of the added events; create shipments not known yet."""
        self._prepare()
        if self._postgres:
            self._inserted = self._c.exec_driver_sql(INSERT_STAGED_EVENTS).rowcount
        touched = list(self._touched.items())
        if self._postgres:
            self._copy(touched, _COPY_TOUCHED)
        elif touched:
            self._c.exec_driver_sql(_INSERT_TOUCHED, touched)
        created = self._c.exec_driver_sql(INSERT_TOUCHED_SHIPMENTS).rowcount
        return StoredBatch(inserted=self._inserted, shipments_created=created)

    def refresh_added(self) -> int:
        """Recompute the projection of every touched shipment; forgets the batch."""
        updated = self._c.exec_driver_sql(refresh_projection(TOUCHED_NUMBERS)).rowcount
        for table in (
            ("tracking_touched", "tracking_staging") if self._postgres else ("tracking_touched",)
        ):
            self._c.exec_driver_sql(f"DELETE FROM {table}")
        self._touched.clear()
        self._inserted = 0
        return updated

    def refresh(self, tracking_number: str) -> None:
        statement = text(refresh_projection("SELECT :tracking_number"))
        self._c.execute(statement, {"tracking_number": tracking_number})

    def fill_facts(self, facts: Sequence[ShipmentFacts]) -> None:
        """Set origin/destination where the shipment does not know them yet."""
        for fact in facts:
            self._c.execute(
                update(shipments)
                .where(shipments.c.tracking_number == fact.tracking_number)
                .values(
                    origin_country=func.coalesce(shipments.c.origin_country, fact.origin_country),
                    destination_country=func.coalesce(
                        shipments.c.destination_country, fact.destination_country
                    ),
                )
            )

    def register(self, shipment: Shipment) -> bool:
        """Record hand-off facts; True when the row is new. Conflict if another order owns it."""
        row = self._c.execute(
            select(shipments.c.order_id).where(
                shipments.c.tracking_number == shipment.tracking_number
            )
        ).first()
        facts = shipment.model_dump(exclude={"tracking_number"})
        if row is None:
            self._c.execute(
                shipments.insert().values(tracking_number=shipment.tracking_number, **facts)
            )
            return True
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
            .order_by(tracking_events.c.occurred_at, tracking_events.c.id)
        )
        return [_event(row._mapping) for row in rows]

    def open_alerts(self, shipment_id: int) -> list[RowMapping]:
        rows = self._c.execute(
            select(alerts)
            .where(alerts.c.shipment_id == shipment_id, alerts.c.state != "resolved")
            .order_by(alerts.c.opened_at)
        )
        return [row._mapping for row in rows]


def _row(event: TrackingEvent, source: str, received: str) -> tuple[Any, ...]:
    """One row in EVENT_COLUMNS order; times as UTC ISO text (SQLite takes the first 26 chars,
    SQLAlchemy's own format; PostgreSQL parses the offset)."""
    instant = utc_instant(event.occurred_at)
    code, location = event.status_code, event.location
    return (
        dedupe_key_of(event.carrier, event.tracking_number, instant, code, location),
        event.carrier,
        event.tracking_number,
        instant,
        event.milestone.value,
        code,
        event.status_text,
        location,
        event.country,
        event.incident_reason,
        event.unknown_code,
        source,
        received,
    )


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
    )
