"""Idempotency keys of POST requests, per tenant: the body's hash and the answer given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from tradelane.store.tables import idempotency_keys
from tradelane.store.tenancy import tenant_owns

__all__ = ["IdempotencyRepository", "StoredAnswer"]


@dataclass(frozen=True)
class StoredAnswer:
    request_sha256: str
    status_code: int
    response: Any


class IdempotencyRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def find(self, key: str) -> StoredAnswer | None:
        row = self._c.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.key == key, tenant_owns(idempotency_keys.c.tenant_id)
            )
        ).first()
        if row is None:
            return None
        return StoredAnswer(row.request_sha256, row.status_code, row.response)

    def remember(self, key: str, answer: StoredAnswer, *, now: datetime) -> None:
        self._c.execute(
            insert(idempotency_keys).values(
                key=key,
                request_sha256=answer.request_sha256,
                status_code=answer.status_code,
                response=answer.response,
                created_at=now,
            )
        )
