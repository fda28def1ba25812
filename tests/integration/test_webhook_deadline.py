"""A receiver on 127.0.0.1 that trickles its reply cannot hold delivery past the deadline of
one attempt, and the other receivers are still served in the same run."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine

from tests.builders import NOW
from tests.fakes import SteppingClock
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.webhooks import WebhookSender, webhook_client
from tradelane.services.outbox_delivery import deliver_due
from tradelane.services.sweep import sweep
from tradelane.store.uow import UnitOfWork

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdefghijklmnopqrstuv").decode()
TRICKLE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
BYTE_EVERY_SECONDS = 0.1  # the whole reply would take about 6 s
DEADLINE_SECONDS = 0.5


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/slow":
            self._trickle()
            return
        self.send_response(204)
        self.end_headers()

    def _trickle(self) -> None:
        for byte in TRICKLE:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(BYTE_EVERY_SECONDS)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_trickling_reply_is_cut_at_the_deadline_and_the_other_receiver_is_served(
    engine: Engine, uow: UnitOfWork, base_url: str
) -> None:
    slow, fast = f"{base_url}/slow", f"{base_url}/fast"
    insert_shipments(engine, a_shipment_row(picked_up_at=NOW - timedelta(days=3)))
    sweep(MonitoringConfig(), uow=uow, now=NOW, destinations=[slow, fast])
    client = webhook_client(timeout_seconds=DEADLINE_SECONDS)
    started = time.monotonic()
    with WebhookSender({slow: SECRET, fast: SECRET}, client=client) as sender:
        report = deliver_due(uow=uow, sender=sender, clock=SteppingClock(NOW))
    took = time.monotonic() - started
    assert took < 4 * DEADLINE_SECONDS + 1, f"one run was held {took:.1f} s"
    assert (report.delivered, report.failed) == (1, 1)
    with uow:
        [waiting] = uow.outbox.messages(pending_only=True)
    assert waiting.destination == slow and waiting.attempts == 1
