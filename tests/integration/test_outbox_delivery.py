"""The outbox survives a webhook receiver that is down, then up: nothing lost, retried with
backoff, each message delivered once. The receiver is an httpx.MockTransport (the I/O edge)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine

from tests.builders import NOW
from tests.fakes import SteppingClock
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.retry import retry_delay
from tradelane.notifications.webhooks import WebhookSender
from tradelane.services.outbox_delivery import LEASE, deliver_due
from tradelane.services.sweep import sweep
from tradelane.store.uow import UnitOfWork

HOOK = "https://seller.example/tradelane-alerts"
OTHER_HOOK = "https://ops.example/hooks"
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdefghijklmnopqrstuv").decode()
PICKED_UP = NOW - timedelta(days=3)


class Receiver:
    """A webhook endpoint that can be down; when up it checks every signature itself."""

    def __init__(self) -> None:
        self.down = {HOOK, OTHER_HOOK}
        self.status_when_up = 204
        self.knocks = 0
        self.received: list[dict[str, object]] = []
        self.ids: Counter[str] = Counter()

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.knocks += 1
        if str(request.url) in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = request.content.decode()
        headers = request.headers
        key = base64.b64decode(SECRET.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body}".encode()
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        if headers["webhook-signature"] != expected:
            return httpx.Response(401)
        if self.status_when_up >= 300:
            return httpx.Response(self.status_when_up, headers={"retry-after": "120"})
        self.ids[headers["webhook-id"]] += 1
        self.received.append(json.loads(body))
        return httpx.Response(self.status_when_up)


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def sender(receiver: Receiver) -> Iterator[WebhookSender]:
    client = httpx.AsyncClient(transport=httpx.MockTransport(receiver.handle))
    with WebhookSender({HOOK: SECRET, OTHER_HOOK: SECRET}, client=client) as opened:
        yield opened


def _open_alerts(engine: Engine, uow: UnitOfWork, count: int, hooks: list[str]) -> int:
    insert_shipments(engine, *(a_shipment_row(picked_up_at=PICKED_UP) for _ in range(count)))
    return sweep(MonitoringConfig(), uow=uow, now=NOW, destinations=hooks).messages


def test_messages_wait_out_a_down_receiver_and_arrive_once_when_it_is_up(
    engine: Engine, uow: UnitOfWork, receiver: Receiver, sender: WebhookSender
) -> None:
    queued = _open_alerts(engine, uow, 4, [HOOK])
    assert queued == 4  # one no_departure alert per shipment

    first = deliver_due(uow=uow, sender=sender, clock=SteppingClock(NOW))
    assert (first.delivered, first.failed, first.postponed, first.pending) == (0, 1, 3, 4)
    assert receiver.knocks == 1  # a down receiver is tried once per batch, not once per message

    too_soon = deliver_due(
        uow=uow, sender=sender, clock=SteppingClock(NOW + retry_delay(1) - timedelta(seconds=1))
    )
    assert too_soon.failed + too_soon.delivered == 0

    at_second_try = NOW + retry_delay(1)
    second = deliver_due(uow=uow, sender=sender, clock=SteppingClock(at_second_try))
    assert (second.failed, second.pending) == (1, 4)
    with uow:
        [head, *_] = uow.outbox.messages(pending_only=True)
    assert head.attempts == 2

    receiver.down.clear()
    at_third_try = at_second_try + retry_delay(2)
    assert retry_delay(2) > retry_delay(1)
    third = deliver_due(uow=uow, sender=sender, clock=SteppingClock(at_third_try))
    assert (third.delivered, third.pending) == (4, 0)
    assert len(receiver.ids) == 4 and set(receiver.ids.values()) == {1}
    assert {body["type"] for body in receiver.received} == {"alert.opened"}

    again = deliver_due(
        uow=uow, sender=sender, clock=SteppingClock(at_third_try + timedelta(days=1))
    )
    assert again.delivered == 0 and len(receiver.received) == 4


def test_a_failing_destination_does_not_hold_back_another(
    engine: Engine, uow: UnitOfWork, receiver: Receiver, sender: WebhookSender
) -> None:
    _open_alerts(engine, uow, 2, [OTHER_HOOK, HOOK])
    receiver.down = {OTHER_HOOK}
    report = deliver_due(uow=uow, sender=sender, clock=SteppingClock(NOW))
    assert (report.delivered, report.failed, report.postponed) == (2, 1, 1)
    assert {body["type"] for body in receiver.received} == {"alert.opened"}


def test_a_server_error_is_retried_no_sooner_than_its_retry_after(
    engine: Engine, uow: UnitOfWork, receiver: Receiver, sender: WebhookSender
) -> None:
    _open_alerts(engine, uow, 1, [HOOK])
    receiver.down, receiver.status_when_up = set(), 503
    deliver_due(uow=uow, sender=sender, clock=SteppingClock(NOW))
    with uow:
        [failed] = uow.outbox.messages(pending_only=True)
    assert failed.attempts == 1
    receiver.status_when_up = 204
    early = deliver_due(uow=uow, sender=sender, clock=SteppingClock(NOW + timedelta(seconds=119)))
    assert early.delivered == 0
    late = deliver_due(uow=uow, sender=sender, clock=SteppingClock(NOW + timedelta(seconds=120)))
    assert (late.delivered, late.pending) == (1, 0)


def test_a_claimed_message_whose_worker_died_comes_back_after_the_lease(
    engine: Engine, uow: UnitOfWork
) -> None:
    _open_alerts(engine, uow, 2, [HOOK])
    with uow:
        [claimed] = uow.outbox.claim_due(now=NOW, lease_until=NOW + LEASE, limit=1)
        uow.commit()
    # the worker dies here, before recording an outcome
    with uow:
        during = uow.outbox.claim_due(now=NOW + LEASE / 2, lease_until=NOW + LEASE, limit=5)
        uow.rollback()
        after = uow.outbox.claim_due(now=NOW + LEASE, lease_until=NOW + 2 * LEASE, limit=5)
    assert claimed.id not in [m.id for m in during]
    assert claimed.id in [m.id for m in after]
