"""tenant keys: history re-imports, experiment ids and allocation ratios are per tenant

Revision ID: 0017_tenantgaps
Revises: 0016_promise_at_risk
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0017_tenantgaps"
down_revision = "0016_promise_at_risk"
branch_labels = None
depends_on = None

# table -> (its key's columns before, after); existing rows all belong to one tenant each way
PRIMARY_KEYS = {
    "experiments": (["id"], ["tenant_id", "id"]),
    "allocation_ratios": (["country", "channel_id"], ["tenant_id", "country", "channel_id"]),
}


def _set_primary_key(table: str, columns: list[str]) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", columns)


def _set_digest_unique(old: str, new: str, columns: list[str]) -> None:
    with op.batch_alter_table("history_imports") as batch:
        batch.drop_constraint(old, type_="unique")
        batch.create_unique_constraint(new, columns)


def upgrade() -> None:
    for table, (_, after) in PRIMARY_KEYS.items():
        _set_primary_key(table, after)
    _set_digest_unique(
        "uq_history_imports_digest", "uq_history_imports_tenant_id_digest", ["tenant_id", "digest"]
    )


def downgrade() -> None:
    _set_digest_unique(
        "uq_history_imports_tenant_id_digest", "uq_history_imports_digest", ["digest"]
    )
    for table, (before, _) in PRIMARY_KEYS.items():
        _set_primary_key(table, before)
