"""The HTTP API under hostile requests, on a real uvicorn server: named problems, never a 500."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builders import NOW
from tests.keys import admin_headers
from tests.served import served
from tradelane.bootstrap import build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.entrypoints.api.problems import MAX_BODY_BYTES
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders

HEADERS: dict[str, str] = {}  # the admin key of the served app, set by `base_url`


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    system = build(Settings(data_dir=tmp_path))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    HEADERS.update(admin_headers(system))
    with served(create_app(system)) as url:
        yield url


def _orders_json(count: int, prefix: str = "HOST") -> list[dict[str, Any]]:
    return [
        o.model_dump(mode="json") for o in generate_orders(count, seed=5, start=NOW, prefix=prefix)
    ]


def _post(base_url: str, body: str) -> httpx.Response:
    headers = {"content-type": "application/json", **HEADERS}
    return httpx.post(f"{base_url}/orders", content=body, headers=headers, timeout=30)


def _auth_line() -> bytes:
    return f"Authorization: {HEADERS['Authorization']}\r\n".encode()


def _answer_to(base_url: str, head: bytes, chunks: Iterator[bytes]) -> bytes:
    """Send a request whose body never ends; the first bytes the server answers."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head)
        try:
            for chunk in chunks:
                connection.sendall(chunk)
        except OSError:  # the server stopped reading: its answer is waiting
            pass
        return connection.recv(4096)


def test_a_chunked_body_over_the_cap_is_refused_before_it_is_all_read(base_url: str) -> None:
    piece = b"[" + b" " * (1024 * 1024 - 1)
    chunks = (
        b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(MAX_BODY_BYTES // len(piece) + 2)
    )
    head = (
        b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n%s\r\n" % _auth_line()
    )
    answer = _answer_to(base_url, head, chunks)  # the last chunk (0) is never sent
    assert answer.startswith(b"HTTP/1.1 413") and b"application/problem+json" in answer


def test_a_content_length_over_the_cap_is_answered_413_without_waiting(base_url: str) -> None:
    head = (
        b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 69000000\r\n%s\r\n" % _auth_line()
    )
    answer = _answer_to(base_url, head, iter([b"[1,"]))
    assert answer.startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[{"order_id": ' + "1" * 5001 + "}]", "4300 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_json_the_parser_cannot_take_is_a_named_422(base_url: str, body: str, problem: str) -> None:
    response = _post(base_url, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert problem in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "9999-12-31T23:59:59-05:00"),
        ("created_at", "0001-01-01T00:00:00+05:00"),
        ("unit_value", "9e999999999"),
    ],
)
def test_a_value_that_overflows_is_a_named_422(base_url: str, field: str, value: str) -> None:
    [order] = _orders_json(1)
    if field == "created_at":
        order["created_at"] = value
    else:
        order["lines"][0][field] = value
    response = _post(base_url, json.dumps([order]))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"].endswith(field) and error["value"] == value


def test_three_simultaneous_posts_of_one_batch_give_one_201_and_clear_refusals(
    base_url: str,
) -> None:
    body = json.dumps(_orders_json(3_000))
    with ThreadPoolExecutor(max_workers=3) as pool:
        statuses = sorted(
            r.status_code for r in pool.map(lambda _: _post(base_url, body), range(3))
        )
    assert statuses == [201, 409, 409]
