"""API keys and tenants as stored: a key's SHA-256, never the key itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tradelane.domain.access import Role
from tradelane.domain.errors import NotFound
from tradelane.store.tables import api_keys, tenants

__all__ = ["ApiKeyRepository", "StoredKey"]


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    tenant_id: str
    role: Role
    environment: str
    secret_sha256: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def ensure_tenant(self, tenant_id: str, *, now: datetime) -> None:
        known = self._c.scalar(select(tenants.c.tenant_id).where(tenants.c.tenant_id == tenant_id))
        if known is None:
            self._c.execute(insert(tenants).values(tenant_id=tenant_id, created_at=now))

    def tenant_ids(self) -> list[str]:
        """Every tenant served, in id order."""
        return list(self._c.scalars(select(tenants.c.tenant_id).order_by(tenants.c.tenant_id)))

    def add(self, key: StoredKey) -> None:
        self._c.execute(
            insert(api_keys).values(
                key_id=key.key_id,
                tenant_id=key.tenant_id,
                role=key.role.value,
                environment=key.environment,
                secret_sha256=key.secret_sha256,
                label=key.label,
                created_at=key.created_at,
            )
        )

    def find(self, key_id: str) -> StoredKey | None:
        row = self._c.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
        return None if row is None else _key(row)

    def all(self, *, tenant_id: str | None = None) -> list[StoredKey]:
        query = select(api_keys).order_by(api_keys.c.tenant_id, api_keys.c.created_at)
        if tenant_id is not None:
            query = query.where(api_keys.c.tenant_id == tenant_id)
        return [_key(row) for row in self._c.execute(query)]

    def revoke(self, key_id: str, *, now: datetime) -> StoredKey:
        """Revoked from `now` on (kept for the audit); NotFound for an unknown id."""
        self._c.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        found = self.find(key_id)
        if found is None:
            raise NotFound("API key", key_id)
        return found


def _key(row: Any) -> StoredKey:
    return StoredKey(
        key_id=row.key_id,
        tenant_id=row.tenant_id,
        role=Role(row.role),
        environment=row.environment,
        secret_sha256=row.secret_sha256,
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )
