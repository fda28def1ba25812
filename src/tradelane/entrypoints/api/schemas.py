"""Response models of the API: what every route answers, as documented in OpenAPI.

Request bodies never carry a tenant, a price or a channel decision the server computes:
request models forbid unknown fields, so none can be mass-assigned.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from tradelane.domain.errors import ValidationError
from tradelane.monitoring.alerts import Alert
from tradelane.selection.decision import AssignmentRecord
from tradelane.switching.states import SwitchRecord

__all__ = [
    "MAX_PAGE",
    "AlertOut",
    "AssignmentOut",
    "Moment",
    "Page",
    "Problem",
    "RowId",
    "SwitchOut",
    "decode_cursor",
    "encode_cursor",
    "int_cursor",
    "next_cursor",
]

MAX_PAGE = 500
Item = TypeVar("Item")
FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years the peak calendar (and its neighbours) covers


def _in_calendar(moment: datetime) -> datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"a time between {FIRST_YEAR} and {LAST_YEAR}")
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_in_calendar)]
RowId = Annotated[int, Path(ge=1, le=2**62, description="A stored row's id.")]


class Page(BaseModel, Generic[Item]):
    """One page of a listing; pass `next_cursor` as `cursor` for the next (null: no more)."""

    items: list[Item]
    next_cursor: str | None = None


def encode_cursor(last: str | int) -> str:
    return base64.urlsafe_b64encode(str(last).encode("utf-8")).decode("ascii").rstrip("=")


def next_cursor(after: str | int | None) -> str | None:
    """The cursor of the page after key `after`; None (no more) when `after` is None."""
    return None if after is None else encode_cursor(after)


def decode_cursor(cursor: str | None) -> str | None:
    """The key a cursor stands for; ValidationError naming `cursor` when it is not one."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
        if not key:
            raise ValueError("empty")
        return key.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise ValidationError("not a cursor this API gave", field="cursor", value=cursor) from None


def int_cursor(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    if not key.isdigit() or len(key) > 18:
        raise ValidationError("not a cursor this API gave", field="cursor", value=cursor)
    return int(key)


class AssignmentOut(BaseModel):
    order_id: str
    primary_channel_id: str | None
    backup_channel_ids: list[str]
    cost_amount: str | None
    cost_currency: str | None
    on_time_probability: float | None
    reason: str
    policy_version: str
    cause: str
    assigned_at: datetime
    score: dict[str, Any]

    @classmethod
    def of(cls, record: AssignmentRecord) -> AssignmentOut:
        return cls(
            order_id=record.order_id,
            primary_channel_id=record.primary_channel_id,
            backup_channel_ids=list(record.backup_channel_ids),
            cost_amount=None if record.cost is None else str(record.cost.amount),
            cost_currency=None if record.cost is None else record.cost.currency,
            on_time_probability=record.on_time_probability,
            reason=record.reason,
            policy_version=record.policy_version,
            cause=record.cause,
            assigned_at=record.assigned_at,
            score=dict(record.score),
        )


class AlertOut(BaseModel):
    id: int
    tracking_number: str
    channel_id: str | None
    destination_country: str | None
    rule: str
    state: str
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str | None
    revised_eta: datetime | None
    promise_at_risk: bool
    detail: dict[str, Any]

    @classmethod
    def of(cls, alert: Alert) -> AlertOut:
        return cls(
            id=alert.id,
            tracking_number=alert.tracking_number,
            channel_id=alert.channel_id,
            destination_country=alert.destination_country,
            rule=alert.rule.value,
            state=alert.state.value,
            opened_at=alert.opened_at,
            acknowledged_at=alert.acknowledged_at,
            resolved_at=alert.resolved_at,
            resolution=None if alert.resolution is None else alert.resolution.value,
            revised_eta=alert.revised_eta,
            promise_at_risk=alert.promise_at_risk,
            detail=_plain(alert.detail),
        )


class SwitchOut(BaseModel):
    switch_id: int
    channel_id: str
    country: str | None
    backup_channel_id: str | None
    share: float
    kind: str
    reason: str
    actor: str
    started_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    trigger: dict[str, Any]

    @classmethod
    def of(cls, record: SwitchRecord) -> SwitchOut:
        return cls(
            switch_id=record.switch_id,
            channel_id=record.channel_id,
            country=record.country,
            backup_channel_id=record.backup_channel_id,
            share=record.share,
            kind=record.kind.value,
            reason=record.reason,
            actor=record.actor,
            started_at=record.started_at,
            ended_at=record.ended_at,
            ended_by=record.ended_by,
            trigger=_plain(dict(record.trigger)),
        )


class Problem(BaseModel):
    """RFC 9457 problem details; `errors` names each bad field and value."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list)


def _plain(document: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, str | int | float | bool) or value is None:
            return value
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return {str(k): plain(v) for k, v in document.items()}
