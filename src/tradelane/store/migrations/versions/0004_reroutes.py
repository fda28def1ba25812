"""reroutes: parcels moved to another line at the origin hub; voided labels

Revision ID: 0004_reroutes
Revises: 0003_alert_eta
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0004_reroutes"
down_revision = "0003_alert_eta"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = tradelane.store.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", WHEN, nullable=True))
    op.create_table(
        "reroutes",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("voided_tracking_number", sa.String(length=64), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("from_channel_id", sa.String(length=64), nullable=False),
        sa.Column("to_channel_id", sa.String(length=64), nullable=False),
        sa.Column("fee_amount", tradelane.store.types.DecimalText(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rerouted_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reroutes")),
    )
    with op.batch_alter_table("reroutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reroutes_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reroutes_from_channel_id_rerouted_at"),
            ["from_channel_id", "rerouted_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("reroutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reroutes_from_channel_id_rerouted_at"))
        batch_op.drop_index(batch_op.f("ix_reroutes_order_id"))
    op.drop_table("reroutes")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("voided_at")
