"""The retention policy of tracking events: events that occurred more than `older_than` before
`now` are deleted, a batch per transaction, until none is left. The shipments' projection
(status, last event) is kept: only the event history goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tradelane.domain.errors import ValidationError
from tradelane.store.uow import UnitOfWork

__all__ = ["PruneReport", "prune_events"]

DEFAULT_BATCH = 10_000


@dataclass(frozen=True)
class PruneReport:
    cutoff: datetime
    deleted: int
    batches: int
    dry_run: bool = False


def prune_events(
    *,
    uow: Callable[[], UnitOfWork],
    now: datetime,
    older_than: timedelta,
    batch: int = DEFAULT_BATCH,
    dry_run: bool = False,
) -> PruneReport:
    """Delete (or, `dry_run`, count) the events that occurred before `now - older_than`."""
    if older_than <= timedelta(0):
        raise ValidationError("must be a positive age, e.g. 400d", field="older_than")
    if batch < 1:
        raise ValidationError("must be at least 1", field="batch", value=batch)
    cutoff = now - older_than
    if dry_run:
        with uow() as unit:
            return PruneReport(cutoff, unit.event_retention.count_before(cutoff), 0, dry_run=True)
    deleted = batches = 0
    while True:
        with uow() as unit:
            gone = unit.event_retention.delete_before(cutoff, limit=batch)
            unit.commit()
        deleted, batches = deleted + gone, batches + (gone > 0)
        if gone < batch:
            return PruneReport(cutoff, deleted, batches)
