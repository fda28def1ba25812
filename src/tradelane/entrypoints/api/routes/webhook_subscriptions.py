"""The caller's tenant's webhook subscriptions (Admin): subscribe a URL to some or all topics
(the answer carries the signing secret, the only time it is shown), list them, delete one.
Another tenant's subscription is not found (404)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tradelane.entrypoints.api.deps import Admin
from tradelane.entrypoints.api.schemas import RowId
from tradelane.notifications.subscriptions import TOPICS, URL_MAX, Subscription

__all__ = ["router"]

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=URL_MAX,
        description="https:// (plain http only to 127.0.0.1 or localhost).",
    )
    topics: list[str] | None = Field(
        default=None,
        min_length=1,
        max_length=len(TOPICS),
        description=f"Some of {', '.join(TOPICS)}; omitted or null: every topic.",
    )


class SubscriptionOut(BaseModel):
    id: int
    url: str
    topics: list[str] | None  # None: every topic
    created_at: datetime

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionOut:
        topics = None if subscription.topics is None else list(subscription.topics)
        return cls(
            id=subscription.id,
            url=subscription.url,
            topics=topics,
            created_at=subscription.created_at,
        )


class CreatedSubscriptionOut(SubscriptionOut):
    secret: str = Field(
        description="The Standard Webhooks secret deliveries are signed with; shown only here."
    )


class SubscriptionsOut(BaseModel):
    items: list[SubscriptionOut]


@router.post("", response_model=CreatedSubscriptionOut, status_code=201)
def subscribe(body: SubscriptionIn, app: Admin) -> CreatedSubscriptionOut:
    """Queue the tenant's events (of `topics`, default all) for `url` from now on, besides
    the installation's own destinations (409 when the tenant has MAX_PER_TENANT already)."""
    added, secret = app.subscribe_webhook(body.url, topics=body.topics)
    return CreatedSubscriptionOut(**SubscriptionOut.of(added).model_dump(), secret=secret)


@router.get("", response_model=SubscriptionsOut)
def list_subscriptions(app: Admin) -> SubscriptionsOut:
    """The tenant's subscriptions, oldest first, without their secrets."""
    return SubscriptionsOut(items=[SubscriptionOut.of(s) for s in app.webhook_subscriptions()])


@router.delete("/{subscription_id}", response_model=SubscriptionOut)
def unsubscribe(subscription_id: RowId, app: Admin) -> SubscriptionOut:
    """No new message is queued for it; the ones already queued are not sent."""
    return SubscriptionOut.of(app.unsubscribe_webhook(subscription_id))
