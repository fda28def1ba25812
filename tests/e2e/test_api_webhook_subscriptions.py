"""Webhook subscriptions per tenant over real HTTP, delivered to a real receiver: tenant a's
alert, buyer notice and switch events reach a's URL (signed with the secret a was given) and
the system destination, never b's; a tenant cannot see or delete another's subscription; a
deleted subscription gets no new message."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builders import NOW, a_tracking_event
from tests.keys import bearer, key_for
from tests.served import served
from tradelane.bootstrap import Application, build
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders

NUMBER = "LA100000002CN"
SWEEP_AT = NOW + timedelta(days=40)
SYSTEM_SECRET = "whsec_" + base64.b64encode(b"s" * 32).decode()


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: str

    @property
    def topic(self) -> str:
        return str(json.loads(self.body)["type"])


@dataclass
class Received:
    deliveries: list[Delivery] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def topics_at(self, path: str) -> list[str]:
        with self.lock:
            return [d.topic for d in self.deliveries if d.path == path]

    def at(self, path: str) -> list[Delivery]:
        with self.lock:
            return [d for d in self.deliveries if d.path == path]


def _verified(delivery: Delivery, secret: str) -> bool:
    """The Standard Webhooks check a receiver makes, written out here (not tradelane's)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    headers = delivery.headers
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{delivery.body}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.removeprefix("v1,") for s in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, s) for s in offered)


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"])).decode()
            headers = {k.lower(): v for k, v in self.headers.items()}
            with received.lock:
                received.deliveries.append(Delivery(self.path, headers, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


@dataclass
class World:
    url: str
    hooks: str  # the receiver's base URL
    received: Received
    keys: dict[str, str]
    system: Application

    def client(self, who: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=bearer(self.keys[who]), timeout=30)

    def deliver(self) -> None:
        report = self.system.deliver_outbox(now=SWEEP_AT + timedelta(days=400))
        assert report.failed == 0 and report.pending == 0


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, receiver: tuple[str, Received]
) -> Iterator[World]:
    hooks, received = receiver
    settings = Settings(
        data_dir=Path(tmp_path_factory.mktemp("subscriptions")),
        webhooks={f"{hooks}/system": SYSTEM_SECRET},
    )
    system = build(settings)
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    keys = {f"{t}-{r.value}": key_for(system, r, t) for t in ("a", "b") for r in Role}
    with served(create_app(system)) as url:
        yield World(url, hooks, received, keys, system)


def _subscribe(world: World, who: str, path: str, **extra: Any) -> dict[str, Any]:
    with world.client(who) as admin:
        answer = admin.post("/webhooks", json={"url": f"{world.hooks}{path}", **extra})
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def _ship_and_sweep(world: World) -> tuple[str, str]:
    """Tenant a ships one order, its parcel stalls, the sweep opens an alert: its lane."""
    orders = [o.model_dump(mode="json") for o in generate_orders(2, seed=11, start=NOW)]
    with world.client("a-admin") as a:
        assert a.post("/orders", json=orders).status_code == 201
        assert a.post("/assignments", json={}).json()["assigned"] == 2
        shipped = a.post(
            "/shipments/ship",
            json={
                "order_ids": [orders[0]["order_id"]],
                "tracking_number": NUMBER,
                "at": NOW.isoformat(),
            },
        ).json()
        [parcel] = shipped["shipped"]
        scans = [a_tracking_event("picked_up", NOW + timedelta(hours=2), tracking_number=NUMBER)]
        world.system.ingest_tracking([ParsedTracking(entries=scans)], source="test")
        swept = a.post("/monitor/sweep", json={"at": SWEEP_AT.isoformat()})
        assert swept.status_code == 200, swept.text
    return str(parcel["channel_id"]), str(orders[0]["destination"]["country"])


def test_a_tenants_events_reach_its_own_subscription_and_the_system_only(world: World) -> None:
    mine = _subscribe(world, "a-admin", "/a")
    theirs = _subscribe(world, "b-admin", "/b")
    assert mine["secret"].startswith("whsec_") and mine["secret"] != theirs["secret"]
    channel, country = _ship_and_sweep(world)
    with world.client("a-admin") as a:
        forced = a.post(
            "/switches", json={"channel_id": channel, "country": country, "reason": "drill"}
        )
        assert forced.status_code == 201, forced.text
    world.deliver()
    assert world.received.topics_at("/a") == ["alert.opened", "customer.notice", "switch.opened"]
    assert world.received.topics_at("/b") == []
    system_bodies = {d.body for d in world.received.at("/system")}
    assert {d.body for d in world.received.at("/a")} <= system_bodies
    assert all(_verified(d, mine["secret"]) for d in world.received.at("/a"))
    assert not any(_verified(d, theirs["secret"]) for d in world.received.at("/a"))
    assert all(_verified(d, SYSTEM_SECRET) for d in world.received.at("/system"))

    switch_id = forced.json()["switch_id"]
    with world.client("a-admin") as a:
        deleted = a.delete(f"/webhooks/{mine['id']}")
        assert deleted.status_code == 200, deleted.text
        assert mine["id"] not in [s["id"] for s in a.get("/webhooks").json()["items"]]
        assert a.post(f"/switches/{switch_id}/release", json={}).status_code == 200
    world.deliver()
    assert world.received.topics_at("/a") == ["alert.opened", "customer.notice", "switch.opened"]
    closed = [json.loads(d.body) for d in world.received.at("/system")]
    assert {"switch.closed"} == {
        c["type"] for c in closed if c["data"].get("switch_id") == switch_id
    } - {"switch.opened"}


def test_a_subscription_receives_only_its_topics(world: World) -> None:
    _subscribe(world, "a-admin", "/a-switches", topics=["switch.closed"])
    with world.client("a-admin") as a:
        forced = a.post(
            "/switches", json={"channel_id": "epacket-cn", "country": "DE", "reason": "drill"}
        )
        assert forced.status_code == 201, forced.text
        released = a.post(f"/switches/{forced.json()['switch_id']}/release", json={})
        assert released.status_code == 200, released.text
    world.deliver()
    assert world.received.topics_at("/a-switches") == ["switch.closed"]


def test_a_tenant_neither_sees_nor_deletes_another_tenants_subscription(world: World) -> None:
    created = _subscribe(world, "a-admin", "/a-private")
    with world.client("b-admin") as other:
        listed = other.get("/webhooks").json()["items"]
        assert created["id"] not in [s["id"] for s in listed]
        refused = other.delete(f"/webhooks/{created['id']}")
        assert refused.status_code == 404
        assert refused.headers["content-type"] == "application/problem+json"
    with world.client("a-admin") as owner:
        listed = owner.get("/webhooks").json()["items"]
    [kept] = [s for s in listed if s["id"] == created["id"]]
    assert "secret" not in kept and kept["url"] == f"{world.hooks}/a-private"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://seller.example/hook", "must be https"),
        ("ftp://seller.example/hook", "must be an https:// URL"),
        ("https:///hook", "must be an https:// URL"),
        ("https://[::1/hook", "is not a URL"),
        ("https://" + "x" * 500 + ".example", "at most 500"),
    ],
)
def test_a_url_that_may_not_receive_events_is_refused_naming_the_field(
    world: World, url: str, problem: str
) -> None:
    with world.client("a-admin") as admin:
        answer = admin.post("/webhooks", json={"url": url})
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "url" and problem in error["message"]


def test_only_an_admin_manages_subscriptions(world: World) -> None:
    for method in ("GET", "POST", "DELETE"):
        path = "/webhooks/1" if method == "DELETE" else "/webhooks"
        assert httpx.request(method, f"{world.url}{path}").status_code == 401
    with world.client("a-operator") as operator:
        assert operator.get("/webhooks").status_code == 403
        refused = operator.post("/webhooks", json={"url": f"{world.hooks}/x"})
        assert refused.status_code == 403
