"""tenant keys: lane states are per tenant, and a handed-off parcel belongs to its order's
tenant (rows of parcels tracked before their hand-off were left on the default tenant)

Revision ID: 0018_tenant_keys
Revises: 0017_tenantgaps
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0018_tenant_keys"
down_revision = "0017_tenantgaps"
branch_labels = None
depends_on = None

STATE_KEY = (["channel_id", "country"], ["tenant_id", "channel_id", "country"])


def _set_state_key(columns: list[str]) -> None:
    with op.batch_alter_table("channel_states") as batch:
        batch.drop_constraint("pk_channel_states", type_="primary")
        batch.create_primary_key("pk_channel_states", columns)


def upgrade() -> None:
    _set_state_key(STATE_KEY[1])
    op.execute(
        "UPDATE shipments SET tenant_id = (SELECT orders.tenant_id FROM orders "
        "WHERE orders.order_id = shipments.order_id) "
        "WHERE order_id IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM orders WHERE orders.order_id = shipments.order_id)"
    )


def downgrade() -> None:
    op.execute(  # two tenants' states of one lane cannot share the old key: keep the default's
        "DELETE FROM channel_states WHERE tenant_id <> 'default'"
    )
    _set_state_key(STATE_KEY[0])
