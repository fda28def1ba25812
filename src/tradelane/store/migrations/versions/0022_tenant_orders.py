"""tenant orders: order ids and warehouse stock are per tenant

An order is keyed by (tenant_id, order_id), and what refers to an order (its lines, its
assignments, shipments, re-routes, customer notices) by the same pair; inventory is keyed by
(tenant_id, warehouse, sku). Existing rows keep their tenant. Before the upgrade an order id
was unique across tenants, so each referring row first takes its order's tenant (a switch or
a sweep run as another tenant may have stamped its own).

SQLite rebuilds a table to change its keys, and dropping a table that others reference with
ON DELETE CASCADE would delete their rows: the foreign keys to orders are dropped before
orders is rebuilt and added back afterwards.

Revision ID: 0022_tenant_orders
Revises: 0021_webhook_subscriptions
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_tenant_orders"
down_revision = "0021_webhook_subscriptions"
branch_labels = None
depends_on = None

ORDER_CHILDREN = ("order_lines", "assignments")  # foreign keys to orders
REFERRING = ("order_lines", "assignments", "shipments", "reroutes", "customer_notices")
INDEXED = ("shipments", "reroutes")  # a plain index on order_id, now on (tenant_id, order_id)
CURRENT = sa.text("superseded_at IS NULL")


def _take_order_tenants() -> None:
    for table in REFERRING:
        op.execute(
            f"UPDATE {table} SET tenant_id = (SELECT o.tenant_id FROM orders o"
            f" WHERE o.order_id = {table}.order_id)"
            f" WHERE EXISTS (SELECT 1 FROM orders o WHERE o.order_id = {table}.order_id"
            f" AND o.tenant_id <> {table}.tenant_id)"
        )


def _set_primary_key(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", columns)


def _current_assignment_index(columns: list[str]) -> None:
    op.create_index(
        "uq_assignments_current",
        "assignments",
        columns,
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )


def _notice_key(old: str, new: str, columns: list[str]) -> None:
    with op.batch_alter_table("customer_notices") as batch:
        batch.drop_constraint(old, type_="unique")
        batch.create_unique_constraint(new, columns)


def upgrade() -> None:
    _take_order_tenants()
    op.drop_index("uq_assignments_current", table_name="assignments")
    op.drop_index("ix_assignments_order_id", table_name="assignments")
    for table in ORDER_CHILDREN:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_order_id_orders", type_="foreignkey")
    _set_primary_key("order_lines", ["tenant_id", "order_id", "line_no"])
    op.drop_index("ix_orders_tenant_id_order_id", table_name="orders")
    _set_primary_key("orders", ["tenant_id", "order_id"])
    for table in ORDER_CHILDREN:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(
                f"fk_{table}_tenant_id_orders",
                "orders",
                ["tenant_id", "order_id"],
                ["tenant_id", "order_id"],
                ondelete="CASCADE",
            )
    op.create_index("ix_assignments_tenant_id_order_id", "assignments", ["tenant_id", "order_id"])
    _current_assignment_index(["tenant_id", "order_id"])
    for table in INDEXED:
        op.drop_index(f"ix_{table}_order_id", table_name=table)
        op.create_index(f"ix_{table}_tenant_id_order_id", table, ["tenant_id", "order_id"])
    _notice_key(
        "uq_customer_notices_order_cause",
        "uq_customer_notices_tenant_order_cause",
        ["tenant_id", "order_id", "cause"],
    )
    _set_primary_key("inventory", ["tenant_id", "warehouse", "sku"])


def downgrade() -> None:
    """Back to global ids: fails (a duplicate key) once two tenants share an order id or a
    warehouse's SKU."""
    _set_primary_key("inventory", ["warehouse", "sku"])
    _notice_key(
        "uq_customer_notices_tenant_order_cause",
        "uq_customer_notices_order_cause",
        ["order_id", "cause"],
    )
    for table in INDEXED:
        op.drop_index(f"ix_{table}_tenant_id_order_id", table_name=table)
        op.create_index(f"ix_{table}_order_id", table, ["order_id"])
    op.drop_index("uq_assignments_current", table_name="assignments")
    op.drop_index("ix_assignments_tenant_id_order_id", table_name="assignments")
    for table in ORDER_CHILDREN:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_tenant_id_orders", type_="foreignkey")
    _set_primary_key("orders", ["order_id"])
    op.create_index("ix_orders_tenant_id_order_id", "orders", ["tenant_id", "order_id"])
    _set_primary_key("order_lines", ["order_id", "line_no"])
    for table in ORDER_CHILDREN:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(
                f"fk_{table}_order_id_orders",
                "orders",
                ["order_id"],
                ["order_id"],
                ondelete="CASCADE",
            )
    op.create_index("ix_assignments_order_id", "assignments", ["order_id"])
    _current_assignment_index(["order_id"])
