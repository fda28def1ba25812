"""Tenants and keys over real HTTP: every route refuses a request without a key (401) and a
viewer's write (403), and no route lets one tenant read or change another tenant's data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.builders import NOW, a_tracking_event
from tests.keys import bearer, key_for
from tests.served import served
from tradelane.bootstrap import Application, build
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.domain.history import HistoryRecord, HistoryStatus
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders

NUMBER = "LA100000001CN"
ADVISORY_ID = "mx-a-1"
ADVISORY = {
    "id": ADVISORY_ID,
    "kind": "port_congestion",
    "port": "US-LGB",
    "severity": 0.7,
    "starts_at": NOW.isoformat(),
    "source": "Marine Exchange",
}
SWEEP_AT = (NOW + timedelta(days=40)).isoformat()


@dataclass
class World:
    url: str
    keys: dict[str, str]  # "a-admin", "a-operator", "a-viewer", "b-admin", "b-operator"
    order_id: str  # tenant a's shipped order
    waiting_order_id: str  # tenant a's order never assigned
    alert_id: int
    switch_id: int
    system: Application

    def client(self, who: str | None) -> httpx.Client:
        headers = bearer(self.keys[who]) if who is not None else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def _orders(prefix: str, count: int) -> list[dict[str, object]]:
    made = generate_orders(count, seed=11, start=NOW, prefix=prefix)
    return [o.model_dump(mode="json") for o in made]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    system = build(Settings(data_dir=Path(tmp_path_factory.mktemp("tenants"))))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    keys = {
        f"{tenant}-{role.value}": key_for(system, role, tenant)
        for tenant in ("a", "b")
        for role in Role
    }
    with (
        served(create_app(system)) as url,
        httpx.Client(base_url=url, headers=bearer(keys["a-admin"]), timeout=30) as a,
    ):
        orders = _orders("A", 3)
        assert a.post("/orders", json=orders[:2]).status_code == 201
        assert a.post("/assignments", json={}).json()["assigned"] == 2
        assert a.post("/orders", json=orders[2:]).status_code == 201
        order_id = str(orders[0]["order_id"])
        shipped = a.post(
            "/shipments/ship",
            json={"order_ids": [order_id], "tracking_number": NUMBER, "at": NOW.isoformat()},
        ).json()
        [parcel] = shipped["shipped"]
        scans = [
            a_tracking_event("picked_up", NOW + timedelta(hours=2), tracking_number=NUMBER),
            a_tracking_event("departed_origin", NOW + timedelta(hours=14), tracking_number=NUMBER),
        ]
        system.ingest_tracking([ParsedTracking(entries=list(scans))], source="test")
        a.post("/monitor/sweep", json={"at": SWEEP_AT})
        [alert] = a.get("/alerts").json()["items"]
        switch = a.post(
            "/switches",
            json={"channel_id": parcel["channel_id"], "country": "DE", "reason": "test drill"},
        )
        assert switch.status_code == 201, switch.text
        assert a.post("/advisories", json=ADVISORY).status_code == 201
        yield World(
            url,
            keys,
            order_id,
            str(orders[2]["order_id"]),
            alert["id"],
            switch.json()["switch_id"],
            system,
        )


READS = [
    "/orders",
    "/orders/{order}",
    "/assignments/{order}",
    "/shipments/{number}",
    "/alerts",
    "/alerts/{alert}",
    "/switches",
    "/switches/{switch}",
    "/channels",
    "/lanes/states",
    "/advisories",
]
WRITES = [
    ("/orders", []),
    ("/assignments", {}),
    ("/shipments/ship", {"order_ids": ["{order}"]}),
    ("/alerts/{alert}/acknowledge", None),
    ("/alerts/{alert}/resolve", None),
    ("/switches", {"channel_id": "epacket-cn", "reason": "x"}),
    ("/switches/{switch}/release", {}),
    ("/webhooks", {"url": "https://seller.example/hooks"}),
    ("/advisories", {**ADVISORY, "id": "mx-a-2"}),
    ("/advisories/{advisory}/end", None),
]


def _path(world: World, template: str) -> str:
    return template.format(
        order=world.order_id,
        number=NUMBER,
        alert=world.alert_id,
        switch=world.switch_id,
        advisory=ADVISORY_ID,
    )


@pytest.mark.parametrize("path", READS + [w[0] for w in WRITES])
def test_a_request_without_a_key_is_401(world: World, path: str) -> None:
    with world.client(None) as anonymous:
        method = "GET" if path in READS else "POST"
        answer = anonymous.request(method, _path(world, path), json={})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["content-type"] == "application/problem+json"


def test_a_malformed_or_unknown_key_is_401(world: World) -> None:
    for key in ("nonsense", "tl_live_000000000000_" + "x" * 43):
        answer = httpx.get(f"{world.url}/orders", headers=bearer(key))
        assert answer.status_code == 401


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_a_viewers_write_is_403(world: World, path: str, body: object) -> None:
    with world.client("a-viewer") as viewer:
        answer = viewer.post(_path(world, path), json=body)
    assert answer.status_code == 403, answer.text


def test_the_owner_reads_each_route(world: World) -> None:
    with world.client("a-viewer") as owner:
        for path in READS:
            assert owner.get(_path(world, path)).status_code == 200, path


@pytest.mark.parametrize(
    "path",
    [
        "/orders/{order}",
        "/assignments/{order}",
        "/shipments/{number}",
        "/alerts/{alert}",
        "/switches/{switch}",
    ],
)
def test_another_tenant_cannot_read_an_item(world: World, path: str) -> None:
    with world.client("b-admin") as other:
        answer = other.get(_path(world, path))
    assert answer.status_code == 404


@pytest.mark.parametrize("path", ["/orders", "/alerts", "/switches", "/advisories"])
def test_another_tenants_listing_is_empty(world: World, path: str) -> None:
    with world.client("b-admin") as other:
        assert other.get(path).json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    "path",
    [
        "/alerts/{alert}/acknowledge",
        "/alerts/{alert}/resolve",
        "/switches/{switch}/release",
        "/advisories/{advisory}/end",
    ],
)
def test_another_tenant_cannot_change_an_item(world: World, path: str) -> None:
    with world.client("b-operator") as other:
        assert other.post(_path(world, path), json={}).status_code == 404
    with world.client("a-viewer") as owner:
        alert = owner.get(_path(world, "/alerts/{alert}")).json()
        switch = owner.get(_path(world, "/switches/{switch}")).json()
        [advisory] = owner.get("/advisories").json()["items"]
    assert alert["state"] == "open" and switch["ended_at"] is None
    assert advisory["ends_at"] is None and advisory["active"]


def test_another_tenant_cannot_ship_or_assign_the_owners_orders(world: World) -> None:
    with world.client("b-operator") as other:
        refused = other.post("/shipments/ship", json={"order_ids": [world.waiting_order_id]})
        assert refused.json()["refused"] == [
            {"order_id": world.waiting_order_id, "reason": "unknown order"}
        ]
        assert other.post("/assignments", json={}).json()["orders"] == 0
    with world.client("a-viewer") as owner:
        waiting = owner.get(f"/orders/{world.waiting_order_id}").json()
    assert waiting["assignment"] is None


def test_a_revoked_key_is_refused_at_once(world: World) -> None:
    key = key_for(world.system, Role.VIEWER, "b")
    with httpx.Client(base_url=world.url, headers=bearer(key), timeout=30) as viewer:
        assert viewer.get("/orders").status_code == 200
        world.system.revoke_key(key.split("_")[2])
        refused = viewer.get("/orders")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_another_tenants_scorecards_leave_out_the_owners_shipments_and_history(
    world: World,
) -> None:
    record = HistoryRecord(row=2, channel="a-history-line", lane="DE", status=HistoryStatus.LOST)
    with world.system.for_tenant("a").uow() as uow:
        import_id = uow.history.open_import("a-history.csv", "a" * 64, now=NOW)
        uow.history.add_records(import_id, [record])
        uow.history.close_import(import_id, 1, Counter())
        uow.commit()
    query = {"by": "channel", "at": SWEEP_AT}
    with world.client("a-viewer") as owner:
        mine = owner.get("/scorecards", params=query).json()
    with world.client("b-viewer") as other:
        theirs = other.get("/scorecards", params=query)
    assert sum(card["shipments"] for card in mine) == 2  # a's parcel and a's history record
    assert "a-history-line" in {card["channel"] for card in mine}
    assert theirs.status_code == 200 and theirs.json() == []


def test_another_tenants_lane_states_and_health_leave_out_the_owners(world: World) -> None:
    with world.client("a-viewer") as owner:
        mine = owner.get("/lanes/states").json()
        my_health = owner.get("/lanes/health", params={"at": SWEEP_AT}).json()
    with world.client("b-viewer") as other:
        theirs = other.get("/lanes/states").json()
        their_health = other.get("/lanes/health", params={"at": SWEEP_AT}).json()
    assert {lane["state"] for lane in mine} == {"failed"}  # a's forced switch
    assert theirs == []
    assert sum(lane["figures"]["in_flight"] for lane in my_health) == 1  # a's parcel
    assert their_health == []


def test_another_tenants_tick_neither_sees_nor_ends_the_owners_switch(world: World) -> None:
    with world.client("b-admin") as other:
        ticked = other.post("/monitor/tick", json={"at": SWEEP_AT})
        assert ticked.status_code == 200, ticked.text
        assert ticked.json()["switches_closed"] == 0
        assert other.get("/switches").json()["items"] == []
    with world.client("a-viewer") as owner:
        switch = owner.get(_path(world, "/switches/{switch}")).json()
    assert switch["ended_at"] is None
