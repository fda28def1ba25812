"""Delivery under misbehaving receivers: absurd Retry-After, 410 Gone, removed destinations,
crashes mid-batch, long batches. The receiver is an httpx.MockTransport (the I/O edge)."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from tests.builders import NOW
from tests.fakes import SteppingClock
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.domain.errors import NotFound
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.notifications.retry import MAX_DELAY
from tradelane.notifications.webhooks import WebhookSender
from tradelane.services.outbox_delivery import LEASE, DeliveryReport, deliver_due
from tradelane.services.sweep import sweep
from tradelane.services.webhook_endpoints import enable_endpoint, endpoint_statuses
from tradelane.services.webhook_subscriptions import subscribe
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

BAD = "https://flaky.example/hook"
GOOD = "https://steady.example/hook"
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdefghijklmnopqrstuv").decode()
PICKED_UP = NOW - timedelta(days=3)
Handler = Callable[[httpx.Request], httpx.Response]


def _no_content(request: httpx.Request) -> httpx.Response:
    return httpx.Response(204)


class Receivers:
    """Per-URL behaviour; counts every POST and each webhook-id that was answered 2xx."""

    def __init__(self) -> None:
        self.answers: dict[str, Handler] = {}
        self.posts: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        self.seen: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.posts[url] += 1
        self.seen.append(request)
        response = self.answers.get(url, _no_content)(request)
        if response.is_success:
            self.accepted[request.headers["webhook-id"]] += 1
        return response


@pytest.fixture
def receivers() -> Receivers:
    return Receivers()


def _sender(receivers: Receivers, hooks: list[str]) -> WebhookSender:
    client = httpx.AsyncClient(transport=httpx.MockTransport(receivers.handle))
    return WebhookSender(dict.fromkeys(hooks, SECRET), client=client)


@pytest.fixture
def sender(receivers: Receivers) -> Iterator[WebhookSender]:
    with _sender(receivers, [BAD, GOOD]) as opened:
        yield opened


def _queue(engine: Engine, uow: UnitOfWork, count: int, hooks: list[str]) -> int:
    insert_shipments(engine, *(a_shipment_row(picked_up_at=PICKED_UP) for _ in range(count)))
    return sweep(MonitoringConfig(), uow=uow, now=NOW, destinations=hooks).messages


def _deliver(
    uow: UnitOfWork, sender: WebhookSender, at: datetime, step: timedelta = timedelta(0)
) -> DeliveryReport:
    return deliver_due(uow=uow, sender=sender, clock=SteppingClock(at, step))


def test_an_absurd_retry_after_is_capped_and_never_stops_delivery_or_its_record(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender
) -> None:
    _queue(engine, uow, 5, [BAD, GOOD])
    huge = {"retry-after": "99999999999999"}
    receivers.answers[BAD] = lambda _: httpx.Response(503, headers=huge)

    report = _deliver(uow, sender, NOW)

    assert (report.delivered, report.failed, report.postponed) == (5, 1, 4)
    with uow:
        waiting = uow.outbox.messages(pending_only=True)
    assert {m.destination for m in waiting} == {BAD}
    for later in (NOW + timedelta(minutes=1), NOW + timedelta(hours=1)):
        again = _deliver(uow, sender, later)
        assert again.delivered + again.failed == 0
    assert receivers.posts == {BAD: 1, GOOD: 5}  # nothing re-sent on the re-runs
    receivers.answers.clear()
    recovered = _deliver(uow, sender, NOW + MAX_DELAY)
    assert (recovered.delivered, recovered.pending) == (5, 0)
    assert set(receivers.accepted.values()) == {1}


def test_each_outcome_is_saved_as_it_happens_so_a_crash_re_sends_only_the_message_in_flight(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender
) -> None:
    _queue(engine, uow, 5, [GOOD])

    def crash_on_third(request: httpx.Request) -> httpx.Response:
        if receivers.posts[GOOD] == 3:
            raise KeyboardInterrupt  # the worker is stopped while this POST is in flight
        return httpx.Response(200)

    receivers.answers[GOOD] = crash_on_third
    with pytest.raises(KeyboardInterrupt):
        _deliver(uow, sender, NOW)
    with uow:
        assert uow.outbox.pending_count() == 3
    receivers.answers.clear()
    assert _deliver(uow, sender, NOW + timedelta(seconds=1)).delivered == 0  # still leased
    rerun = _deliver(uow, sender, NOW + LEASE)
    assert (rerun.delivered, rerun.pending) == (3, 0)
    assert receivers.posts[GOOD] == 6 and set(receivers.accepted.values()) == {1}


def test_a_second_worker_claims_nothing_of_a_batch_that_outlasts_the_first_lease(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender
) -> None:
    _queue(engine, uow, 6, [GOOD])
    clock = SteppingClock(NOW, step=timedelta(minutes=1))  # every reading is a minute later
    stolen: list[int] = []

    def meanwhile_another_worker_claims(request: httpx.Request) -> httpx.Response:
        with UnitOfWork(engine) as other:
            at = clock.at
            stolen.extend(m.id for m in other.outbox.claim_due(now=at, lease_until=at, limit=9))
            other.rollback()
        return httpx.Response(204)

    receivers.answers[GOOD] = meanwhile_another_worker_claims
    report = deliver_due(uow=uow, sender=sender, clock=clock)
    assert clock.at - NOW > 2 * LEASE  # the batch took longer than two leases
    assert (report.delivered, report.pending) == (6, 0)
    assert stolen == [] and set(receivers.accepted.values()) == {1}


def test_every_attempt_carries_the_time_it_was_sent_as_webhook_timestamp(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender
) -> None:
    _queue(engine, uow, 4, [GOOD])
    clock = SteppingClock(NOW, step=timedelta(seconds=100))
    lag: list[float] = []

    def note_the_lag(request: httpx.Request) -> httpx.Response:
        lag.append(clock.at.timestamp() - int(request.headers["webhook-timestamp"]))
        return httpx.Response(204)

    receivers.answers[GOOD] = note_the_lag
    deliver_due(uow=uow, sender=sender, clock=clock)
    assert len(lag) == 4 and max(lag) <= 100


def test_410_gone_disables_the_endpoint_until_it_is_enabled_again(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender
) -> None:
    _queue(engine, uow, 3, [BAD, GOOD])
    receivers.answers[BAD] = lambda _: httpx.Response(410)

    first = _deliver(uow, sender, NOW)
    assert (first.delivered, first.parked, first.failed, first.pending) == (3, 3, 0, 0)
    for later in (NOW + timedelta(days=1), NOW + timedelta(days=30)):
        assert _deliver(uow, sender, later).handled == 0
    assert receivers.posts[BAD] == 1
    [bad] = [s for s in endpoint_statuses(uow=uow, configured=[BAD, GOOD]) if s.url == BAD]
    assert (bad.state, bad.parked, bad.reason, bad.since) == ("disabled", 3, "HTTP 410 Gone", NOW)

    receivers.answers.clear()
    assert enable_endpoint(BAD, uow=uow, now=NOW + timedelta(days=31)) == 3
    back = _deliver(uow, sender, NOW + timedelta(days=31))
    assert (back.delivered, back.pending) == (3, 0)
    assert {s.state for s in endpoint_statuses(uow=uow, configured=[BAD, GOOD])} == {"active"}


def _tell_both_tenants(engine: Engine, label: str) -> None:
    for tenant in ("a", "b"):
        with UnitOfWork(engine, tenant=tenant) as uow:
            uow.outbox.add_events(
                [("switch.opened", {"who": tenant, "n": label})], destinations=[], now=NOW
            )
            uow.commit()


def test_a_url_gone_for_one_tenant_still_receives_another_tenants_messages(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender
) -> None:
    shared = "https://shared.example/hook"
    for tenant in ("a", "b"):
        subscribe(shared, topics=None, uow=UnitOfWork(engine, tenant=tenant), now=NOW)
    _tell_both_tenants(engine, "first")
    receivers.answers[shared] = lambda request: httpx.Response(
        410 if json.loads(request.content)["data"]["who"] == "a" else 204
    )

    first = _deliver(uow, sender, NOW)
    _tell_both_tenants(engine, "second")
    later = _deliver(uow, sender, NOW + timedelta(hours=1))

    assert (first.delivered, first.parked) == (1, 1)
    assert (later.delivered, later.parked) == (1, 1)
    senders = [json.loads(r.content)["data"]["who"] for r in receivers.seen]
    assert senders == ["a", "b", "b"]  # a's second message parked unsent
    [status] = [s for s in endpoint_statuses(uow=uow, configured=[]) if s.url == shared]
    assert (status.state, status.tenants, status.parked) == ("disabled", ("a",), 2)

    receivers.answers.clear()
    with pytest.raises(NotFound):  # not disabled for b, nothing of b's parked
        enable_endpoint(shared, uow=uow, now=NOW + timedelta(hours=2), tenant="b")
    assert enable_endpoint(shared, uow=uow, now=NOW + timedelta(hours=2), tenant="a") == 2
    assert _deliver(uow, sender, NOW + timedelta(hours=2)).delivered == 2


def test_messages_for_a_destination_no_longer_configured_are_parked_with_a_reason(
    engine: Engine, uow: UnitOfWork, receivers: Receivers
) -> None:
    _queue(engine, uow, 2, [BAD, GOOD])
    with _sender(receivers, [GOOD]) as without_bad:  # BAD was removed from the settings
        first = _deliver(uow, without_bad, NOW)
        assert (first.delivered, first.parked, first.pending) == (2, 2, 0)
        assert _deliver(uow, without_bad, NOW + timedelta(days=7)).handled == 0
    statuses = {s.url: s for s in endpoint_statuses(uow=uow, configured=[GOOD])}
    assert (statuses[BAD].state, statuses[BAD].parked) == ("unconfigured", 2)
    with uow:
        parked = [m for m in uow.outbox.messages() if m.destination == BAD]
    assert [m.attempts for m in parked] == [0, 0] and receivers.posts[BAD] == 0

    with _sender(receivers, [BAD, GOOD]) as configured_again:
        assert enable_endpoint(BAD, uow=uow, now=NOW + timedelta(days=8)) == 2
        assert _deliver(uow, configured_again, NOW + timedelta(days=8)).delivered == 2


def test_webhook_ids_are_unique_across_databases_and_stable_across_retries(
    engine: Engine, uow: UnitOfWork, receivers: Receivers, sender: WebhookSender, tmp_path: Path
) -> None:
    other_engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    migrate(other_engine)
    _queue(engine, uow, 3, [GOOD])
    _queue(other_engine, UnitOfWork(other_engine), 3, [GOOD])
    with uow:
        uow.outbox.add_events(
            [("switch.started", {"channel_id": "x"})], destinations=[GOOD], now=NOW
        )
        uow.commit()
    answers = iter([503, 204, 204, 204, 204])
    receivers.answers[GOOD] = lambda _: httpx.Response(next(answers, 204))

    _deliver(uow, sender, NOW)
    _deliver(uow, sender, NOW + timedelta(minutes=5))
    with _sender(receivers, [GOOD]) as other_sender:
        _deliver(UnitOfWork(other_engine), other_sender, NOW)
    other_engine.dispose()

    ids = [request.headers["webhook-id"] for request in receivers.seen]
    assert len(ids) == 8 and len(set(ids)) == 7  # one message was sent twice
    assert ids[0] == ids[1]  # its retry kept the id
    assert all(re.fullmatch(r"msg_[0-9a-f]{32}", i) for i in ids)
