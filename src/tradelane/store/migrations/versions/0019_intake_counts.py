"""webhook intake counts spread over shard rows: concurrent batches no longer wait on one row

Revision ID: 0019_intake_counts
Revises: 0018_tenant_keys
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_intake_counts"
down_revision = "0018_tenant_keys"
branch_labels = None
depends_on = None

TABLE = "webhook_intake_counts"
KEY = ["source", "outcome"]


def upgrade() -> None:
    # Existing totals become shard 0 of their (source, outcome).
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("shard", sa.SmallInteger(), nullable=False, server_default="0"))
        batch.drop_constraint(f"pk_{TABLE}", type_="primary")
        batch.create_primary_key(f"pk_{TABLE}", [*KEY, "shard"])


def downgrade() -> None:
    # Fold the shards back into one row per (source, outcome) before the key narrows.
    op.execute(
        f"UPDATE {TABLE} SET count = (SELECT SUM(s.count) FROM {TABLE} s WHERE "
        f"s.source = {TABLE}.source AND s.outcome = {TABLE}.outcome), last_at = (SELECT "
        f"MAX(s.last_at) FROM {TABLE} s WHERE s.source = {TABLE}.source AND s.outcome = "
        f"{TABLE}.outcome) WHERE shard = 0"
    )
    op.execute(
        f"INSERT INTO {TABLE} (source, outcome, shard, count, last_at, tenant_id) "
        f"SELECT source, outcome, 0, SUM(count), MAX(last_at), MIN(tenant_id) FROM {TABLE} t "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} z WHERE z.source = t.source AND "
        f"z.outcome = t.outcome AND z.shard = 0) GROUP BY source, outcome"
    )
    op.execute(f"DELETE FROM {TABLE} WHERE shard <> 0")
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(f"pk_{TABLE}", type_="primary")
        batch.create_primary_key(f"pk_{TABLE}", KEY)
        batch.drop_column("shard")
