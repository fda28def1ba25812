"""webhook subscriptions: each tenant's own destinations, and the outbox message's subscription

Revision ID: 0021_webhook_subscriptions
Revises: 0020_advisories
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0021_webhook_subscriptions"
down_revision = "0020_advisories"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False, server_default="default"),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=True),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("disabled_at", tradelane.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_subscriptions"),
    )
    op.create_index("ix_webhook_subscriptions_tenant_id", "webhook_subscriptions", ["tenant_id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("subscription_id", ID, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("subscription_id")
    op.drop_index("ix_webhook_subscriptions_tenant_id", table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
