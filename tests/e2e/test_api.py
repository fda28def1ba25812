"""The HTTP API over a real embedded store: problem details, all-or-nothing imports."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.builders import NOW
from tests.keys import admin_headers
from tradelane.bootstrap import build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    system = build(Settings(data_dir=tmp_path))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    with TestClient(create_app(system), headers=admin_headers(system)) as test_client:
        yield test_client


def _orders_json(count: int, prefix: str = "API") -> list[dict[str, object]]:
    return [
        o.model_dump(mode="json") for o in generate_orders(count, seed=2, start=NOW, prefix=prefix)
    ]


def test_channels_are_listed_and_an_unknown_one_is_a_404_problem(client: TestClient) -> None:
    assert any(c["id"] == "epacket-cn" for c in client.get("/channels").json())
    missing = client.get("/channels/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "channel 'nowhere' not found"


def test_posted_orders_are_stored_and_read_back(client: TestClient) -> None:
    sent = _orders_json(5)
    created = client.post("/orders", json=sent)
    assert created.status_code == 201 and created.json()["imported"] == 5
    assert client.get(f"/orders/{sent[3]['order_id']}").json()["order"] == sent[3]


def test_a_bad_order_refuses_the_batch_with_the_field_named(client: TestClient) -> None:
    batch = _orders_json(3)
    batch[2]["lines"][0]["unit_weight_kg"] = -1  # type: ignore[index]
    refused = client.post("/orders", json=batch)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "[2].lines[0].unit_weight_kg"
    assert client.get(f"/orders/{batch[0]['order_id']}").status_code == 404


def test_a_replayed_batch_is_refused_as_already_imported(client: TestClient) -> None:
    batch = _orders_json(2)
    client.post("/orders", json=batch)
    again = client.post("/orders", json=batch)
    assert again.status_code == 409
    assert {e["message"] for e in again.json()["errors"]} == {"order id already imported"}


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    response = client.post(
        "/orders",
        content=b"[]",
        headers={"content-length": str(64 * 1024 * 1024), "content-type": "application/json"},
    )
    assert response.status_code == 413


def test_the_dashboard_asks_for_a_key_then_shows_the_lane_board(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    refused = client.post("/login", data={"key": "tl_live_000000000000_" + "x" * 40})
    assert refused.status_code == 401
    key = client.headers["authorization"].removeprefix("Bearer ")
    client.post("/login", data={"key": key})
    page = client.get("/")
    assert page.status_code == 200
    assert 'data-lane="wh-duisburg/DE"' in page.text and "tenant <b>default</b>" in page.text


def test_the_start_up_heap_is_frozen_while_serving_and_released_after(tmp_path: Path) -> None:
    system = build(Settings(data_dir=tmp_path))
    before = gc.get_freeze_count()
    with TestClient(create_app(system)) as serving:
        assert serving.get("/health").status_code == 200
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == 0
