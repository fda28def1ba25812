"""Advisories over the HTTP API: an operator records one, anyone lists it, an operator ends
it; a wrong scope is a 422 problem naming the field, a reused id or a second end a 409, an
unknown id a 404."""

from __future__ import annotations

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

LONG_BEACH = {
    "id": "mx-lgb-1",
    "kind": "port_congestion",
    "port": "US-LGB",
    "severity": 0.7,
    "starts_at": "2026-11-12T00:00:00Z",
    "source": "Marine Exchange",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    system = build(Settings(data_dir=tmp_path))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    with TestClient(create_app(system), headers=admin_headers(system)) as test_client:
        yield test_client


def test_record_list_and_end_an_advisory(client: TestClient) -> None:
    created = client.post("/advisories", json=LONG_BEACH)
    assert created.status_code == 201, created.text
    assert created.json()["port"] == "US-LGB" and created.json()["ends_at"] is None
    [listed] = client.get("/advisories", params={"active_only": True}).json()["items"]
    assert listed["id"] == "mx-lgb-1" and listed["active"] is True
    ended = client.post("/advisories/mx-lgb-1/end")
    assert ended.status_code == 200 and ended.json()["ends_at"] is not None
    assert client.get("/advisories", params={"active_only": True}).json()["items"] == []
    again = client.post("/advisories/mx-lgb-1/end")
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_an_advisory_without_an_id_gets_one(client: TestClient) -> None:
    created = client.post("/advisories", json={**LONG_BEACH, "id": None})
    assert created.status_code == 201
    assert created.json()["id"].startswith("adv-")


def test_a_wrong_scope_a_reused_id_and_an_unknown_id_are_problems(client: TestClient) -> None:
    wrong = client.post("/advisories", json={**LONG_BEACH, "kind": "carrier_outage"})
    assert wrong.status_code == 422
    assert "carrier_outage needs carrier" in wrong.text
    nowhere = client.post("/advisories", json={**LONG_BEACH, "port": "XX-NOPE"})
    assert nowhere.status_code == 422
    assert client.post("/advisories", json=LONG_BEACH).status_code == 201
    assert client.post("/advisories", json=LONG_BEACH).status_code == 409
    assert client.post("/advisories/nothing-here/end").status_code == 404
