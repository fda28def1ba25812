"""Where and how each karrio carrier's tracking request is sent, and its polling limits.

karrio's proxies send with urllib directly; this table lets the same requests go through our
Transport. `numbers_per_request` and `min_interval_s` are our own conservative estimates (the
carriers publish quotas per account, not per request): add a carrier here to poll it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradelane.carriers.booking.transport import HttpCall

__all__ = ["TRACKING_ENDPOINTS", "TrackingEndpoint"]


@dataclass(frozen=True)
class TrackingEndpoint:
    format: str  # the tracking format (carriers.formats.FORMATS) that reads the answer
    numbers_per_request: int
    min_interval_s: float  # between two requests to this carrier
    call: Callable[[Any, Any], HttpCall]  # (karrio settings, serialized request) -> call


def _mydhl(settings: Any, query: Any) -> HttpCall:
    """MyDHL API: GET /tracking?shipmentTrackingNumber=…&…, HTTP Basic (karrio's mydhl proxy)."""
    return HttpCall(
        method="GET",
        url=f"{settings.server_url}/tracking?{query}",
        body=b"",
        headers={"Authorization": f"Basic {settings.authorization}"},
    )


TRACKING_ENDPOINTS: dict[str, TrackingEndpoint] = {
    # MyDHL accepts several shipmentTrackingNumber parameters in one request; estimate: 10
    # numbers a request, one request a second keeps well inside a default account quota.
    "mydhl": TrackingEndpoint("mydhl", numbers_per_request=10, min_interval_s=1.0, call=_mydhl),
}
