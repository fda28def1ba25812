"""Failed deliveries wait exponentially longer, up to a cap, and are never dropped."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from tradelane.notifications.retry import FIRST_DELAY, GROWTH, MAX_DELAY, retry_delay


def test_each_failure_multiplies_the_wait_until_the_cap() -> None:
    delays = [retry_delay(n) for n in range(1, 12)]
    assert delays[0] == FIRST_DELAY
    uncapped = [d for d in delays if d < MAX_DELAY]
    assert all(b == a * GROWTH for a, b in itertools.pairwise(uncapped))
    assert delays[-1] == MAX_DELAY
    assert retry_delay(10_000) == MAX_DELAY


def test_jitter_stretches_the_wait_by_at_most_a_fifth() -> None:
    assert retry_delay(3, jitter=0.5) == retry_delay(3) * 1.1
    assert retry_delay(3, jitter=0.999) < retry_delay(3) * 1.2


@pytest.mark.parametrize(("attempts", "jitter"), [(0, 0.0), (1, -0.1), (1, 1.0)])
def test_out_of_range_arguments_are_refused(attempts: int, jitter: float) -> None:
    with pytest.raises(ValueError):
        retry_delay(attempts, jitter=jitter)


def test_the_first_retries_come_within_minutes() -> None:
    assert sum((retry_delay(n) for n in range(1, 5)), timedelta()) < timedelta(minutes=10)
