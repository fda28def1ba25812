"""scan identity: the milestone joins the key; scans without an offset keep their wall time

Revision ID: 0008_scan_identity
Revises: 0006_outbox_delivery
Create Date: 2026-12-01

Formats that carry only a milestone (generic, CSV) report distinct milestones at one day- or
minute-precise instant; without the milestone in the key all but the first were dropped as
duplicates. `local_time` (the carrier's wall time of a scan written without an offset) with a
partial unique index makes the same scan read under another assumed zone the same scan.
Scans stored before this revision have no `local_time` (nothing recorded whether their offset
was assumed).

SQLite cannot change a primary key: the table (WITHOUT ROWID) is rebuilt and its rows copied.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0008_scan_identity"
down_revision = "0006_outbox_delivery"
branch_labels = None
depends_on = None

OLD_KEY = ["tracking_number", "occurred_at", "status_code", "location", "carrier"]
NEW_KEY = [*OLD_KEY, "milestone"]
LOCAL_SCAN = ["tracking_number", "carrier", "status_code", "location", "milestone", "local_time"]
COLUMNS = [
    *NEW_KEY,
    "status_text",
    "country",
    "incident_reason",
    "unknown_code",
    "source",
    "received_at",
]


def _events_table(name: str, key: list[str], *, local_time: bool) -> None:
    instant = tradelane.store.types.UTCDateTime(timezone=True)
    op.create_table(
        name,
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", instant, nullable=False),
        sa.Column("status_code", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("milestone", sa.String(length=32), nullable=False),
        sa.Column("status_text", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("incident_reason", sa.String(length=200), nullable=True),
        sa.Column("unknown_code", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("received_at", instant, nullable=False),
        *([sa.Column("local_time", sa.DateTime(), nullable=True)] if local_time else []),
        sa.PrimaryKeyConstraint(*key, name="pk_tracking_events"),
        sqlite_with_rowid=False,
    )


def _rebuild_sqlite(key: list[str], *, local_time: bool) -> None:
    """Copy tracking_events into a table with `key` (SQLite cannot alter a primary key)."""
    _events_table("tracking_events_rebuilt", key, local_time=local_time)
    columns = ", ".join(COLUMNS)
    op.execute(
        f"INSERT OR IGNORE INTO tracking_events_rebuilt ({columns}) "
        f"SELECT {columns} FROM tracking_events"
    )
    op.drop_table("tracking_events")
    op.rename_table("tracking_events_rebuilt", "tracking_events")


def _local_scan_index() -> None:
    op.create_index(
        "uq_tracking_events_local_scan",
        "tracking_events",
        LOCAL_SCAN,
        unique=True,
        sqlite_where=sa.text("local_time IS NOT NULL"),
        postgresql_where=sa.text("local_time IS NOT NULL"),
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(NEW_KEY, local_time=True)
    else:
        op.drop_constraint("pk_tracking_events", "tracking_events", type_="primary")
        op.create_primary_key("pk_tracking_events", "tracking_events", NEW_KEY)
        op.add_column("tracking_events", sa.Column("local_time", sa.DateTime(), nullable=True))
    _local_scan_index()


def downgrade() -> None:
    """Back to the old key; of the scans it no longer tells apart, one is kept."""
    op.drop_index("uq_tracking_events_local_scan", table_name="tracking_events")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(OLD_KEY, local_time=False)
        return
    op.drop_column("tracking_events", "local_time")
    op.execute(
        "DELETE FROM tracking_events AS a USING tracking_events AS b WHERE "
        + " AND ".join(f"a.{c} = b.{c}" for c in OLD_KEY)
        + " AND a.milestone > b.milestone"
    )
    op.drop_constraint("pk_tracking_events", "tracking_events", type_="primary")
    op.create_primary_key("pk_tracking_events", "tracking_events", OLD_KEY)
