"""The one I/O seam of carrier bookings: send an HTTP request, get the answer back.

Production uses HttpxTransport; tests pass a transport that answers recorded responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from tradelane.domain.errors import TradelaneError

__all__ = ["CarrierUnreachable", "HttpCall", "HttpReply", "HttpxTransport", "Transport"]


@dataclass(frozen=True)
class HttpCall:
    method: str
    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes


class Transport(Protocol):
    def send(self, call: HttpCall) -> HttpReply: ...


class CarrierUnreachable(TradelaneError):
    """The carrier's API could not be reached (network error or timeout)."""


class HttpxTransport:
    """httpx with a timeout; a network failure becomes CarrierUnreachable naming the URL."""

    def __init__(self, *, timeout_s: float = 30.0) -> None:
        self._timeout_s = timeout_s

    def send(self, call: HttpCall) -> HttpReply:
        try:
            with httpx.Client(timeout=self._timeout_s) as client:
                response = client.request(
                    call.method, call.url, content=call.body, headers=dict(call.headers)
                )
        except httpx.HTTPError as exc:
            raise CarrierUnreachable(f"{call.url}: {type(exc).__name__}: {exc}") from exc
        return HttpReply(status=response.status_code, body=response.content)
