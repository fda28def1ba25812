"""Stored advisories: each tenant records, reads and ends only its own (store/tenancy.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, insert, or_, select, update

from tradelane.domain.advisories import SCOPE_FIELDS, Advisory
from tradelane.domain.errors import Conflict, NotFound
from tradelane.store.tables import advisories
from tradelane.store.tenancy import tenant_owns

__all__ = ["AdvisoryRepository"]

_FIELDS = ("id", "kind", *SCOPE_FIELDS, "severity", "starts_at", "ends_at", "source", "note")


class AdvisoryRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, advisory: Advisory, *, now: datetime) -> None:
        """Store a new advisory; Conflict when the tenant already has its id."""
        if self._c.execute(select(advisories.c.id).where(_owned(advisory.id))).first():
            raise Conflict(f"advisory {advisory.id!r} already exists")
        row = advisory.model_dump(mode="python")
        row["kind"] = advisory.kind.value
        row["air_type"] = advisory.air_type.value if advisory.air_type else None
        self._c.execute(insert(advisories).values(**row, recorded_at=now))

    def get(self, advisory_id: str) -> Advisory:
        found = self._c.execute(_query().where(_owned(advisory_id))).first()
        if found is None:
            raise NotFound("advisory", advisory_id)
        return _advisory(found)

    def all(self) -> list[Advisory]:
        """Every advisory of the tenant, latest start first."""
        return self._many(_query().where(tenant_owns(advisories.c.tenant_id)))

    def active(self, at: datetime) -> list[Advisory]:
        """The tenant's advisories in force at `at`: started, and not ended by then."""
        a = advisories.c
        query = _query().where(
            tenant_owns(a.tenant_id), a.starts_at <= at, or_(a.ends_at.is_(None), a.ends_at > at)
        )
        return self._many(query)

    def end(self, advisory_id: str, *, at: datetime) -> Advisory:
        """End an open advisory at `at` (one ended before its start was never in force);
        Conflict when already ended."""
        advisory = self.get(advisory_id)
        if advisory.ends_at is not None:
            raise Conflict(f"advisory {advisory_id!r} already ended {advisory.ends_at.isoformat()}")
        ended = Advisory.model_validate(
            {**advisory.model_dump(), "ends_at": max(at, advisory.starts_at)}
        )
        self._c.execute(update(advisories).where(_owned(advisory_id)).values(ends_at=ended.ends_at))
        return ended

    def _many(self, query: Select[Any]) -> list[Advisory]:
        ordered = query.order_by(advisories.c.starts_at.desc(), advisories.c.id)
        return [_advisory(row) for row in self._c.execute(ordered)]


def _query() -> Select[Any]:
    return select(*(advisories.c[name] for name in _FIELDS))


def _owned(advisory_id: str) -> ColumnElement[bool]:
    return (advisories.c.id == advisory_id) & tenant_owns(advisories.c.tenant_id)


def _advisory(row: Row[Any]) -> Advisory:
    return Advisory.model_validate({k: v for k, v in row._mapping.items() if v is not None})
