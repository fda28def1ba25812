"""Crashes around the commit: the database connection killed mid-batch, a worker SIGKILLed
just before or just after its commit. Every event ends up stored exactly once, counted once."""

from __future__ import annotations

import signal
import threading
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from tests.builders import NOW
from tests.conftest import POSTGRES_URL
from tests.faults.stack import VISIBILITY_TIMEOUT_S, Stack, post_scans, wait_until
from tests.webhook_signing import generic_body
from tradelane.carriers.formats import parse_tracking
from tradelane.services.webhook_intake import Delivery, receive_deliveries
from tradelane.store.engine import make_engine
from tradelane.store.uow import UnitOfWork

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]

SCANS = (("2026-11-26T10:00:00+08:00", "picked_up"), ("2026-11-26T20:00:00+08:00", "in_transit"))


def deliveries(count: int) -> list[Delivery]:
    return [
        Delivery(
            "generic",
            message_id=f"m-{i}",
            parsed=parse_tracking(generic_body(f"FK{i:08d}CN", *SCANS), format="generic"),
        )
        for i in range(count)
    ]


def test_a_connection_terminated_mid_batch_stores_nothing_and_the_batch_runs_again(
    stack: Stack,
) -> None:
    admin = make_engine(POSTGRES_URL)
    fired = threading.Event()

    def terminate_before_counting(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "webhook_intake_counts" in statement and not fired.is_set():  # events already in
            fired.set()
            pid = connection.connection.driver_connection.info.backend_pid
            with admin.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(stack.engine, "before_cursor_execute", terminate_before_counting)
    with pytest.raises(DBAPIError):
        receive_deliveries(deliveries(50), uow=UnitOfWork(stack.engine), now=NOW)
    assert fired.is_set()
    assert (stack.stored_events(), stack.counts()) == (0, {})
    results = receive_deliveries(deliveries(50), uow=UnitOfWork(stack.engine), now=NOW)
    assert {r.outcome for r in results} == {"accepted"}
    assert (stack.stored_events(), stack.counts()) == (100, {"accepted": 50})
    admin.dispose()


@pytest.mark.parametrize("pool", ["solo", "prefork"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_worker_killed_around_its_commit_leaves_every_event_stored_exactly_once(
    stack: Stack, when: str, pool: str
) -> None:
    """`solo`: the whole worker dies, its task comes back after the visibility timeout to a
    fresh worker. `prefork`: only the pool child dies; the main process gives the task back
    at once (acks_late; an early ack would lose it)."""
    doomed = stack.start_worker(when, pool=pool)
    with stack.api() as client:
        for i in range(10):
            assert post_scans(client, f"FW{i:08d}CN", f"w-{i}", *SCANS) == 202
    wait_until(stack.fired.exists, timeout_s=25, what="the kill", stack=stack)
    if pool == "solo":
        assert doomed.wait(timeout=25) == -signal.SIGKILL
        threading.Event().wait(VISIBILITY_TIMEOUT_S + 0.5)
        stack.start_worker()
    wait_until(lambda: stack.counts().get("accepted") == 10, timeout_s=25, what="10", stack=stack)
    threading.Event().wait(1.0)  # a second run of the killed task would count duplicates now
    assert stack.counts() == {"accepted": 10}
    assert stack.stored_events() == 20
    assert stack.logged("exited with 'signal 9") == (pool == "prefork")
