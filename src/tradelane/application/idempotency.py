"""Use cases of idempotent requests: the answer recorded for a tenant's idempotency key, and
recording one (in its own transaction, after the work it answers committed)."""

from __future__ import annotations

from tradelane.application.base import ApplicationBase
from tradelane.store.idempotency_repository import StoredAnswer

__all__ = ["IdempotencyUseCases"]


class IdempotencyUseCases(ApplicationBase):
    def recorded_answer(self, key: str) -> StoredAnswer | None:
        """The answer the tenant's request with `key` was given, None if there was none."""
        with self.uow() as uow:
            return uow.idempotency.find(key)

    def record_answer(self, key: str, answer: StoredAnswer) -> None:
        """Remember `answer` for the tenant's `key` (a key recorded before: Conflict)."""
        with self.uow() as uow:
            uow.idempotency.remember(key, answer, now=self.clock.now())
            uow.commit()
