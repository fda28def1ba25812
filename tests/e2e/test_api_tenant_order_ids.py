"""An order id is the seller's own: over real HTTP two tenants create, read, list, assign and
ship orders with the same ids, and each sees only its own; a tracking number one tenant
handed over stays refused to the other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.builders import NOW
from tests.keys import bearer, key_for
from tests.served import served
from tradelane.bootstrap import build
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders

TENANTS = ("a", "b")


@dataclass
class Sellers:
    url: str
    keys: dict[str, str]
    order_ids: list[str]  # the same ids in both tenants

    def client(self, tenant: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=bearer(self.keys[tenant]), timeout=30)


@pytest.fixture(scope="module")
def sellers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sellers]:
    system = build(Settings(data_dir=Path(tmp_path_factory.mktemp("order-ids"))))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    keys = {tenant: key_for(system, Role.ADMIN, tenant) for tenant in TENANTS}
    orders = [o.model_dump(mode="json") for o in generate_orders(2, seed=5, start=NOW)]
    with served(create_app(system)) as url:
        made = Sellers(url, keys, [str(o["order_id"]) for o in orders])
        for tenant in TENANTS:
            with made.client(tenant) as seller:
                own = [o | {"marketplace": f"shop-{tenant}"} for o in orders]
                created = seller.post("/orders", json=own, headers={"Idempotency-Key": "day-1"})
                assert created.status_code == 201, (tenant, created.text)
        yield made


def test_each_tenant_reads_its_own_order_under_the_shared_id(sellers: Sellers) -> None:
    for tenant in TENANTS:
        with sellers.client(tenant) as seller:
            for order_id in sellers.order_ids:
                answer = seller.get(f"/orders/{order_id}")
                assert answer.status_code == 200, answer.text
                assert answer.json()["order"]["marketplace"] == f"shop-{tenant}"
            listed = seller.get("/orders").json()["items"]
        assert [o["order_id"] for o in listed] == sorted(sellers.order_ids)
        assert {o["marketplace"] for o in listed} == {f"shop-{tenant}"}


def test_assigning_one_tenants_orders_leaves_the_others_with_the_same_ids(
    sellers: Sellers,
) -> None:
    with sellers.client("a") as a:
        assert a.post("/assignments", json={}).json()["assigned"] == 2
    first = sellers.order_ids[0]
    with sellers.client("b") as b:
        assert b.get(f"/assignments/{first}").json() == []
        assert b.get(f"/orders/{first}").json()["assignment"] is None
        assert b.post("/assignments", json={}).json()["assigned"] == 2
    for tenant in TENANTS:
        with sellers.client(tenant) as seller:
            assert len(seller.get(f"/assignments/{first}").json()) == 1, tenant


def test_each_tenant_ships_its_own_order_and_keeps_its_tracking_number(sellers: Sellers) -> None:
    first, second = sellers.order_ids
    for tenant in TENANTS:
        with sellers.client(tenant) as seller:
            body = {"order_ids": [first], "tracking_number": f"TN{tenant.upper()}000001CN"}
            shipped = seller.post("/shipments/ship", json=body | {"at": NOW.isoformat()}).json()
            assert [s["order_id"] for s in shipped["shipped"]] == [first], shipped
    with sellers.client("b") as b:
        assert b.get("/shipments/TNA000001CN").status_code == 404
        assert b.get("/shipments/TNB000001CN").status_code == 200
        taken = b.post(
            "/shipments/ship",
            json={"order_ids": [second], "tracking_number": "TNA000001CN", "at": NOW.isoformat()},
        ).json()
    assert taken["shipped"] == [] and "another tenant" in taken["refused"][0]["reason"]
    with sellers.client("a") as a:
        mine = a.get("/shipments/TNA000001CN").json()
        still_waiting = a.get(f"/orders/{second}").json()
    assert (mine["shipment"]["tracking_number"], mine["shipment"]["order_id"]) == (
        "TNA000001CN",
        first,
    )
    assert still_waiting["assignment"] is not None
