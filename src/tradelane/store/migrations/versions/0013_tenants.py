"""tenants: a tenant_id on every table, the tenants and their API keys (hashes only)

Revision ID: 0013_tenants
Revises: 0012_experiments
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0013_tenants"
down_revision = "0012_experiments"
branch_labels = None
depends_on = None

# Every table of 0001..0012: existing rows belong to the default (embedded) tenant.
TABLES = (
    "alerts",
    "assignments",
    "catalogue_versions",
    "channel_states",
    "customer_notices",
    "experiments",
    "history_imports",
    "history_records",
    "inventory",
    "order_lines",
    "orders",
    "outbox",
    "reroutes",
    "shipments",
    "sweep_lanes",
    "switches",
    "tracking_events",
    "webhook_endpoints",
    "webhook_intake_counts",
    "webhook_receipts",
)


def _tenant_id() -> sa.Column[str]:
    return sa.Column("tenant_id", sa.String(length=64), nullable=False, server_default="default")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, _tenant_id())
    op.create_index("ix_orders_tenant_id_order_id", "orders", ["tenant_id", "order_id"])
    op.create_table(
        "tenants",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_tenants"),
    )
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        _tenant_id(),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("environment", sa.String(length=8), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", tradelane.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_api_keys"),
    )
    op.create_index("ix_api_keys_tenant_id", "api_keys", ["tenant_id"])
    op.create_table(
        "idempotency_keys",
        _tenant_id(),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "key", name="pk_idempotency_keys"),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_index("ix_api_keys_tenant_id", table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_table("tenants")
    op.drop_index("ix_orders_tenant_id_order_id", table_name="orders")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("tenant_id")
