"""Simulated time: hours since the scenario start, as floats; datetimes only at the edges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

__all__ = ["SimClock", "hours_between"]


class SimClock:
    """Reads the simulated hour (e.g. `simpy.Environment.now`) and returns tz-aware datetimes.

    Satisfies the application's `Clock` protocol, so services driven by the simulator see
    simulated time only.
    """

    def __init__(self, start: datetime, hours: Callable[[], float]) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulation start must be timezone-aware")
        self.start = start
        self._hours = hours

    def now(self) -> datetime:
        return self.at(self._hours())

    def at(self, hours: float) -> datetime:
        return self.start + timedelta(hours=float(hours))

    def hours_at(self, moment: datetime) -> float:
        return hours_between(self.start, moment)


def hours_between(start: datetime, moment: datetime) -> float:
    """Hours from `start` to `moment` (both tz-aware)."""
    return (moment - start).total_seconds() / 3600.0
