"""Orders over real HTTP: Idempotency-Key replays, cursor pages, batch and page caps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.builders import NOW
from tests.keys import admin_headers
from tests.served import served
from tradelane.bootstrap import build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders


@pytest.fixture
def api(tmp_path: Path) -> Iterator[httpx.Client]:
    system = build(Settings(data_dir=tmp_path))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    headers = admin_headers(system)
    with (
        served(create_app(system)) as url,
        httpx.Client(base_url=url, headers=headers, timeout=30) as client,
    ):
        yield client


def _orders(count: int, prefix: str) -> list[dict[str, object]]:
    return [
        o.model_dump(mode="json") for o in generate_orders(count, seed=4, start=NOW, prefix=prefix)
    ]


def test_a_retry_with_the_same_idempotency_key_answers_the_first_answer(api: httpx.Client) -> None:
    body = json.dumps(_orders(3, "K"))
    headers = {"Idempotency-Key": "batch-42", "content-type": "application/json"}
    first = api.post("/orders", content=body, headers=headers)
    again = api.post("/orders", content=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(api.get("/orders").json()["items"]) == 3


def test_the_same_idempotency_key_with_another_body_is_a_409(api: httpx.Client) -> None:
    headers = {"Idempotency-Key": "batch-43"}
    assert api.post("/orders", json=_orders(1, "L"), headers=headers).status_code == 201
    reused = api.post("/orders", json=_orders(2, "M"), headers=headers)
    assert reused.status_code == 409 and "batch-43" in reused.json()["detail"]
    assert len(api.get("/orders").json()["items"]) == 1


def test_cursor_pages_walk_every_order_once_in_id_order(api: httpx.Client) -> None:
    sent = sorted(str(o["order_id"]) for o in _orders(23, "P"))
    api.post("/orders", json=_orders(23, "P"))
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 10} | ({"cursor": cursor} if cursor else {})
        page = api.get("/orders", params=params).json()
        seen += [o["order_id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sent


def test_a_bad_cursor_and_an_oversized_page_are_named_422s(api: httpx.Client) -> None:
    bad = api.get("/orders", params={"cursor": "%%%"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    assert api.get("/orders", params={"limit": 501}).status_code == 422


def test_a_batch_over_the_cap_is_refused_naming_the_count(api: httpx.Client) -> None:
    refused = api.post("/orders", json=[{}] * 10_001)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["value"]) == ("orders", 10_001)
