"""SQL text of the tracking bulk path's inserts, for SQLite and PostgreSQL alike.

    rows ─▶ SQLite: INSERT ... VALUES of 80 rows per statement, ON CONFLICT DO NOTHING
            PostgreSQL: per stage, binary COPY into temp table tracking_staging, then one
            INSERT ... SELECT (plain until a stored scan is met, then ON CONFLICT DO NOTHING;
            tracking_copy.py)
         ─▶ touched tracking numbers (+ carrier, + countries the source gave) into temp
            table tracking_touched, for the projection (tracking_projection.py)

Rows go in primary key order (tracking number first). The conflict target of the events is
their unique keys, the identity of a scan (tables.py): the primary key, and for a scan
written without an offset its local wall time. Every statement is built from constants
of this package, never from input.
"""

from __future__ import annotations

__all__ = [
    "BATCH_COLUMNS",
    "CLEAR_STAGING",
    "COUNT_NEW_SHIPMENTS",
    "INSERT_STAGED_EVENTS",
    "INSERT_STAGED_NEW_EVENTS",
    "ROW_COLUMNS",
    "STAGING_TYPES",
    "TOUCHED",
    "insert_events",
    "staging_ddl",
    "touched_ddl",
]

# A row holds one event's fields, key columns first (the primary key's order); the batch's
# source and receipt time are bound once per statement (BATCH_COLUMNS).
ROW_COLUMNS = (
    "tracking_number",
    "occurred_at",
    "status_code",
    "location",
    "carrier",
    "milestone",
    "status_text",
    "country",
    "incident_reason",
    "unknown_code",
    "local_time",
)
BATCH_COLUMNS = ("source", "received_at")
# PostgreSQL types of ROW_COLUMNS for the binary COPY (varchar's wire format is text's).
STAGING_TYPES = ("text", "timestamptz", *["text"] * 7, "bool", "timestamp")
_NULLABLE = ("country", "incident_reason", "local_time")
_COLUMNS = ", ".join((*ROW_COLUMNS, *BATCH_COLUMNS))


def insert_events(rows: int) -> str:
    """SQLite: INSERT of `rows` events in one statement, duplicates skipped (several rows per
    statement cost less than one statement per row). Parameters: the rows' fields one after
    the other, then source and received_at."""
    width = len(ROW_COLUMNS)
    batch = ", ".join(f"?{rows * width + 1 + i}" for i in range(len(BATCH_COLUMNS)))
    values = ", ".join(
        f"({', '.join(f'?{row * width + 1 + i}' for i in range(width))}, {batch})"
        for row in range(rows)
    )
    return f"INSERT INTO tracking_events ({_COLUMNS}) VALUES {values} ON CONFLICT DO NOTHING"


def staging_ddl() -> str:
    """PostgreSQL's session-local staging table: no index, no WAL, emptied at commit."""
    columns = ", ".join(
        f"{name} {kind}{'' if name in _NULLABLE else ' NOT NULL'}"
        for name, kind in zip(ROW_COLUMNS, STAGING_TYPES, strict=True)
    )
    return (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS tracking_staging ({columns}) ON COMMIT DELETE ROWS"
    )


# The staged rows into tracking_events, duplicates of stored scans skipped. ON CONFLICT DO
# NOTHING probes the key as it inserts and copes with concurrent writers of the same scans.
# (An anti-join, INSERT ... WHERE NOT EXISTS, was faster only into an empty table: against 1M
# stored events it took 1.0-1.15 s per 100k new ones, ON CONFLICT 0.7 s.)
INSERT_STAGED_EVENTS = (
    f"INSERT INTO tracking_events ({_COLUMNS}) SELECT {', '.join(ROW_COLUMNS)}, "
    "%(source)s, %(received_at)s FROM tracking_staging ON CONFLICT DO NOTHING"
)
# The same without ON CONFLICT (a third less work per row): fails on the first stored scan.
INSERT_STAGED_NEW_EVENTS = INSERT_STAGED_EVENTS.removesuffix(" ON CONFLICT DO NOTHING")
CLEAR_STAGING = "TRUNCATE tracking_staging"
TOUCHED = (
    "SELECT tracking_number, carrier, origin_country, destination_country FROM tracking_touched"
)
COUNT_NEW_SHIPMENTS = (
    "SELECT count(*) FROM tracking_touched AS t WHERE NOT EXISTS "
    "(SELECT 1 FROM shipments AS s WHERE s.tracking_number = t.tracking_number)"
)


def touched_ddl(dialect: str) -> str:
    """The session-local list of tracking numbers a batch touched, with what the batch says of
    their shipment (carrier, and the countries where the source gave them)."""
    suffix = " ON COMMIT DELETE ROWS" if dialect == "postgresql" else ""
    return (
        "CREATE TEMPORARY TABLE IF NOT EXISTS tracking_touched ("
        "tracking_number VARCHAR(64) PRIMARY KEY, carrier VARCHAR(40) NOT NULL, "
        f"origin_country VARCHAR(2), destination_country VARCHAR(2)){suffix}"
    )
