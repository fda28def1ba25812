"""Sign inbound tracking webhooks as each source does (for tests and the benchmark)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime

from tradelane.notifications.signing import signature_headers

AFTERSHIP_SECRET = "as-secret-1"
SEVENTEEN_TRACK_KEY = "17t-key-1"
GENERIC_SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
GENERIC_SECRET_NEXT = "whsec_" + base64.b64encode(b"n" * 32).decode()


def aftership_headers(body: bytes, secret: str = AFTERSHIP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {"aftership-hmac-sha256": base64.b64encode(digest).decode(), **JSON}


def seventeen_track_headers(body: bytes, key: str = SEVENTEEN_TRACK_KEY) -> dict[str, str]:
    return {"sign": hashlib.sha256(body + b"/" + key.encode()).hexdigest(), **JSON}


def generic_headers(
    body: bytes, *, message_id: str, at: datetime, secret: str = GENERIC_SECRET
) -> dict[str, str]:
    stamp = int(at.timestamp())
    return {**signature_headers(secret, message_id, stamp, body.decode()), **JSON}


JSON = {"content-type": "application/json"}


def generic_body(number: str, *events: tuple[str, str]) -> bytes:
    """A generic feed body: (occurred_at ISO, milestone) per event."""
    return json.dumps(
        {
            "events": [
                {"carrier": "line", "tracking_number": number, "occurred_at": t, "milestone": m}
                for t, m in events
            ]
        }
    ).encode()


def aftership_body(number: str, *, event_id: str, ts: int, subtag: str, when: str) -> bytes:
    point = {"checkpoint_time": when, "subtag": subtag, "tag": subtag.split("_")[0]}
    msg = {"tracking_number": number, "slug": "china-ems", "checkpoints": [point]}
    document = {"event": "tracking_update", "event_id": event_id, "ts": ts, "msg": msg}
    return json.dumps(document).encode()
