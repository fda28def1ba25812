"""promise at risk: the sweep lanes' quick-end leg hours and the rule's window, and the rule's
partial index of candidate shipments

Revision ID: 0016_promise_at_risk
Revises: 0015_allocation
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tradelane.store.types import UTCDateTime

revision = "0016_promise_at_risk"
down_revision = "0015_allocation"
branch_labels = None
depends_on = None

LEGS = 4
WATCH_INCLUDES = ("id", "channel_id", "destination_country", "status_rank")
WATCH = "status_rank < 9 AND promised_at IS NOT NULL AND delivered_at IS NULL"


def upgrade() -> None:
    # the sweep rewrites sweep_lanes at its start: the table holds no rows between sweeps
    with op.batch_alter_table("sweep_lanes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cutoff_promise_at_risk", UTCDateTime(), nullable=True))
        for k in range(LEGS):
            batch_op.add_column(
                sa.Column(f"quick_rem_{k}", sa.Float(), server_default="0", nullable=False)
            )
    op.create_index(
        "ix_shipments_watch_promise_at_risk",
        "shipments",
        ["handed_over_at"],
        unique=False,
        sqlite_where=sa.text(f"is_active = 1 AND {WATCH}"),
        postgresql_where=sa.text(f"is_active AND {WATCH}"),
        postgresql_include=list(WATCH_INCLUDES),
    )


def downgrade() -> None:
    op.drop_index("ix_shipments_watch_promise_at_risk", table_name="shipments")
    with op.batch_alter_table("sweep_lanes", schema=None) as batch_op:
        for k in reversed(range(LEGS)):
            batch_op.drop_column(f"quick_rem_{k}")
        batch_op.drop_column("cutoff_promise_at_risk")
