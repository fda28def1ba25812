"""monitoring: partial indexes the deviation sweep reads its candidates from

Revision ID: 0002_monitoring
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_monitoring"
down_revision = "0001"
branch_labels = None
depends_on = None

_NOT_ARRIVED = (
    "customs_hold_at IS NULL AND customs_cleared_at IS NULL"
    " AND out_for_delivery_at IS NULL AND delivered_at IS NULL"
)
INCLUDES = ("id", "channel_id", "destination_country", "status_rank")  # index-only sweeps
# rule -> (anchor column, predicate after "is_active AND"), as in store/tables.py
WATCHES = {
    "no_departure": (
        "picked_up_at",
        f"departed_origin_at IS NULL AND arrived_destination_at IS NULL AND {_NOT_ARRIVED}",
    ),
    "no_arrival": ("departed_origin_at", f"arrived_destination_at IS NULL AND {_NOT_ARRIVED}"),
    "customs_hold": (
        "customs_hold_at",
        "(customs_cleared_at IS NULL OR customs_cleared_at < customs_hold_at)"
        " AND out_for_delivery_at IS NULL AND delivered_at IS NULL",
    ),
    "no_event_in_transit": (
        "last_event_at",
        "status_rank >= 1 AND status_rank < 9 AND delivered_at IS NULL",
    ),
    "late_delivery": ("promised_at", "delivered_at IS NULL"),
}


def upgrade() -> None:
    for rule, (anchor, where) in WATCHES.items():
        op.create_index(
            f"ix_shipments_watch_{rule}",
            "shipments",
            [anchor],
            unique=False,
            sqlite_where=sa.text(f"is_active = 1 AND {where}"),
            postgresql_where=sa.text(f"is_active AND {where}"),
            postgresql_include=list(INCLUDES),
        )


def downgrade() -> None:
    for rule in reversed(WATCHES):
        op.drop_index(f"ix_shipments_watch_{rule}", table_name="shipments")
