"""tick leases: the last run of each scheduled job and shard

Revision ID: 0014_tick_leases
Revises: 0013_tenants
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0014_tick_leases"
down_revision = "0013_tenants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tick_leases",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("shard", sa.String(length=40), nullable=False),
        sa.Column("last_run_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False, server_default="default"),
        sa.PrimaryKeyConstraint("job", "shard"),
    )


def downgrade() -> None:
    op.drop_table("tick_leases")
