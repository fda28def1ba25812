"""Switching evaluation sharded by tenant, on PostgreSQL: one lease per tenant, so two
schedulers evaluate each tenant once per interval, and two workers evaluate two tenants at
once (the lease of one tenant never waits for another's)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from tests.builders import NOW
from tests.faults.stack import Stack, wait_until
from tradelane.bootstrap import Application
from tradelane.clock import FixedClock
from tradelane.domain.access import Role
from tradelane.entrypoints.workers.celery_app import TICK, make_celery
from tradelane.entrypoints.workers.jobs import LEASE_TAKEN, job_shards, run_leased
from tradelane.services.catalogues import install_catalogue_file
from tradelane.store.uow import UnitOfWork

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]

TENANTS = ("a", "b", "default")
INTERVAL = timedelta(minutes=5)


@pytest.fixture
def system(stack: Stack) -> Iterator[Application]:
    """The stack's application with three tenants: a and b (keys made) and the default."""
    built = stack.system()
    install_catalogue_file(None, uow=built.uow(), now=NOW)  # the house catalogue serves all
    for tenant in TENANTS[:2]:
        built.create_key(tenant, Role.OPERATOR)
    try:
        yield built
    finally:
        built.engine.dispose()


def test_each_tenant_is_one_switching_shard(system: Application) -> None:
    shards = job_shards(system)
    assert [s for j, s in shards if j == "switching"] == list(TENANTS)
    assert [(j, s) for j, s in shards if j != "switching"] == [
        ("poll", "all"),
        ("sweep", "all"),
        ("deliver", "all"),
    ]


def test_two_ticks_evaluate_each_tenant_once_and_the_next_interval_again(
    system: Application,
) -> None:
    runs = [
        run_leased(system, "switching", tenant, interval=INTERVAL)
        for _ in range(2)  # a second scheduler, in the same interval
        for tenant in TENANTS
    ]
    assert [r.split(":")[0] for r in runs[:3]] == [f"tenant {t}" for t in TENANTS]
    assert runs[3:] == [LEASE_TAKEN] * 3
    later = replace(system, clock=FixedClock(NOW + INTERVAL))
    assert run_leased(later, "switching", "a", interval=INTERVAL).startswith("tenant a:")


def test_a_tenants_lease_held_open_does_not_hold_back_another_tenant(stack: Stack) -> None:
    holder = UnitOfWork(stack.engine)
    with holder:
        assert holder.tick_leases.claim("switching", "a", now=NOW, gap=INTERVAL / 2)
        # still uncommitted: worker one is evaluating tenant a
        with UnitOfWork(stack.engine) as other:
            other.connection.execute(text("SET LOCAL lock_timeout = '2s'"))
            assert other.tick_leases.claim("switching", "b", now=NOW, gap=INTERVAL / 2)
            other.commit()
        with UnitOfWork(stack.engine) as same, pytest.raises(OperationalError):
            same.connection.execute(text("SET LOCAL lock_timeout = '500ms'"))
            same.tick_leases.claim("switching", "a", now=NOW, gap=INTERVAL / 2)
        holder.commit()


def test_ticks_of_two_schedulers_through_two_workers_evaluate_each_tenant_once(
    stack: Stack, system: Application
) -> None:
    for _ in range(2):
        stack.start_worker()
    stack.wait_ready()
    celery = make_celery(stack.settings())
    for _ in range(2):  # two schedulers, each sending its tick
        celery.send_task(TICK)
    shards = 2 * (len(TENANTS) + 3)  # each tick: a task per tenant, one per other job

    def finished() -> list[str]:
        succeeded = r"tradelane\.run_job\[[^\]]+\] succeeded in [^:]+: '(.*)'"
        return re.findall(succeeded, stack.log(tail=None))  # whole logs: a tail may miss one

    wait_until(lambda: len(finished()) == shards, timeout_s=40, what="12 jobs", stack=stack)
    ran = Counter(s.split(":")[0] for s in finished() if s.startswith("tenant "))
    assert ran == Counter({f"tenant {t}": 1 for t in TENANTS})
    assert finished().count(LEASE_TAKEN) == shards // 2
