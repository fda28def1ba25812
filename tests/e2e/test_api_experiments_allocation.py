"""Experiments and allocation over real HTTP, with two tenants: each route needs a key (401),
refuses a viewer's write (403), and never lets tenant b read or change tenant a's rows;
the dashboard's scorecards and experiments panels show the session's tenant only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.builders import NOW
from tests.keys import bearer, key_for
from tests.served import served
from tradelane.bootstrap import Application, build
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders

EXPERIMENT = "mix-test"
NUMBER = "LA200000001CN"


@dataclass
class World:
    url: str
    keys: dict[str, str]  # "a-admin", "a-operator", "a-viewer", "b-admin", ...
    channels: list[str]  # tenant a's shipped order's channel first
    system: Application

    def client(self, who: str | None) -> httpx.Client:
        headers = bearer(self.keys[who]) if who is not None else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


def _experiment(experiment_id: str, channels: list[str], **extra: object) -> dict[str, object]:
    arms = [{"name": "control", "channels": channels[:1]}, {"name": "mix", "channels": channels}]
    return {"id": experiment_id, "arms": arms, **extra}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    system = build(Settings(data_dir=Path(tmp_path_factory.mktemp("experiments"))))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    keys = {
        f"{tenant}-{role.value}": key_for(system, role, tenant)
        for tenant in ("a", "b")
        for role in Role
    }
    with (
        served(create_app(system)) as url,
        httpx.Client(base_url=url, headers=bearer(keys["a-admin"]), timeout=60) as a,
    ):
        orders = [o.model_dump(mode="json") for o in generate_orders(3, seed=5, start=NOW)]
        assert a.post("/orders", json=orders).status_code == 201
        assert a.post("/assignments", json={}).json()["assigned"] == 3
        order_id = str(orders[0]["order_id"])
        shipped = a.post(
            "/shipments/ship",
            json={"order_ids": [order_id], "tracking_number": NUMBER, "at": NOW.isoformat()},
        ).json()
        [parcel] = shipped["shipped"]
        others = [c["id"] for c in a.get("/channels").json() if c["id"] != parcel["channel_id"]]
        channels = [parcel["channel_id"], *others[:2]]
        created = a.post("/experiments", json=_experiment(EXPERIMENT, channels))
        assert created.status_code == 201, created.text
        yield World(url, keys, channels, system)


NEW_ROUTES = [
    ("GET", "/experiments"),
    ("POST", "/experiments"),
    ("GET", f"/experiments/{EXPERIMENT}"),
    ("POST", f"/experiments/{EXPERIMENT}/stop"),
    ("POST", f"/experiments/{EXPERIMENT}/rebalance"),
    ("GET", "/allocation"),
    ("POST", "/allocation"),
]
WRITES = [(method, path) for method, path in NEW_ROUTES if method == "POST"]


@pytest.mark.parametrize(("method", "path"), NEW_ROUTES)
def test_a_request_without_a_key_is_401(world: World, method: str, path: str) -> None:
    with world.client(None) as anonymous:
        answer = anonymous.request(method, path, json={})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_viewers_write_is_403(world: World, method: str, path: str) -> None:
    with world.client("a-viewer") as viewer:
        answer = viewer.request(method, path, json={})
    assert answer.status_code == 403, answer.text


@pytest.mark.parametrize("path", ["/experiments", "/allocation"])
def test_an_operator_may_not_create_experiments_or_solve_the_allocation(
    world: World, path: str
) -> None:
    body = _experiment("by-operator", world.channels) if path == "/experiments" else {}
    with world.client("a-operator") as operator:
        assert operator.post(path, json=body).status_code == 403


def test_the_owner_reads_its_experiment_with_results_per_arm(world: World) -> None:
    with world.client("a-viewer") as owner:
        listed = owner.get("/experiments").json()
        detail = owner.get(f"/experiments/{EXPERIMENT}", params={"at": NOW.isoformat()}).json()
    assert [e["id"] for e in listed["items"]] == [EXPERIMENT]
    experiment, results = detail["experiment"], detail["results"]
    assert experiment["state"] == "running" and experiment["current_shares"] == [0.5, 0.5]
    assert [arm["name"] for arm in results["arms"]] == ["control", "mix"]
    assert results["planned_per_arm"] == experiment["planned_per_arm"] > 0
    assert results["decidable"] is False  # fixed horizon, no outcome yet


def test_another_tenant_neither_lists_nor_reads_the_owners_experiment(world: World) -> None:
    with world.client("b-admin") as other:
        assert other.get("/experiments").json() == {"items": [], "next_cursor": None}
        assert other.get(f"/experiments/{EXPERIMENT}").status_code == 404


@pytest.mark.parametrize("action", ["stop", "rebalance"])
def test_another_tenant_cannot_stop_or_rebalance_the_owners_experiment(
    world: World, action: str
) -> None:
    with world.client("b-operator") as other:
        assert other.post(f"/experiments/{EXPERIMENT}/{action}", json={}).status_code == 404
    with world.client("a-viewer") as owner:
        experiment = owner.get(f"/experiments/{EXPERIMENT}").json()["experiment"]
    assert experiment["state"] == "running" and experiment["stopped_at"] is None


def test_each_tenant_names_its_own_experiments(world: World) -> None:
    with world.client("b-admin") as other:
        theirs = other.post("/experiments", json=_experiment(EXPERIMENT, world.channels[1:]))
        assert theirs.status_code == 201, theirs.text
        other.post(f"/experiments/{EXPERIMENT}/stop", json={"reason": "b's own"})
    with world.client("a-viewer") as owner:
        mine = owner.get(f"/experiments/{EXPERIMENT}").json()["experiment"]
    assert mine["state"] == "running"
    assert mine["arms"][0]["channels"] == world.channels[:1]


def test_a_taken_id_is_409_and_bad_input_names_the_field_and_value(world: World) -> None:
    with world.client("a-admin") as admin:
        taken = admin.post("/experiments", json=_experiment(EXPERIMENT, world.channels))
        unknown = admin.post("/experiments", json=_experiment("x1", ["no-such-channel"] * 2))
        country = admin.post(
            "/experiments", json=_experiment("x2", world.channels, countries=["ZZ"])
        )
        tenant = admin.post("/experiments", json=_experiment("x3", world.channels, tenant_id="b"))
        split = admin.post("/experiments", json=_experiment("x4", world.channels, shares=[1.0]))
    assert taken.status_code == 409
    assert unknown.status_code == 422
    assert {(e["field"], e["value"]) for e in unknown.json()["errors"]} == {
        ("arms.0.channels", "no-such-channel"),
        ("arms.1.channels", "no-such-channel"),
    }
    assert country.status_code == 422
    assert [(e["field"], e["value"]) for e in country.json()["errors"]] == [("countries.0", "ZZ")]
    assert tenant.status_code == 422 and tenant.json()["errors"][0]["field"] == "tenant_id"
    assert split.status_code == 422 and split.json()["errors"][0]["field"] == "shares"


def test_experiments_page_by_cursor_and_a_stopped_one_cannot_stop_again(world: World) -> None:
    with world.client("a-admin") as admin:
        for name in ("page-1", "page-2"):
            assert admin.post("/experiments", json=_experiment(name, world.channels)).is_success
        first = admin.get("/experiments", params={"limit": 2}).json()
        rest = admin.get("/experiments", params={"limit": 2, "cursor": first["next_cursor"]})
        stopped = admin.post("/experiments/page-1/stop", json={"reason": "enough"})
        again = admin.post("/experiments/page-1/stop", json={})
    assert [e["id"] for e in first["items"]] == [EXPERIMENT, "page-1"]
    assert [e["id"] for e in rest.json()["items"]] == ["page-2"]
    assert rest.json()["next_cursor"] is None
    assert stopped.json()["state"] == "stopped" and stopped.json()["stop_reason"] == "enough"
    assert again.status_code == 409


def test_the_allocation_is_solved_stored_and_read_by_its_tenant_only(world: World) -> None:
    body = {"start": "2026-11-28", "days": 7, "volume_per_day": 40, "countries": ["DE", "US"]}
    with world.client("a-admin") as admin:
        started = time.perf_counter()
        solved = admin.post("/allocation", json=body)
        took = time.perf_counter() - started
        stored = admin.get("/allocation").json()
    assert solved.status_code == 200, solved.text
    answer = solved.json()
    assert answer["status"] == "optimal" and answer["stored"] is True
    assert {lane["country"] for lane in answer["lanes"]} >= {"DE", "US"}
    for lane in answer["lanes"]:
        assert sum(c["share"] for c in lane["channels"]) == pytest.approx(1.0, abs=1e-6)
    assert stored["lanes"] == answer["lanes"]
    assert took < 10, f"one 7-day solve took {took:.1f} s"
    with world.client("b-admin") as other:
        assert other.get("/allocation").json() == {"lanes": []}
        refused = other.post("/allocation", json={"start": "2026-11-28"})  # b has no orders
        theirs = other.post("/allocation", json=body | {"countries": ["FR"]})
        assert {lane["country"] for lane in other.get("/allocation").json()["lanes"]} == {"FR"}
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "history_days"
    assert theirs.json()["stored"] is True
    with world.client("a-viewer") as owner:
        assert owner.get("/allocation").json()["lanes"] == answer["lanes"]


def test_an_allocation_request_names_a_bad_field(world: World) -> None:
    with world.client("a-admin") as admin:
        country = admin.post("/allocation", json={"volume_per_day": 5, "countries": ["QQ"]})
        horizon = admin.post("/allocation", json={"days": 400})
        tenant = admin.post("/allocation", json={"tenant_id": "b"})
    assert [(e["field"], e["value"]) for e in country.json()["errors"]] == [("countries.0", "QQ")]
    assert horizon.status_code == 422 and horizon.json()["errors"][0]["field"] == "days"
    assert tenant.status_code == 422 and tenant.json()["errors"][0]["field"] == "tenant_id"


def _dashboard(world: World, who: str) -> str:
    with httpx.Client(base_url=world.url, timeout=60) as browser:
        assert browser.post("/login", data={"key": world.keys[who]}).status_code == 303
        page = browser.get("/dashboard/live")
    assert page.status_code == 200
    return page.text


def test_the_dashboard_shows_the_tenants_scorecards_and_experiments_only(world: World) -> None:
    mine = _dashboard(world, "a-viewer")
    theirs = _dashboard(world, "b-viewer")
    shipped_channel = world.channels[0]
    assert f'class="scorecard" data-channel="{shipped_channel}"' in mine
    assert f'data-experiment="{EXPERIMENT}" data-state="running"' in mine
    assert 'data-arm="control"' in mine and 'data-arm="mix"' in mine
    assert 'class="scorecard"' not in theirs
    assert f'data-experiment="{EXPERIMENT}" data-state="running"' not in theirs
