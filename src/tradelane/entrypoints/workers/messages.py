"""Webhook deliveries as broker messages (JSON) and back.

    {"source", "outcome", "message_id", "body"}   body: the verified raw bytes as latin-1
                                                   text (lossless), parsed again by the worker

A refusal travels as its outcome alone, so the worker counts it with the batch.
"""

from __future__ import annotations

from typing import Any

from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.webhooks.sources import SOURCES
from tradelane.services.webhook_intake import ACCEPTED, Delivery

__all__ = ["delivery_of", "message_of"]


def message_of(delivery: Delivery) -> dict[str, Any]:
    return {
        "source": delivery.source,
        "outcome": delivery.outcome,
        "message_id": delivery.message_id,
        "body": delivery.body.decode("latin-1") if delivery.outcome == ACCEPTED else "",
    }


def delivery_of(message: dict[str, Any]) -> Delivery:
    """The delivery a message carries; the body parsed with its source's format (it parsed
    in the API before it was queued)."""
    source, outcome = str(message["source"]), str(message["outcome"])
    if outcome != ACCEPTED:
        return Delivery(source, outcome)
    spec = SOURCES[source]
    parsed = parse_tracking(
        str(message["body"]).encode("latin-1"), format=spec.format, where=f"webhook {source}"
    )
    return Delivery(source, message_id=str(message["message_id"]), parsed=parsed)
