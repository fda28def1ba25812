"""Instants as users give them: ISO 8601 text with a UTC offset, inside the years stored.

An instant must convert to UTC without overflow (`0001-01-01T00:00:00+05:00` does not) and
fall in [EARLIEST, LATEST): times outside are typing mistakes, not orders or scans. Numbers are
refused (a Unix timestamp like `1700000000` is not read as a time), so are naive times.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

__all__ = ["EARLIEST", "LATEST", "Instant", "parse_instant"]

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
EXAMPLE = "2026-11-27T10:00:00+08:00"


def parse_instant(value: object) -> datetime:
    """The tz-aware datetime `value` names (offset kept); ValueError saying why otherwise."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not an ISO 8601 time, e.g. {EXAMPLE}") from None
    else:
        raise ValueError(f"a time must be ISO 8601 text with an offset, e.g. {EXAMPLE}")
    if moment.utcoffset() is None:
        raise ValueError(f"time has no UTC offset, e.g. {EXAMPLE}")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("time is outside the range of UTC times") from None
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"time must fall in the years {EARLIEST.year}-{LATEST.year - 1}")
    return moment


Instant = Annotated[AwareDatetime, BeforeValidator(parse_instant)]
