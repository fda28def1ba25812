"""experiments: stored A/B tests of channel mixes

Revision ID: 0012_experiments
Revises: 0011_history
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0012_experiments"
down_revision = "0011_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiments")),
    )


def downgrade() -> None:
    op.drop_table("experiments")
