"""alert ETA, lane windows, buyer notices: each alert's revised ETA and promise risk, the sweep's
lane table, one notice per order and cause

Revision ID: 0003_alert_eta
Revises: 0002_monitoring
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tradelane.store.types import UTCDateTime

revision = "0003_alert_eta"
down_revision = "0002_monitoring"
branch_labels = None
depends_on = None


RULES = ("no_departure", "no_arrival", "customs_hold", "no_event_in_transit", "late_delivery")


def upgrade() -> None:
    op.create_table(
        "sweep_lanes",
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("peak", sa.Boolean(), nullable=False),
        *(sa.Column(f"cutoff_{rule}", UTCDateTime(), nullable=True) for rule in RULES),
        sa.Column("floor_late_delivery", UTCDateTime(), nullable=True),
        *(sa.Column(f"rem_{k}", sa.Float(), nullable=False) for k in range(4)),
        sa.PrimaryKeyConstraint("channel_id", "country", "peak", name=op.f("pk_sweep_lanes")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revised_eta_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "promise_at_risk", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
    op.create_table(
        "customer_notices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("cause", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("shipment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite")),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_customer_notices_shipment_id_shipments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_notices")),
        sa.UniqueConstraint("order_id", "cause", name="uq_customer_notices_order_cause"),
    )


def downgrade() -> None:
    op.drop_table("sweep_lanes")
    op.drop_table("customer_notices")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_column("promise_at_risk")
        batch_op.drop_column("revised_eta_at")
