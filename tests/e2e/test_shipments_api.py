"""POST /shipments over a real embedded store: hand-offs recorded once, refusals as problems."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.builders import NOW, an_order
from tests.keys import admin_headers
from tradelane.bootstrap import Tradelane, build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.services.order_import import import_orders
from tradelane.services.tracking_queries import shipment_timeline


@pytest.fixture
def system(tmp_path: Path) -> Tradelane:
    built = build(Settings(data_dir=tmp_path))
    built.migrate()
    install_catalogue_file(None, uow=built.uow(), now=NOW)
    batch = [an_order(oid, country="FR") for oid in ("W-1", "W-2")]
    import_orders(batch, source="test", uow=built.uow(), now=NOW)
    return built


@pytest.fixture
def client(system: Tradelane) -> Iterator[TestClient]:
    with TestClient(create_app(system), headers=admin_headers(system)) as test_client:
        yield test_client


def handoff(order_id: str = "W-1", number: str = "LX100000001CN") -> dict[str, object]:
    return {
        "order_id": order_id,
        "channel_id": "epacket-cn",
        "tracking_number": number,
        "handed_over_at": "2026-11-28T10:00:00+08:00",
        "label_cost": {"amount": "2.95", "currency": "USD"},
    }


def test_a_posted_handoff_is_recorded_once(client: TestClient, system: Tradelane) -> None:
    created = client.post("/shipments", json=[handoff()])
    assert created.status_code == 201
    assert created.json()["recorded"] == 1
    again = client.post("/shipments", json=[handoff()])
    assert again.json() == {
        "recorded": 0,
        "updated": 0,
        "unchanged": 1,
        "tracking_numbers": ["LX100000001CN"],
    }
    view = shipment_timeline("LX100000001CN", uow=system.uow())
    assert (view.shipment["order_id"], view.shipment["channel_id"]) == ("W-1", "epacket-cn")


def test_a_number_of_another_order_is_a_409_naming_both(client: TestClient) -> None:
    client.post("/shipments", json=[handoff("W-1")])
    refused = client.post("/shipments", json=[handoff("W-2")])
    assert refused.status_code == 409
    assert "'W-1'" in refused.json()["detail"] and "'W-2'" in refused.json()["detail"]


def test_an_unknown_order_is_a_422_naming_it_and_nothing_is_stored(client: TestClient) -> None:
    refused = client.post("/shipments", json=[handoff("W-1"), handoff("W-404", "LX100000002CN")])
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["where"], error["field"], error["value"]) == ("body[1]", "order_id", "W-404")
    assert client.post("/shipments", json=[handoff("W-1")]).json()["recorded"] == 1
