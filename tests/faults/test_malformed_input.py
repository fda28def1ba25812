"""Malformed input through the queued API: each bad piece refused with a clear error and
counted, the rest of the batch stored by the worker, events in = events out."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.builders import NOW
from tests.faults.stack import Stack, wait_until
from tests.webhook_signing import generic_headers
from tradelane.entrypoints.api.routes.tracking_webhooks import MAX_WEBHOOK_BYTES

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]

SCAN = {"carrier": "line", "tracking_number": "FM1CN"}
GOOD = {**SCAN, "occurred_at": "2026-11-26T10:00:00+08:00", "milestone": "picked_up"}
UNKNOWN_CODE = {**SCAN, "occurred_at": "2026-11-26T12:00:00+08:00", "status_code": "ZZ9"}
NO_ZONE = {**SCAN, "occurred_at": "2026-11-26T13:00:00", "milestone": "departed_origin"}


def post(client: TestClient, body: bytes, message_id: str) -> Response:
    headers = generic_headers(body, message_id=message_id, at=NOW)
    return client.post("/webhooks/tracking/generic", content=body, headers=headers)


def test_bad_json_oversized_and_zoneless_input_is_refused_and_the_rest_loads(
    stack: Stack,
) -> None:
    stack.start_worker()
    unknown = {**UNKNOWN_CODE, "code_system": "upu"}
    mixed = json.dumps({"events": [GOOD, unknown, NO_ZONE]}).encode()
    with stack.api() as client:
        answer = post(client, mixed, "mixed")
        bad_json = post(client, b'{"events": [', "broken")
        too_big = post(client, b'{"events": []}' + b" " * MAX_WEBHOOK_BYTES, "big")
    assert answer.status_code == 202
    [refused] = answer.json()["rejected"]
    assert refused["field"] == "occurred_at" and "events[2]" in refused["where"]
    assert bad_json.status_code == 422 and "not valid JSON" in bad_json.json()["detail"]
    assert too_big.status_code == 413
    expected = {"accepted": 1, "malformed": 1, "too_large": 1}
    wait_until(lambda: stack.counts() == expected, timeout_s=25, what="3 counted", stack=stack)
    assert stack.stored_events() == 2  # the good scan and the unknown code (kept, flagged)
