"""Ask one carrier account for the tracking of some numbers through karrio.

numbers ─▶ karrio TrackingRequest ─▶ carrier mapper builds the request ─▶ Transport
    ─▶ answer body ─▶ the carrier's tracking format ─▶ events (offsets kept) or an error
"""

from __future__ import annotations

from collections.abc import Sequence

import karrio.sdk as karrio
from karrio.core import models
from loguru import logger

from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.transport import CarrierUnreachable, Transport
from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.carriers.polling.endpoints import TRACKING_ENDPOINTS

__all__ = ["KarrioTracker"]

logger.disable("karrio")


class KarrioTracker:
    """The tracking of one karrio carrier account (TrackingSource)."""

    def __init__(self, account: KarrioAccount, *, transport: Transport) -> None:
        self.carrier = account.karrio_carrier
        self._endpoint = TRACKING_ENDPOINTS[self.carrier]
        self._gateway = karrio.gateway[self.carrier].create(dict(account.credentials))
        self._transport = transport
        self.numbers_per_request = self._endpoint.numbers_per_request
        self.min_interval_s = self._endpoint.min_interval_s

    def track(self, numbers: Sequence[str]) -> ParsedTracking:
        """One request for `numbers`; CarrierUnreachable on a network failure or HTTP 5xx,
        the format's errors (TrackingNotFound, ValidationError) for an answer it refuses."""
        request = self._gateway.mapper.create_tracking_request(
            models.TrackingRequest(tracking_numbers=list(numbers))
        )
        call = self._endpoint.call(self._gateway.settings, request.serialize())
        reply = self._transport.send(call)
        if reply.status >= 500:
            raise CarrierUnreachable(f"{call.url} answered HTTP {reply.status}")
        where = f"poll {self.carrier}"
        return parse_tracking(reply.body, format=self._endpoint.format, where=where)
