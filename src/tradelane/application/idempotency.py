"""Use cases of idempotent requests: the answer recorded for a tenant's idempotency key (an
answer is recorded in the transaction of the work it answers, e.g. `import_orders`)."""

from __future__ import annotations

from tradelane.application.base import ApplicationBase
from tradelane.store.idempotency_repository import StoredAnswer

__all__ = ["IdempotencyUseCases"]


class IdempotencyUseCases(ApplicationBase):
    def recorded_answer(self, key: str) -> StoredAnswer | None:
        """The answer the tenant's request with `key` was given, None if there was none."""
        with self.uow() as uow:
            return uow.idempotency.find(key)
