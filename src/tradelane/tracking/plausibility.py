"""When a scan can have happened, judged against the moment its report was received.

A scan is refused when it is more than MAX_AGE before its receipt (placeholders such as
1900-01-01 or 0001-01-01 that systems write for "unknown") or more than MAX_AHEAD after it
(9999-12-31 "never" markers, a wrong year). The ahead margin covers clocks and zone mistakes
(UTC offsets span 26 hours); the age covers re-imports of years of tracking history.
Estimates, not carrier rules: no carrier keeps tracking online for anywhere near 20 years.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import TrackingEvent

__all__ = ["MAX_AGE", "MAX_AHEAD", "implausible_time"]

MAX_AGE = timedelta(days=20 * 365)  # estimate
MAX_AHEAD = timedelta(days=2)  # estimate


def implausible_time(event: TrackingEvent, *, received_at: datetime) -> ValidationError | None:
    """The error naming the window when the scan's time cannot be right; else None."""
    at = event.occurred_at.astimezone(UTC)
    if received_at - MAX_AGE <= at <= received_at + MAX_AHEAD:
        return None
    problem = (
        f"more than {MAX_AGE.days // 365} years before its receipt"
        if at < received_at
        else f"more than {MAX_AHEAD.days} days after its receipt"
    )
    return ValidationError(
        f"scan time is {problem} ({received_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC)",
        field="occurred_at",
        value=event.occurred_at.isoformat(),
        where=f"{event.carrier} {event.tracking_number}",
    )
