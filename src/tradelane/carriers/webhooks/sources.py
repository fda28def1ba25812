"""The inbound tracking webhook sources: how each is authenticated, how its deliveries are
named (the id a replay repeats) and which tracking format reads its body.

    source     signature                 delivery id                 time window
    aftership  aftership-hmac-sha256     body `event_id` (UUID v4)   body `ts` (unix seconds)
    17track    sign                      SHA-256 of the body         none: the push carries no
                                                                     send time
    generic    Standard Webhooks         webhook-id header           webhook-timestamp header

AfterShip's `ts` and `event_id` are read only after the signature matched. A body with no
`event_id` is named by its SHA-256, like a 17TRACK push: the same bytes twice are one delivery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tradelane.carriers.webhooks.signatures import (
    Unauthenticated,
    check_window,
    verify_aftership,
    verify_seventeen_track,
    verify_standard,
)

__all__ = ["SOURCES", "WebhookSource", "body_digest"]

Authenticate = Callable[[bytes, Mapping[str, str], Sequence[str], int], str]


@dataclass(frozen=True)
class WebhookSource:
    name: str
    format: str  # the tracking format (carriers.formats.FORMATS) that reads the body
    secret_setting: str  # the environment variable holding its secret(s)
    authenticate: Authenticate  # (body, headers, secrets, now_s) -> delivery id, or raises


def body_digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _aftership(body: bytes, headers: Mapping[str, str], secrets: Sequence[str], now_s: int) -> str:
    verify_aftership(body, headers.get("aftership-hmac-sha256"), secrets)
    try:
        document = json.loads(body)
    except ValueError:
        return body_digest(body)  # signed but unreadable: the format's parser names why
    if not isinstance(document, dict):
        return body_digest(body)
    sent = document.get("ts")
    if isinstance(sent, int) and not isinstance(sent, bool):
        check_window(sent, now_s=now_s)
    event_id = document.get("event_id")
    if isinstance(event_id, str) and 0 < len(event_id) <= 100:
        return event_id
    return body_digest(body)


def _seventeen_track(
    body: bytes, headers: Mapping[str, str], secrets: Sequence[str], now_s: int
) -> str:
    verify_seventeen_track(body, headers.get("sign"), secrets)
    return body_digest(body)


def _standard(body: bytes, headers: Mapping[str, str], secrets: Sequence[str], now_s: int) -> str:
    message_id, _sent = verify_standard(body, headers, secrets, now_s=now_s)
    if len(message_id) > 100:
        raise Unauthenticated("bad_signature", "webhook-id longer than 100 characters")
    return message_id


SOURCES: dict[str, WebhookSource] = {
    "aftership": WebhookSource(
        "aftership", "aftership", "TRADELANE_AFTERSHIP_WEBHOOK_SECRET", _aftership
    ),
    "17track": WebhookSource("17track", "17track", "TRADELANE_17TRACK_API_KEY", _seventeen_track),
    "generic": WebhookSource("generic", "generic", "TRADELANE_TRACKING_WEBHOOK_SECRET", _standard),
}
