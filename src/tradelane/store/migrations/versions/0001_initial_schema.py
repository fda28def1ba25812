"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tradelane.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_versions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("loaded_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_versions")),
    )
    op.create_table(
        "channel_states",
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("since", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("breaching_streak", sa.Integer(), nullable=False),
        sa.Column("healthy_since", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", "country", name=op.f("pk_channel_states")),
    )
    op.create_table(
        "inventory",
        sa.Column("warehouse", sa.String(length=16), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("updated_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("warehouse", "sku", name=op.f("pk_inventory")),
    )
    op.create_table(
        "orders",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("marketplace", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("declared_value", tradelane.store.types.DecimalText(length=40), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=False),
        sa.Column("length_cm", sa.Float(), nullable=True),
        sa.Column("width_cm", sa.Float(), nullable=True),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.Column("goods_classes", sa.String(length=200), nullable=False),
        sa.Column("skus", sa.String(length=2000), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("promised_days", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="new", nullable=False),
        sa.Column("imported_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_orders_status"), ["status"], unique=False)

    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("destination", sa.String(length=500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("delivered_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_delivered_at_next_attempt_at"),
            ["delivered_at", "next_attempt_at"],
            unique=False,
        )

    op.create_table(
        "shipments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=True),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("destination_country", sa.String(length=2), nullable=True),
        sa.Column(
            "handed_over_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("promised_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=32), server_default="info_received", nullable=False),
        sa.Column("status_rank", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("(true)"), nullable=False),
        sa.Column("last_event_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("picked_up_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "departed_origin_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "arrived_destination_at",
            tradelane.store.types.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "customs_hold_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "customs_cleared_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "out_for_delivery_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("delivered_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("exception_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_shipments_tracking_number")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipments_is_active_channel_id"),
            ["is_active", "channel_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False)

    op.create_table(
        "switches",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("backup_channel_id", sa.String(length=64), nullable=True),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("started_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_switches")),
    )
    with op.batch_alter_table("switches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_switches_channel_id_ended_at"), ["channel_id", "ended_at"], unique=False
        )

    op.create_table(
        "tracking_events",
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("milestone", sa.String(length=32), nullable=False),
        sa.Column("status_text", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("incident_reason", sa.String(length=200), nullable=True),
        sa.Column("unknown_code", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("received_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "tracking_number",
            "occurred_at",
            "status_code",
            "location",
            "carrier",
            name=op.f("pk_tracking_events"),
        ),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "alerts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "shipment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("opened_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "acknowledged_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("resolved_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_alerts_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_state"), ["state"], unique=False)
        batch_op.create_index(
            "uq_alerts_one_open_per_rule",
            ["shipment_id", "rule"],
            unique=True,
            sqlite_where=sa.text("state <> 'resolved'"),
            postgresql_where=sa.text("state <> 'resolved'"),
        )

    op.create_table(
        "assignments",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("primary_channel_id", sa.String(length=64), nullable=True),
        sa.Column("backup_channel_ids", sa.JSON(), nullable=False),
        sa.Column("cost_amount", tradelane.store.types.DecimalText(length=40), nullable=True),
        sa.Column("cost_currency", sa.String(length=3), nullable=True),
        sa.Column("on_time_probability", sa.Float(), nullable=True),
        sa.Column("score", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column(
            "catalogue_version_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("assigned_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", tradelane.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["catalogue_version_id"],
            ["catalogue_versions.id"],
            name=op.f("fk_assignments_catalogue_version_id_catalogue_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_assignments_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignments_primary_channel_id"), ["primary_channel_id"], unique=False
        )
        batch_op.create_index(
            "uq_assignments_current",
            ["order_id"],
            unique=True,
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        )

    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("line_no", sa.SmallInteger(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_value", tradelane.store.types.DecimalText(length=40), nullable=False),
        sa.Column("unit_weight_kg", sa.Float(), nullable=False),
        sa.Column("length_cm", sa.Float(), nullable=True),
        sa.Column("width_cm", sa.Float(), nullable=True),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.Column("hs_code", sa.String(length=10), nullable=True),
        sa.Column("goods_classes", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
            name=op.f("fk_order_lines_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no", name=op.f("pk_order_lines")),
    )


def downgrade() -> None:
    op.drop_table("order_lines")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_assignments_current",
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_assignments_primary_channel_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_order_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_alerts_one_open_per_rule",
            sqlite_where=sa.text("state <> 'resolved'"),
            postgresql_where=sa.text("state <> 'resolved'"),
        )
        batch_op.drop_index(batch_op.f("ix_alerts_state"))

    op.drop_table("alerts")
    op.drop_table("tracking_events")
    with op.batch_alter_table("switches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_switches_channel_id_ended_at"))

    op.drop_table("switches")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))
        batch_op.drop_index(batch_op.f("ix_shipments_is_active_channel_id"))

    op.drop_table("shipments")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_delivered_at_next_attempt_at"))

    op.drop_table("outbox")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_status"))
        batch_op.drop_index(batch_op.f("ix_orders_country"))

    op.drop_table("orders")
    op.drop_table("inventory")
    op.drop_table("channel_states")
    op.drop_table("catalogue_versions")
