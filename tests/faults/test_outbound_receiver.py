"""An outbound webhook receiver (a real HTTP server) down for longer than the whole retry
schedule: once it is back, the next delivery pass closes the gap. Every message arrives, and
a message sent more than once (its answer lost) always carries the same webhook-id and body."""

from __future__ import annotations

import json
import socket
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.builders import NOW
from tests.faults.stack import Stack
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tests.webhook_signing import GENERIC_SECRET
from tradelane.bootstrap import Tradelane
from tradelane.entrypoints.workers.jobs import run_job
from tradelane.notifications.retry import MAX_DELAY, retry_delay
from tradelane.store.uow import UnitOfWork

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]


class Received:
    def __init__(self) -> None:
        self.bodies: dict[str, list[str]] = defaultdict(list)  # webhook-id -> bodies
        self.lose_first_answer = True  # the first message is stored, its 2xx answer lost


@contextmanager
def receiver(port: int, received: Received) -> Iterator[None]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"])).decode()
            received.bodies[self.headers["webhook-id"]].append(body)
            lose, received.lose_first_answer = received.lose_first_answer, False
            self.send_response(500 if lose else 204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_receiver_down_past_the_retry_window_gets_every_message_once_it_is_back(
    stack: Stack,
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/alerts"
    stack.env["TRADELANE_WEBHOOKS"] = json.dumps({hook: GENERIC_SECRET})
    system = stack.system()  # its clock: NOW, moved below
    try:
        deliver_after_an_outage(stack, system, port)
    finally:
        system.engine.dispose()


def deliver_after_an_outage(stack: Stack, system: Tradelane, port: int) -> None:
    stalled = (a_shipment_row(picked_up_at=NOW - timedelta(days=3)) for _ in range(5))
    insert_shipments(stack.engine, *stalled)
    run_job(system, "sweep")
    with UnitOfWork(stack.engine) as uow:
        queued = [m.webhook_id for m in uow.outbox.messages(pending_only=True)]
    assert len(queued) == 5

    attempt = 0
    while retry_delay(attempt + 1) < MAX_DELAY or attempt < 10:  # the whole schedule, and more
        attempt += 1
        run_job(system, "deliver")  # refused: nothing listens on the port
        system.clock.at += retry_delay(attempt) * 1.2  # type: ignore[attr-defined]
    with UnitOfWork(stack.engine) as uow:
        assert uow.outbox.pending_count() == 5

    received = Received()
    with receiver(port, received):
        run_job(system, "deliver")  # the reconciliation pass: the answer of one is lost
        system.clock.at += MAX_DELAY * 1.2  # type: ignore[attr-defined]
        run_job(system, "deliver")
        system.clock.at += MAX_DELAY * 1.2  # type: ignore[attr-defined]
        run_job(system, "deliver")
    with UnitOfWork(stack.engine) as uow:
        assert uow.outbox.pending_count() == 0
    assert sorted(received.bodies) == sorted(queued)
    sends = sorted(len(bodies) for bodies in received.bodies.values())
    assert sends == [1, 1, 1, 1, 2]  # the lost answer: sent again, same id
    assert all(len(set(bodies)) == 1 for bodies in received.bodies.values())
