"""A tenant's webhook subscriptions: where its own events go, besides the system destinations.

    subscription  url (https, or http to 127.0.0.1 / localhost), topics (None: every topic)
    secret        "whsec_" + base64 of 24 random bytes, made here, shown once at creation;
                  stored, since every delivery to the subscription is signed with it

Every message of tenant T is queued for the system destinations (TRADELANE_WEBHOOKS) and for
T's enabled subscriptions whose topics cover the message's topic, never another tenant's
(store/outbox_repository.py resolves them when it writes the message).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from tradelane.domain.errors import ValidationError
from tradelane.monitoring.alerts import AlertEvent
from tradelane.notifications.notices import CUSTOMER_TOPIC
from tradelane.notifications.signing import MIN_KEY_BYTES, SECRET_PREFIX

__all__ = [
    "MAX_PER_TENANT",
    "SWITCH_CLOSED",
    "SWITCH_OPENED",
    "TOPICS",
    "URL_MAX",
    "Subscription",
    "new_secret",
    "subscription_topics",
    "subscription_url",
]

SWITCH_OPENED = "switch.opened"
SWITCH_CLOSED = "switch.closed"
TOPICS = (*(e.value for e in AlertEvent), SWITCH_OPENED, SWITCH_CLOSED, CUSTOMER_TOPIC)
URL_MAX = 500  # the outbox's destination column
MAX_PER_TENANT = 20  # every message of the tenant is written once per subscription
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


@dataclass(frozen=True, slots=True)
class Subscription:
    """One subscription as it may be shown: never its secret."""

    id: int
    tenant_id: str
    url: str
    topics: tuple[str, ...] | None
    created_at: datetime

    def covers(self, topic: str) -> bool:
        return self.topics is None or topic in self.topics


def new_secret() -> str:
    """A fresh Standard Webhooks secret (the format the outbound signer reads)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(MIN_KEY_BYTES)).decode("ascii")


def subscription_url(url: str) -> str:
    """`url` when it may receive a tenant's events: https with a host, or plain http to
    127.0.0.1 / localhost; at most URL_MAX characters. ValidationError on field 'url'."""
    if len(url) > URL_MAX:
        raise ValidationError(f"must be at most {URL_MAX} characters", field="url")
    try:
        parts = httpx.URL(url)  # parsed as delivery will parse it
    except httpx.InvalidURL as exc:
        raise ValidationError(f"is not a URL ({exc})", field="url", value=url) from None
    if not parts.host or parts.scheme not in {"https", "http"}:
        raise ValidationError("must be an https:// URL with a host", field="url", value=url)
    if parts.scheme == "http" and parts.host not in LOCAL_HOSTS:
        raise ValidationError(
            "must be https (plain http only to 127.0.0.1 or localhost)", field="url", value=url
        )
    return url


def subscription_topics(topics: Sequence[str] | None) -> tuple[str, ...] | None:
    """The topics subscribed to, each one of TOPICS, without repeats (None: all of them)."""
    if topics is None:
        return None
    unknown = [t for t in topics if t not in TOPICS]
    if unknown or not topics:
        raise ValidationError(
            f"must be one or more of {', '.join(TOPICS)}", field="topics", value=unknown or None
        )
    return tuple(dict.fromkeys(topics))
