"""Record, list and end advisories: the one path the CLI, the API and the simulator use.

record ─▶ validated against the catalogue (the scope names a known port, carrier, air type
          or channel; at least one lane hit) ─▶ stored ─▶ the next switching evaluation
          acts on it (services/switching.py)
end    ─▶ ends_at set ─▶ the lanes it hit recover through the normal recovery hold
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from tradelane.domain.advisories import SCOPE_FIELDS, Advisory, lanes_hit
from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import ValidationError
from tradelane.store.uow import UnitOfWork

__all__ = ["end_advisory", "list_advisories", "new_advisory_id", "record_advisory"]


def new_advisory_id() -> str:
    """A fresh id for an advisory recorded without one, e.g. `adv-3f9c1a2b7d04`."""
    return f"adv-{secrets.token_hex(6)}"


def record_advisory(
    advisory: Advisory, *, uow: UnitOfWork, catalogue: Catalogue, now: datetime
) -> Advisory:
    """Store `advisory`; ValidationError when it hits no lane of the catalogue (an unknown
    port, carrier, air type or channel), Conflict when its id is taken."""
    if not lanes_hit(advisory, catalogue):
        field, value = _scope_field(advisory)
        raise ValidationError("no lane of the catalogue is hit", field=field, value=value)
    with uow:
        uow.advisories.add(advisory, now=now)
        uow.commit()
    return advisory


def list_advisories(*, uow: UnitOfWork, active_at: datetime | None = None) -> list[Advisory]:
    """The tenant's advisories (latest start first); with `active_at`, those in force then."""
    with uow:
        return uow.advisories.all() if active_at is None else uow.advisories.active(active_at)


def end_advisory(advisory_id: str, *, uow: UnitOfWork, now: datetime) -> Advisory:
    """End the advisory at `now`; NotFound for an unknown id, Conflict when already ended."""
    with uow:
        ended = uow.advisories.end(advisory_id, at=now)
        uow.commit()
    return ended


def _scope_field(advisory: Advisory) -> tuple[str, Any]:
    name = next(n for n in SCOPE_FIELDS if getattr(advisory, n) is not None)
    return name, str(getattr(advisory, name))
