"""in-flight lane index: shipments in flight by (tenant, channel, destination, hand-over time),
for lane health's count of the parcels past their lane's p90

Revision ID: 0024_in_flight_lane_index
Revises: 0023_endpoint_tenants
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_in_flight_lane_index"
down_revision = "0023_endpoint_tenants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_shipments_in_flight_lane",
        "shipments",
        ["tenant_id", "channel_id", "destination_country", "handed_over_at"],
        unique=False,
        sqlite_where=sa.text("is_active IS 1 AND delivered_at IS NULL"),
        postgresql_where=sa.text("is_active IS true AND delivered_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_shipments_in_flight_lane", table_name="shipments")
