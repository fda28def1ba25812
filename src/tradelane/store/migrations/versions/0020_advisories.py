"""advisories: announced disruptions (port, customs, carrier, flights, warehouse) switching acts on

Revision ID: 0020_advisories
Revises: 0019_intake_counts
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0020_advisories"
down_revision = "0019_intake_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advisories",
        sa.Column("tenant_id", sa.String(length=64), nullable=False, server_default="default"),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("port", sa.String(length=16), nullable=True),
        sa.Column("carrier", sa.String(length=64), nullable=True),
        sa.Column("air_type", sa.String(length=20), nullable=True),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("starts_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("ends_at", tradelane.store.types.UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_advisories"),
    )


def downgrade() -> None:
    op.drop_table("advisories")
