"""Scheduled-job leases (SQLite and PostgreSQL): two schedulers ticking at once run each job
once per interval, and the next interval runs it again."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine

from tests.builders import NOW
from tradelane.store.uow import UnitOfWork

GAP = timedelta(minutes=2, seconds=30)


def claim(engine: Engine, job: str, at_minutes: float) -> bool:
    with UnitOfWork(engine) as uow:
        taken = uow.tick_leases.claim(job, "all", now=NOW + timedelta(minutes=at_minutes), gap=GAP)
        uow.commit()
    return taken


def test_a_lease_is_taken_once_per_gap_and_per_job(engine: Engine) -> None:
    assert claim(engine, "sweep", 0) is True
    assert claim(engine, "sweep", 0.5) is False  # the second scheduler, 30 s later
    assert claim(engine, "switching", 0.5) is True  # another job has its own lease
    assert claim(engine, "sweep", 2.5) is True  # the next interval
    assert claim(engine, "sweep", 4) is False


def test_two_schedulers_claiming_at_the_same_moment_run_the_job_once(engine: Engine) -> None:
    start, results = threading.Barrier(4), []

    def scheduler() -> None:
        start.wait()
        results.append(claim(engine, "sweep", 0))

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
