"""Every stored row belongs to a tenant: a `tenant_id` column on every table.

The unit of work names its tenant in CURRENT_TENANT while it is open, and every Core INSERT
that does not say otherwise stamps the row with it (a Python-side column default). Rows
written by set-based SQL (INSERT ... SELECT, COPY) take the server default, DEFAULT_TENANT
(the embedded, single-seller setup), unless the SELECT carries the owner: the sweep's alerts
copy their shipment's tenant_id and their outbox messages the alert's; a hand-off gives the
shipment its order's tenant. Reads of tenant data filter with `tenant_owns`: orders, and what
hangs from them through the order (store/tenant_views.py), and the lane states, switches and
lane health figures of the tenant's own parcels. A tenant without a catalogue of its own uses
the default tenant's.

An order id is unique within its tenant only: a row refers to an order by (tenant_id,
order_id), and a join to an order matches both (`same_order`).
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import Column, ColumnElement, FromClause, MetaData, String, and_

__all__ = [
    "CURRENT_TENANT",
    "DEFAULT_TENANT",
    "TENANT_ID_MAX",
    "same_order",
    "stamp_tenant_columns",
    "tenant_id_column",
    "tenant_owns",
]

DEFAULT_TENANT = "default"
TENANT_ID_MAX = 64
CURRENT_TENANT: ContextVar[str] = ContextVar("tradelane_tenant", default=DEFAULT_TENANT)


def _current_tenant() -> str:
    return CURRENT_TENANT.get()


def tenant_id_column() -> Column[str]:
    return Column(
        "tenant_id",
        String(TENANT_ID_MAX),
        nullable=False,
        default=_current_tenant,
        server_default=DEFAULT_TENANT,
    )


def tenant_owns(column: ColumnElement[str]) -> ColumnElement[bool]:
    """`column` (a tenant_id) is the open unit of work's tenant: the filter of a scoped read."""
    return column == CURRENT_TENANT.get()


def same_order(left: FromClause, right: FromClause) -> ColumnElement[bool]:
    """`left` and `right` (tables or aliases with tenant_id and order_id) name the same order:
    the join condition wherever rows meet through their order."""
    return and_(left.c.tenant_id == right.c.tenant_id, left.c.order_id == right.c.order_id)


def stamp_tenant_columns(metadata: MetaData) -> None:
    """Give every table of `metadata` without one a tenant_id column (idempotent)."""
    for table in metadata.tables.values():
        if "tenant_id" not in table.c:
            table.append_column(tenant_id_column())
