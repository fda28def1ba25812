"""Tracking events and the shipments projection. Never commits (the unit of work does).

Bulk path: `stage()` loads rows into a session-local staging table (SQLite executemany,
PostgreSQL COPY), `store_staged()` moves new ones into tracking_events with one de-duplicating
INSERT ... SELECT and creates missing shipments, `refresh_staged()` recomputes the projection of
every touched shipment from all of its stored events (see tracking_sql.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select, text, update

from tradelane.domain.errors import Conflict, NotFound
from tradelane.domain.shipments import Milestone, Shipment, TrackingEvent
from tradelane.store.tables import alerts, shipments, tracking_events
from tradelane.store.tracking_sql import (
    EVENT_COLUMNS,
    INSERT_STAGED_EVENTS,
    INSERT_STAGED_SHIPMENTS,
    STAGED_NUMBERS,
    refresh_projection,
    staging_ddl,
)
from tradelane.tracking.formats.parsed import ShipmentFacts
from tradelane.tracking.normalize import dedupe_key

__all__ = ["StoredBatch", "TrackingRepository", "event_row"]

EventRow = tuple[Any, ...]
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
_NAMES = ", ".join(EVENT_COLUMNS)
_STAGE = f"INSERT INTO tracking_staging ({_NAMES}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
_COPY = f"COPY tracking_staging ({_NAMES}) FROM STDIN"


@dataclass(frozen=True)
class StoredBatch:
    inserted: int
    shipments_created: int


def event_row(event: TrackingEvent, *, source: str, received_at: datetime) -> EventRow:
    """The staging row of one event, in EVENT_COLUMNS order (times as tz-aware UTC)."""
    return (
        dedupe_key(event),
        event.carrier,
        event.tracking_number,
        event.occurred_at.astimezone(UTC),
        event.milestone.value,
        event.status_code,
        event.status_text,
        event.location,
        event.country,
        event.incident_reason,
        event.unknown_code,
        source,
        received_at,
    )


class TrackingRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection
        self._dialect = connection.dialect.name
        self._staging_ready = False

    def _ensure_staging(self) -> None:
        if not self._staging_ready:
            self._c.exec_driver_sql(staging_ddl(self._dialect))
            self._staging_ready = True

    def stage(self, rows: Sequence[EventRow]) -> None:
        """Append rows to the staging table of this transaction."""
        self._ensure_staging()
        if self._dialect == "postgresql":
            self._copy(rows)
        else:
            self._c.exec_driver_sql(_STAGE, [_sqlite_row(r) for r in rows])

    def _copy(self, rows: Sequence[EventRow]) -> None:
        raw = self._c.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(_COPY) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)

    def store_staged(self) -> StoredBatch:
        """Insert the staged events not stored yet and the shipments not known yet."""
        self._ensure_staging()
        inserted = self._c.exec_driver_sql(INSERT_STAGED_EVENTS).rowcount
        created = self._c.exec_driver_sql(INSERT_STAGED_SHIPMENTS).rowcount
        return StoredBatch(inserted=inserted, shipments_created=created)

    def refresh_staged(self) -> int:
        """Recompute the projection of every staged tracking number; empties the staging table."""
        touched = self._c.exec_driver_sql(refresh_projection(STAGED_NUMBERS)).rowcount
        self._c.exec_driver_sql("DELETE FROM tracking_staging")
        return touched

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

    def count_events(self) -> int:
        return int(self._c.scalar(select(func.count()).select_from(tracking_events)) or 0)


def _sqlite_row(row: EventRow) -> EventRow:
    """SQLite keeps times as naive UTC text in SQLAlchemy's format, booleans as 0/1."""
    values = list(row)
    values[3] = row[3].strftime(_SQLITE_TIME)
    values[10] = int(row[10])
    values[12] = row[12].astimezone(UTC).strftime(_SQLITE_TIME)
    return tuple(values)


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
