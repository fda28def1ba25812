"""Translate the database's concurrency errors into tradelane Conflicts.

Two writers storing the same keys at once (a unique violation the pre-check could not see),
SQLite's write lock held longer than the busy timeout, and PostgreSQL deadlocks or
serialization failures all mean: nothing of this unit of work was stored, try again. The
message names the constraint or the lock, never the rows' values.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from tradelane.domain.errors import Conflict

__all__ = ["BUSY_TIMEOUT_SECONDS", "conflict_of"]

BUSY_TIMEOUT_SECONDS = 10
_UNIQUE_SQLSTATE = "23505"
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
_NOTHING_STORED = "nothing of this request was stored"


def conflict_of(exc: BaseException | None) -> Conflict | None:
    """The Conflict `exc` stands for, or None when it is not a concurrency error."""
    if not isinstance(exc, DBAPIError):
        return None
    state = getattr(exc.orig, "sqlstate", None)
    text = str(exc.orig)
    if isinstance(exc, IntegrityError) and (
        state == _UNIQUE_SQLSTATE or text.startswith("UNIQUE constraint failed")
    ):
        return Conflict(
            f"already imported by another writer at the same time ({_constraint(exc)}); "
            f"{_NOTHING_STORED}, run it again to see which entries are already stored"
        )
    if isinstance(exc, OperationalError) and ("database is locked" in text or "busy" in text):
        return Conflict(
            f"the store is busy: another writer held it for over {BUSY_TIMEOUT_SECONDS} s; "
            f"{_NOTHING_STORED}, try again"
        )
    if state in _RETRY_SQLSTATES:
        return Conflict(f"another writer changed the same rows at the same time; {_NOTHING_STORED}")
    return None


def _constraint(exc: IntegrityError) -> str:
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    return str(exc.orig).removeprefix("UNIQUE constraint failed: ")
