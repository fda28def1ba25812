"""Use cases of access: API keys (create, list, revoke) and who a key is."""

from __future__ import annotations

from tradelane.application.base import ApplicationBase
from tradelane.domain.access import Principal, Role
from tradelane.services.api_keys import CreatedKey, authenticate, create_key, list_keys, revoke_key
from tradelane.store.key_repository import StoredKey

__all__ = ["AccessUseCases"]


class AccessUseCases(ApplicationBase):
    def authenticate(self, key: str) -> Principal:
        return authenticate(key, uow=self.uow())

    def create_key(
        self, tenant_id: str, role: Role, *, environment: str = "live", label: str = ""
    ) -> CreatedKey:
        return create_key(
            tenant_id,
            role,
            environment=environment,
            label=label,
            uow=self.uow(),
            now=self.clock.now(),
        )

    def list_keys(self, *, tenant_id: str | None = None) -> list[StoredKey]:
        return list_keys(uow=self.uow(), tenant_id=tenant_id)

    def revoke_key(self, key_id: str) -> StoredKey:
        return revoke_key(key_id, uow=self.uow(), now=self.clock.now())
