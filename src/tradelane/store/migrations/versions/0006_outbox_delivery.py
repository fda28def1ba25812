"""outbox delivery: globally unique webhook ids, parked messages, disabled endpoints

Revision ID: 0006_outbox_delivery
Revises: 0004_reroutes
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from tradelane.store.types import UTCDateTime

revision = "0006_outbox_delivery"
down_revision = "0004_reroutes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("webhook_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("parked_at", UTCDateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    outbox = sa.table("outbox", sa.column("id", sa.BigInteger()), sa.column("webhook_id"))
    ids = [row.id for row in connection.execute(sa.select(outbox.c.id))]
    for message_id in ids:
        connection.execute(
            sa.update(outbox)
            .where(outbox.c.id == message_id)
            .values(webhook_id="msg_" + uuid.uuid4().hex)
        )
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("webhook_id", existing_type=sa.String(40), nullable=False)
        batch.create_index("ix_outbox_webhook_id", ["webhook_id"], unique=True)
    op.create_table(
        "webhook_endpoints",
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("disabled_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_webhook_endpoints")),
    )


def downgrade() -> None:
    op.drop_table("webhook_endpoints")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_webhook_id")
        batch.drop_column("parked_at")
        batch.drop_column("webhook_id")
