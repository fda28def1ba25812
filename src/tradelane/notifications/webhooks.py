"""Deliver outbox messages to webhook endpoints over HTTP (httpx).

    message ─▶ body (compact JSON) ─▶ Standard Webhooks headers for this attempt ─▶ POST
            ─▶ 2xx: delivered │ 410: endpoint gone │ anything else, timeouts, refused: retry

Every attempt has one total deadline (connect, send, status line, headers and the first
RESPONSE_BODY_LIMIT bytes of the answer together), so a receiver that trickles its reply
cannot hold delivery longer than that. The one I/O seam is the injected `httpx.AsyncClient`;
tests hand it an `httpx.MockTransport` or a local server. Redirects are not followed (the spec
counts a 3xx as a failure).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from types import TracebackType

import httpx

from tradelane.notifications.messages import DeliveryOutcome, OutboxMessage, Verdict
from tradelane.notifications.retry import parse_retry_after
from tradelane.notifications.signing import decode_secret, signature_headers

__all__ = ["REQUEST_TIMEOUT_SECONDS", "WebhookSender", "message_body", "webhook_client"]

REQUEST_TIMEOUT_SECONDS = 15.0  # the spec recommends 15 to 30 s for receivers to answer
CONNECT_TIMEOUT_SECONDS = 5.0
RESPONSE_BODY_LIMIT = 64 * 1024


def webhook_client(*, timeout_seconds: float = REQUEST_TIMEOUT_SECONDS) -> httpx.AsyncClient:
    connect = min(CONNECT_TIMEOUT_SECONDS, timeout_seconds)
    timeout = httpx.Timeout(timeout_seconds, connect=connect)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False)


def message_body(message: OutboxMessage) -> str:
    """The exact text sent and signed; identical on every retry."""
    return json.dumps(message.payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


class WebhookSender:
    """Sends each message to its destination URL, signed with that URL's `whsec_` secret (a
    tenant subscription's message: with the subscription's own, given to `send`). Use it as a
    context manager: it owns the client and the event loop the client runs on."""

    def __init__(
        self,
        secrets: Mapping[str, str],
        *,
        client: httpx.AsyncClient,
        deadline_seconds: float | None = None,
    ) -> None:
        for url, secret in secrets.items():
            decode_secret(secret, field=f"secret of {url}")
        self._secrets = dict(secrets)
        self._client = client
        self._deadline = deadline_seconds or _client_deadline(client)
        self._runner = asyncio.Runner()

    @property
    def destinations(self) -> list[str]:
        return sorted(self._secrets)

    def send(
        self, message: OutboxMessage, *, now: datetime, secret: str | None = None
    ) -> DeliveryOutcome:
        """One attempt at `now` (the webhook-timestamp), signed with `secret` (None: the
        destination's configured one); never raises for transport failures."""
        secret = secret or self._secrets.get(message.destination)
        if secret is None:
            return DeliveryOutcome(Verdict.UNROUTABLE, "destination no longer configured")
        body = message_body(message)
        headers = signature_headers(secret, message.webhook_id, int(now.timestamp()), body)
        headers["content-type"] = "application/json"
        try:
            status, retry_after = self._runner.run(
                self._post(message.destination, body.encode("utf-8"), headers)
            )
        except TimeoutError:
            return DeliveryOutcome(Verdict.RETRY, f"no complete answer within {self._deadline:g} s")
        except httpx.HTTPError as exc:
            return DeliveryOutcome(Verdict.RETRY, f"{type(exc).__name__}: {exc}")
        return _outcome(status, parse_retry_after(retry_after, now=now))

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        async with asyncio.timeout(self._deadline):
            request = self._client.stream("POST", url, content=body, headers=headers)
            async with request as response:
                await _drain(response)
                return response.status_code, response.headers.get("retry-after", "")

    def close(self) -> None:
        try:
            self._runner.run(self._client.aclose())
        finally:
            self._runner.close()

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


async def _drain(response: httpx.Response) -> None:
    """Read up to RESPONSE_BODY_LIMIT bytes of the answer, so the connection can be reused."""
    if response.is_stream_consumed:
        return
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read >= RESPONSE_BODY_LIMIT:
            return


def _client_deadline(client: httpx.AsyncClient) -> float:
    return client.timeout.read or REQUEST_TIMEOUT_SECONDS


def _outcome(status: int, retry_after: timedelta | None) -> DeliveryOutcome:
    if 200 <= status < 300:
        return DeliveryOutcome(Verdict.DELIVERED)
    if status == httpx.codes.GONE:
        return DeliveryOutcome(Verdict.GONE, "HTTP 410 Gone")
    return DeliveryOutcome(Verdict.RETRY, f"HTTP {status}", retry_after=retry_after)
