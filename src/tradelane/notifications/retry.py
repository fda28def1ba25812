"""When to try a failed delivery again: exponential backoff, capped, never giving up.

    attempt  1    2     3     4      5      6      7     8 …
    delay    5 s  20 s  80 s  5.3 m  21 m   85 m   5.7 h  12 h (cap) …

Standard Webhooks recommends exponential backoff with jitter over several days; a message is
never dropped here, it waits at the cap until the receiver is back. `jitter` (0 ≤ j < 1, drawn
by the caller) stretches the delay by up to 20 % so retries of many messages spread out.
A receiver's Retry-After (seconds or an HTTP date) is honoured up to the same cap; a value
that is garbage, negative or absurdly large never breaks delivery.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["MAX_DELAY", "parse_retry_after", "retry_delay"]

FIRST_DELAY = timedelta(seconds=5)
GROWTH = 4
MAX_DELAY = timedelta(hours=12)
JITTER_SHARE = 0.2
_MAX_DIGITS = len(str(int(MAX_DELAY.total_seconds())))


def retry_delay(failed_attempts: int, *, jitter: float = 0.0) -> timedelta:
    """The wait after the `failed_attempts`-th failure (1 for the first)."""
    if failed_attempts < 1:
        raise ValueError(f"failed_attempts must be >= 1, not {failed_attempts}")
    if not 0.0 <= jitter < 1.0:
        raise ValueError(f"jitter must be in [0, 1), not {jitter}")
    exponent = min(failed_attempts - 1, 16)  # 4**16 × 5 s is far past the cap
    growth: int = GROWTH**exponent
    delay = min(FIRST_DELAY * growth, MAX_DELAY)
    return delay * (1 + JITTER_SHARE * jitter)


def parse_retry_after(value: str, *, now: datetime) -> timedelta | None:
    """A Retry-After header (delay-seconds or HTTP-date, RFC 9110 §10.2.3) as a wait from
    `now`, capped at MAX_DELAY; None when it is neither."""
    text = value.strip()
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > _MAX_DIGITS:
            return MAX_DELAY
        return min(timedelta(seconds=int(text)), MAX_DELAY)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(when - now, timedelta(0)), MAX_DELAY)
