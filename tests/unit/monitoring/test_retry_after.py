"""Retry-After as receivers really send it: seconds, HTTP dates, and garbage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tradelane.notifications.retry import MAX_DELAY, parse_retry_after

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("120", timedelta(seconds=120)),
        (" 0 ", timedelta(0)),
        ("99999999999999", MAX_DELAY),
        ("9" * 5000, MAX_DELAY),  # past Python's int-from-text digit limit
        ("0000000000000000000030", timedelta(seconds=30)),
        ("Mon, 30 Nov 2026 12:10:00 GMT", timedelta(minutes=10)),
        ("Sun, 29 Nov 2026 12:00:00 GMT", timedelta(0)),  # already past
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_DELAY),
    ],
)
def test_a_retry_after_becomes_a_wait_no_longer_than_the_backoff_cap(
    header: str, wait: timedelta
) -> None:
    assert parse_retry_after(header, now=NOW) == wait


@pytest.mark.parametrize("header", ["", "soon", "-5", "1.5", "١٢٠", "²", "Mon, 99 Foo 2026"])
def test_a_retry_after_that_is_neither_seconds_nor_a_date_is_ignored(header: str) -> None:
    assert parse_retry_after(header, now=NOW) is None
