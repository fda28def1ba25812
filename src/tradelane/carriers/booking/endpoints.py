"""Where and how each karrio carrier's create-shipment request is sent: URL, headers, body.

karrio's own proxies hold this too, but send with urllib directly; this table lets the same
payloads go through our Transport. Add a carrier here (and its karrio extra in pyproject)
to book with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tradelane.carriers.booking.transport import HttpCall

__all__ = ["ENDPOINTS", "KarrioEndpoint"]


@dataclass(frozen=True)
class KarrioEndpoint:
    """How to send one carrier's serialized create-shipment payload."""

    path: str
    body: Callable[[Any], str]  # the serialized payload -> request body
    headers: Callable[[Any], Mapping[str, str]]  # karrio settings -> headers
    decode: Callable[[str], Any]  # response text -> what karrio's parser reads

    def shipment_call(self, settings: Any, payload: Any) -> HttpCall:
        return HttpCall(
            method="POST",
            url=f"{settings.server_url}{self.path}",
            body=self.body(payload).encode("utf-8"),
            headers=self.headers(settings),
        )


def _mydhl_headers(settings: Any) -> Mapping[str, str]:
    return {"Content-Type": "application/json", "Authorization": f"Basic {settings.authorization}"}


ENDPOINTS: dict[str, KarrioEndpoint] = {
    # MyDHL API (DHL Express): POST /shipments, JSON, HTTP Basic with the API key and secret
    "mydhl": KarrioEndpoint(
        path="/shipments",
        body=lambda payload: json.dumps(payload["shipment"]),
        headers=_mydhl_headers,
        decode=json.loads,
    ),
}
