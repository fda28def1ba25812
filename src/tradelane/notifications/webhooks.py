"""Deliver outbox messages to webhook endpoints over HTTP (httpx).

    message ─▶ body (compact JSON) ─▶ Standard Webhooks headers for this attempt ─▶ POST
            ─▶ 2xx: delivered │ anything else, timeouts, refused connections: not delivered

The one I/O seam is the injected `httpx.Client`; tests hand it an `httpx.MockTransport`.
Redirects are not followed (the spec counts a 3xx as a failure).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

import httpx

from tradelane.notifications.messages import DeliveryOutcome, OutboxMessage
from tradelane.notifications.signing import decode_secret, signature_headers

__all__ = ["REQUEST_TIMEOUT_SECONDS", "WebhookSender", "message_body", "webhook_client"]

REQUEST_TIMEOUT_SECONDS = 15.0  # the spec recommends 15 to 30 s for receivers to answer


def webhook_client(*, timeout_seconds: float = REQUEST_TIMEOUT_SECONDS) -> httpx.Client:
    return httpx.Client(timeout=timeout_seconds, follow_redirects=False)


def message_body(message: OutboxMessage) -> str:
    """The exact text sent and signed; identical on every retry."""
    return json.dumps(message.payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


class WebhookSender:
    """Sends each message to its destination URL, signed with that URL's `whsec_` secret."""

    def __init__(self, secrets: Mapping[str, str], *, client: httpx.Client) -> None:
        for url, secret in secrets.items():
            decode_secret(secret, field=f"secret of {url}")
        self._secrets = dict(secrets)
        self._client = client

    @property
    def destinations(self) -> list[str]:
        return sorted(self._secrets)

    def send(self, message: OutboxMessage, *, now: datetime) -> DeliveryOutcome:
        """One attempt at `now` (the webhook-timestamp); never raises for transport failures."""
        secret = self._secrets.get(message.destination)
        if secret is None:
            return DeliveryOutcome(False, "no secret configured for this destination")
        body = message_body(message)
        headers = signature_headers(secret, message.webhook_id, int(now.timestamp()), body)
        headers["content-type"] = "application/json"
        try:
            response = self._client.post(
                message.destination, content=body.encode("utf-8"), headers=headers
            )
        except httpx.HTTPError as exc:
            return DeliveryOutcome(False, f"{type(exc).__name__}: {exc}")
        if response.is_success:
            return DeliveryOutcome(True)
        return DeliveryOutcome(
            False, f"HTTP {response.status_code}", retry_after=_retry_after(response)
        )


def _retry_after(response: httpx.Response) -> timedelta | None:
    """A Retry-After given in seconds (the HTTP-date form is ignored)."""
    value = response.headers.get("retry-after", "").strip()
    return timedelta(seconds=int(value)) if value.isdigit() else None
