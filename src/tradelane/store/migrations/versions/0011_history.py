"""history: imported delivery histories (one row per file, one per past shipment)

Revision ID: 0011_history
Revises: 0010_webhook_intake
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0011_history"
down_revision = "0010_webhook_intake"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "history_imports",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("imported_at", tradelane.store.types.UTCDateTime(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_imports")),
        sa.UniqueConstraint("digest", name=op.f("uq_history_imports_digest")),
    )
    op.create_table(
        "history_records",
        sa.Column("import_id", ID, nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("lane", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("mode", sa.String(length=64), nullable=True),
        sa.Column("shipped_at", tradelane.store.types.UTCDateTime(), nullable=True),
        sa.Column("scheduled_at", tradelane.store.types.UTCDateTime(), nullable=True),
        sa.Column("delivered_at", tradelane.store.types.UTCDateTime(), nullable=True),
        sa.Column("scheduled_day", sa.Date(), nullable=True),
        sa.Column("delivered_day", sa.Date(), nullable=True),
        sa.Column("transit_days", sa.Float(), nullable=True),
        sa.Column("promised_days", sa.Float(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("cost", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["history_imports.id"],
            name=op.f("fk_history_records_import_id_history_imports"),
        ),
        sa.PrimaryKeyConstraint("import_id", "row", name=op.f("pk_history_records")),
    )
    op.create_index(op.f("ix_history_records_channel_lane"), "history_records", ["channel", "lane"])


def downgrade() -> None:
    op.drop_index(op.f("ix_history_records_channel_lane"), table_name="history_records")
    op.drop_table("history_records")
    op.drop_table("history_imports")
