"""Verify an inbound webhook's signature over its raw body, before anything parses it.

    AfterShip        header aftership-hmac-sha256 = base64(HMAC-SHA256(secret, body))
    17TRACK          header sign = hex(SHA-256(body + "/" + API key))
    Standard Webhooks  webhook-signature = "v1," + base64(HMAC-SHA256(key, id.timestamp.body)),
                     several space-separated signatures allowed; timestamp within a window

Every scheme accepts any of several secrets (the old and the new one while a secret is
rotated) and compares in constant time. A failure is Unauthenticated naming the outcome
(`bad_signature`, `stale`, `unconfigured`), never which secret came close.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence

from tradelane.domain.errors import TradelaneError
from tradelane.notifications.signing import sign

__all__ = [
    "TIMESTAMP_TOLERANCE_S",
    "Unauthenticated",
    "check_window",
    "verify_aftership",
    "verify_seventeen_track",
    "verify_standard",
]

# Standard Webhooks' reference libraries accept a timestamp up to 5 minutes either way.
TIMESTAMP_TOLERANCE_S = 300


class Unauthenticated(TradelaneError):
    """The webhook cannot be trusted; `outcome` is the counted reason."""

    def __init__(self, outcome: str, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome


def _require(secrets: Sequence[str], header: str | None, name: str) -> str:
    if not secrets:
        raise Unauthenticated("unconfigured", "no secret is configured for this webhook")
    if not header:
        raise Unauthenticated("bad_signature", f"missing {name} header")
    return header.strip()


def _any_matches(expected: Sequence[bytes], given: bytes) -> bool:
    matched = False
    for candidate in expected:  # no early exit: every secret costs the same time
        matched |= hmac.compare_digest(candidate, given)
    return matched


def verify_aftership(body: bytes, header: str | None, secrets: Sequence[str]) -> None:
    """AfterShip's `aftership-hmac-sha256` over the raw body."""
    given = _require(secrets, header, "aftership-hmac-sha256")
    expected = [
        base64.b64encode(hmac.new(s.encode(), body, hashlib.sha256).digest()) for s in secrets
    ]
    if not _any_matches(expected, given.encode()):
        raise Unauthenticated("bad_signature", "aftership-hmac-sha256 does not match the body")


def verify_seventeen_track(body: bytes, header: str | None, keys: Sequence[str]) -> None:
    """17TRACK's `sign`: SHA-256 of the raw body, '/', and the API key (lowercase hex)."""
    given = _require(keys, header, "sign").lower()
    expected = [hashlib.sha256(body + b"/" + k.encode()).hexdigest().encode() for k in keys]
    if not _any_matches(expected, given.encode()):
        raise Unauthenticated("bad_signature", "sign does not match the body")


def verify_standard(
    body: bytes, headers: Mapping[str, str], secrets: Sequence[str], *, now_s: int
) -> tuple[str, int]:
    """(webhook-id, timestamp) of a Standard Webhooks delivery whose signature matches."""
    message_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    given = _require(secrets, headers.get("webhook-signature"), "webhook-signature")
    if not message_id or "." in message_id or not stamp.isdigit():
        raise Unauthenticated("bad_signature", "missing or malformed webhook-id/timestamp")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Unauthenticated("bad_signature", "body is not UTF-8") from None
    expected = [sign(s, message_id, int(stamp), text).encode() for s in secrets]
    offered = [part.encode() for part in given.split() if part.startswith("v1,")]
    if not any(_any_matches(expected, part) for part in offered):
        raise Unauthenticated("bad_signature", "webhook-signature does not match the body")
    check_window(int(stamp), now_s=now_s)
    return message_id, int(stamp)


def check_window(sent_s: int, *, now_s: int, tolerance_s: int = TIMESTAMP_TOLERANCE_S) -> None:
    """Unauthenticated('stale') when `sent_s` is more than `tolerance_s` from now."""
    if abs(now_s - sent_s) > tolerance_s:
        raise Unauthenticated(
            "stale", f"timestamp {sent_s} is outside the {tolerance_s}s window around now"
        )
