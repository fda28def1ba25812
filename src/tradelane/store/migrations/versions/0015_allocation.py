"""allocation: the stored allocation ratios selection honours as quotas

Revision ID: 0015_allocation
Revises: 0014_tick_leases
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0015_allocation"
down_revision = "0014_tick_leases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "allocation_ratios",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("horizon_start", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("computed_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False, server_default="default"),
        sa.PrimaryKeyConstraint("country", "channel_id"),
    )


def downgrade() -> None:
    op.drop_table("allocation_ratios")
