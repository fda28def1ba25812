"""Bulk registration of labels (hand-offs) created in one go, e.g. a carrier manifest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tradelane.domain.shipments import Shipment
from tradelane.store.tables import shipments

__all__ = ["add_labels"]

CHUNK = 5_000


def add_labels(connection: Connection, labels: Sequence[Shipment]) -> int:
    """Insert labels not stored yet (by tracking number); returns how many were new.

    Unlike `TrackingRepository.register`, an existing row is left as it is: a manifest never
    overrides what hand-off or tracking already recorded.
    """
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    added = 0
    for start in range(0, len(labels), CHUNK):
        rows: list[dict[str, Any]] = [label.model_dump() for label in labels[start : start + CHUNK]]
        statement = insert(shipments).on_conflict_do_nothing(index_elements=["tracking_number"])
        added += connection.execute(statement, rows).rowcount
    return added
