"""handoff: what a hand-off records beside the shipment (label cost, how it was booked)

Revision ID: 0009_handoff
Revises: 0008_scan_identity
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0009_handoff"
down_revision = "0008_scan_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("label_cost_amount", tradelane.store.types.DecimalText(), nullable=True)
        )
        batch_op.add_column(sa.Column("label_cost_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("booked_via", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_column("booked_via")
        batch_op.drop_column("label_cost_currency")
        batch_op.drop_column("label_cost_amount")
