"""The in-process scheduler: runs start to start every interval and survives a bad run."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradelane.domain.errors import Conflict, ValidationError
from tradelane.entrypoints.scheduler import parse_interval, run_every


class FakeTime:
    """Monotonic time that only moves when the job works or the loop sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def test_runs_every_interval_counting_the_job_time() -> None:
    clock = FakeTime()
    starts: list[float] = []

    def job() -> None:
        starts.append(clock.now)
        clock.now += 20

    runs = run_every(
        timedelta(minutes=5),
        job,
        on_error=pytest.fail,
        iterations=3,
        sleep=clock.sleep,
        monotonic=clock.monotonic,
    )
    assert runs == 3
    assert starts == [0, 300, 600]
    assert clock.slept == [280, 280]


def test_a_run_slower_than_the_interval_is_followed_at_once_never_overlapped() -> None:
    clock = FakeTime()

    def slow() -> None:
        clock.now += 400

    run_every(
        timedelta(minutes=5),
        slow,
        on_error=pytest.fail,
        iterations=2,
        sleep=clock.sleep,
        monotonic=clock.monotonic,
    )
    assert clock.slept == [0.0]


def test_a_failed_run_is_reported_and_the_loop_goes_on() -> None:
    clock = FakeTime()
    errors: list[Exception] = []
    outcomes = iter([Conflict("database busy"), None])

    def flaky() -> None:
        problem = next(outcomes)
        if problem is not None:
            raise problem

    runs = run_every(
        timedelta(seconds=30),
        flaky,
        on_error=errors.append,
        iterations=2,
        sleep=clock.sleep,
        monotonic=clock.monotonic,
    )
    assert runs == 2
    assert [str(e) for e in errors] == ["database busy"]


def test_a_bug_stops_the_loop() -> None:
    def broken() -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_every(timedelta(seconds=1), broken, on_error=pytest.fail, iterations=3, sleep=print)


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("5m", 300), ("1.5h", 5400), (" 2 m ", 120)]
)
def test_intervals_read_seconds_minutes_and_hours(text: str, seconds: float) -> None:
    assert parse_interval(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["5", "0m", "-5m", "5 minutes", ""])
def test_other_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="positive duration"):
        parse_interval(text)
