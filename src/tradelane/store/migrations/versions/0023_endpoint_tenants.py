"""endpoint tenants: a 410 Gone disables a webhook URL for one tenant, not the installation

webhook_endpoints is keyed by (tenant_id, url). A URL disabled before the upgrade stayed
disabled for every tenant's messages: it stays so for each tenant with undelivered messages
to it (their parked messages wait for `monitor enable` as before); other tenants' new
messages to it are sent.

Revision ID: 0023_endpoint_tenants
Revises: 0022_tenant_orders
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0023_endpoint_tenants"
down_revision = "0022_tenant_orders"
branch_labels = None
depends_on = None

TABLE = "webhook_endpoints"


def _set_primary_key(columns: list[str]) -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(f"pk_{TABLE}", type_="primary")
        batch.create_primary_key(f"pk_{TABLE}", columns)


def upgrade() -> None:
    _set_primary_key(["tenant_id", "url"])
    op.execute(
        "INSERT INTO webhook_endpoints (tenant_id, url, disabled_at, reason)"
        " SELECT DISTINCT o.tenant_id, e.url, e.disabled_at, e.reason"
        " FROM webhook_endpoints e JOIN outbox o ON o.destination = e.url"
        " WHERE o.delivered_at IS NULL AND o.tenant_id <> e.tenant_id"
    )


def downgrade() -> None:
    """Back to one row per URL: the earliest disable of each is kept."""
    op.execute(
        "DELETE FROM webhook_endpoints WHERE EXISTS (SELECT 1 FROM webhook_endpoints f"
        " WHERE f.url = webhook_endpoints.url AND (f.disabled_at < webhook_endpoints.disabled_at"
        " OR (f.disabled_at = webhook_endpoints.disabled_at"
        " AND f.tenant_id < webhook_endpoints.tenant_id)))"
    )
    _set_primary_key(["url"])
