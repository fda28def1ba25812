"""webhook intake: ids of accepted inbound tracking webhooks and a count per outcome

Revision ID: 0010_webhook_intake
Revises: 0009_handoff
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0010_webhook_intake"
down_revision = "0009_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_receipts",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("received_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "message_id"),
    )
    op.create_table(
        "webhook_intake_counts",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("last_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", "outcome"),
    )


def downgrade() -> None:
    op.drop_table("webhook_intake_counts")
    op.drop_table("webhook_receipts")
