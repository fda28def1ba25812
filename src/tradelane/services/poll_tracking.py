"""Poll carriers for the tracking of every active shipment.

    active shipments of each carrier with a TrackingSource (one read)
        ─▶ batches of the source's numbers_per_request, paced per carrier (min_interval_s)
        ─▶ each answer parsed by the carrier's format; a batch the carrier refuses or that
           cannot reach it is reported and the others go on
        ─▶ every answer's events ingested in one transaction, like any tracking import

Carriers are asked outside any open transaction (they may be slow); nothing is written until
every request of the poll has answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.errors import TradelaneError
from tradelane.services.ingest_tracking import IngestReport, ingest_chunks
from tradelane.services.ports import TrackingSource
from tradelane.store.uow import UnitOfWork

__all__ = ["PollReport", "poll_tracking"]

Pace = Callable[[str, float], None]  # (carrier, min_interval_s) -> waits as needed


@dataclass
class PollReport:
    requests: int = 0
    numbers: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (carrier, why)
    ingest: IngestReport | None = None


def poll_tracking(
    sources: Mapping[str, TrackingSource], *, uow: UnitOfWork, now: datetime, pace: Pace
) -> PollReport:
    """Ask each carrier (keyed as shipments name it) for its active shipments' tracking."""
    report = PollReport()
    with uow:
        active = uow.active_shipments.by_carrier(sorted(sources))
    answers: list[ParsedTracking] = []
    for carrier, numbers in sorted(active.items()):
        source = sources[carrier]
        size = max(1, source.numbers_per_request)
        for start in range(0, len(numbers), size):
            batch = numbers[start : start + size]
            pace(carrier, source.min_interval_s)
            report.requests += 1
            report.numbers += len(batch)
            try:
                answers.append(source.track(batch))
            except TradelaneError as exc:
                report.failures.append((carrier, str(exc)))
    report.ingest = ingest_chunks(answers, source="poll", uow=uow, now=now)
    return report
