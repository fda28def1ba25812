"""Inbound tracking webhooks through the app: verified over the raw body before parsing,
stored once, refused with nothing stored, and every outcome counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.builders import NOW
from tests.conftest import shared_file
from tests.fakes import SteppingClock
from tests.keys import admin_headers
from tests.webhook_signing import (
    AFTERSHIP_SECRET,
    GENERIC_SECRET,
    GENERIC_SECRET_NEXT,
    SEVENTEEN_TRACK_KEY,
    aftership_body,
    aftership_headers,
    generic_body,
    generic_headers,
    seventeen_track_headers,
)
from tradelane.bootstrap import Tradelane, build
from tradelane.config import Settings
from tradelane.domain.errors import NotFound
from tradelane.entrypoints.api.app import create_app
from tradelane.entrypoints.api.routes.tracking_webhooks import MAX_WEBHOOK_BYTES
from tradelane.services.tracking_queries import shipment_timeline

NUMBER = "LX900000001CN"
SCANS = (
    ("2026-11-26T10:00:00+08:00", "picked_up"),
    ("2026-11-27T01:00:00+08:00", "departed_origin"),
)


@pytest.fixture
def system(tmp_path: Path) -> Tradelane:
    settings = Settings(
        data_dir=tmp_path,
        aftership_webhook_secret=AFTERSHIP_SECRET,
        seventeen_track_api_key=SEVENTEEN_TRACK_KEY,
        tracking_webhook_secret=f"{GENERIC_SECRET},{GENERIC_SECRET_NEXT}",
    )
    return build(settings, clock=SteppingClock(NOW))


@pytest.fixture
def client(system: Tradelane) -> Iterator[TestClient]:
    system.migrate()  # before the key is stored
    with TestClient(create_app(system), headers=admin_headers(system)) as test_client:
        yield test_client


def counts(client: TestClient, source: str) -> dict[str, int]:
    rows = client.get("/webhooks/tracking/counts").json()
    return {row["outcome"]: row["count"] for row in rows if row["source"] == source}


def events_of(system: Tradelane, number: str = NUMBER) -> int:
    return len(shipment_timeline(number, uow=system.uow()).events)


def post_generic(client: TestClient, body: bytes, **signing: object) -> int:
    headers = generic_headers(body, message_id="msg_1", at=NOW, **signing)  # type: ignore[arg-type]
    return client.post("/webhooks/tracking/generic", content=body, headers=headers).status_code


def test_a_well_signed_generic_webhook_is_stored_once_even_when_sent_twice(
    client: TestClient, system: Tradelane
) -> None:
    body = generic_body(NUMBER, *SCANS)
    headers = generic_headers(body, message_id="msg_1", at=NOW)
    first = client.post("/webhooks/tracking/generic", content=body, headers=headers)
    assert (first.status_code, first.json()) == (200, {"outcome": "accepted", "events": 2})
    again = client.post("/webhooks/tracking/generic", content=body, headers=headers)
    assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
    assert events_of(system) == 2
    assert counts(client, "generic") == {"accepted": 1, "duplicate": 1}


def test_the_next_secret_is_accepted_while_a_secret_is_rotated(client: TestClient) -> None:
    assert post_generic(client, generic_body(NUMBER, *SCANS), secret=GENERIC_SECRET_NEXT) == 200


def test_a_bad_signature_is_a_401_and_stores_nothing(client: TestClient, system: Tradelane) -> None:
    wrong = "whsec_" + "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc="
    assert post_generic(client, generic_body(NUMBER, *SCANS), secret=wrong) == 401
    with pytest.raises(NotFound):
        events_of(system)
    assert counts(client, "generic") == {"bad_signature": 1}


def test_a_body_altered_by_one_byte_is_refused(client: TestClient, system: Tradelane) -> None:
    body = generic_body(NUMBER, *SCANS)
    headers = generic_headers(body, message_id="msg_1", at=NOW)
    altered = body.replace(b"picked_up", b"picked_uq")
    refused = client.post("/webhooks/tracking/generic", content=altered, headers=headers)
    assert refused.status_code == 401
    assert counts(client, "generic") == {"bad_signature": 1}
    with pytest.raises(NotFound):
        events_of(system)


def test_a_stale_timestamp_is_refused_though_correctly_signed(client: TestClient) -> None:
    body = generic_body(NUMBER, *SCANS)
    headers = generic_headers(body, message_id="msg_1", at=NOW - timedelta(minutes=6))
    refused = client.post("/webhooks/tracking/generic", content=body, headers=headers)
    assert refused.status_code == 401 and "window" in refused.json()["detail"]
    assert counts(client, "generic") == {"stale": 1}


def test_an_oversized_body_is_a_413_unread_and_counted(client: TestClient) -> None:
    body = b'{"events": []}' + b" " * MAX_WEBHOOK_BYTES
    headers = generic_headers(body, message_id="msg_big", at=NOW)
    assert (
        client.post("/webhooks/tracking/generic", content=body, headers=headers).status_code == 413
    )
    assert counts(client, "generic") == {"too_large": 1}


def test_an_aftership_webhook_is_verified_with_its_hmac_header(
    client: TestClient, system: Tradelane
) -> None:
    stamp = int(NOW.timestamp())
    body = aftership_body(
        NUMBER, event_id="e-1", ts=stamp, subtag="InTransit_007", when="2026-11-27T01:00:00+08:00"
    )
    accepted = client.post(
        "/webhooks/tracking/aftership", content=body, headers=aftership_headers(body)
    )
    assert accepted.json() == {"outcome": "accepted", "events": 1}
    forged = client.post(
        "/webhooks/tracking/aftership", content=body, headers=aftership_headers(body, "other")
    )
    assert forged.status_code == 401
    stale = aftership_body(
        NUMBER,
        event_id="e-2",
        ts=stamp - 3600,
        subtag="InTransit_004",
        when="2026-11-27T02:00:00+08:00",
    )
    late = client.post(
        "/webhooks/tracking/aftership", content=stale, headers=aftership_headers(stale)
    )
    assert late.status_code == 401
    assert shipment_timeline(NUMBER, uow=system.uow()).shipment["status"] == "departed_origin"
    assert counts(client, "aftership") == {"accepted": 1, "bad_signature": 1, "stale": 1}


def test_a_17track_push_is_verified_with_its_sign_and_a_replay_adds_nothing(
    client: TestClient, system: Tradelane
) -> None:
    body = shared_file("carrier_samples/17track__v2_webhook_TRACKING_UPDATED.json").read_bytes()
    first = client.post(
        "/webhooks/tracking/17track", content=body, headers=seventeen_track_headers(body)
    )
    assert first.json() == {"outcome": "accepted", "events": 5}
    again = client.post(
        "/webhooks/tracking/17track", content=body, headers=seventeen_track_headers(body)
    )
    assert again.json()["outcome"] == "duplicate"
    wrong = client.post(
        "/webhooks/tracking/17track", content=body, headers=seventeen_track_headers(body, "nope")
    )
    assert wrong.status_code == 401
    assert (
        shipment_timeline("1Z2617V10397725789", uow=system.uow()).shipment["status"] == "delivered"
    )
    assert counts(client, "17track") == {"accepted": 1, "duplicate": 1, "bad_signature": 1}


def test_a_signed_body_that_is_not_the_format_is_a_422_counted_as_malformed(
    client: TestClient,
) -> None:
    body = b'{"hello": "world"}'
    refused = client.post(
        "/webhooks/tracking/17track", content=body, headers=seventeen_track_headers(body)
    )
    assert refused.status_code == 422 and "17TRACK" in refused.json()["detail"]
    assert counts(client, "17track") == {"malformed": 1}


def test_a_source_without_a_configured_secret_refuses_everything(tmp_path: Path) -> None:
    system = build(Settings(data_dir=tmp_path))
    system.migrate()
    with TestClient(create_app(system), headers=admin_headers(system)) as client:
        body = generic_body(NUMBER, *SCANS)
        assert post_generic(client, body) == 401
        assert counts(client, "generic") == {"unconfigured": 1}


def test_an_oversized_body_streamed_without_a_length_is_a_413_and_counted(
    client: TestClient,
) -> None:
    chunk = b" " * (64 * 1024)
    chunks = (chunk for _ in range(MAX_WEBHOOK_BYTES // len(chunk) + 2))
    headers = {"webhook-id": "msg_stream", "webhook-timestamp": "0", "webhook-signature": "v1,x"}
    refused = client.post("/webhooks/tracking/generic", content=chunks, headers=headers)
    assert refused.status_code == 413
    assert counts(client, "generic") == {"too_large": 1}


def test_an_unknown_webhook_source_is_a_404_problem(client: TestClient) -> None:
    refused = client.post("/webhooks/tracking/nowhere", content=b"{}")
    assert refused.status_code == 404
    assert refused.headers["content-type"] == "application/problem+json"
    assert "nowhere" in refused.json()["detail"]
