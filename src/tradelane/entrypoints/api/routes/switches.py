"""Switches of the caller's tenant: the audit trail, force or pin traffic off a channel,
release a switch. Rule-made switches belong to the tenant whose evaluation opened them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from tradelane.bootstrap import Application
from tradelane.domain.access import Principal
from tradelane.domain.errors import NotFound
from tradelane.entrypoints.api.deps import Caller, Operator, Reader
from tradelane.entrypoints.api.schemas import (
    MAX_PAGE,
    Page,
    RowId,
    SwitchOut,
    int_cursor,
    next_cursor,
)
from tradelane.services.switch_overrides import ManualSwitch
from tradelane.switching.states import SwitchKind

__all__ = ["router"]

router = APIRouter(prefix="/switches", tags=["switches"])


class SwitchRequest(BaseModel):
    """Move `share` of a channel's traffic (one lane, or all) to a backup. `pinned` holds it
    until released; otherwise it returns after the recovery hold. The actor is the key."""

    model_config = ConfigDict(extra="forbid")

    channel_id: str = Field(min_length=1, max_length=64)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    share: float = Field(default=1.0, ge=0.01, le=1.0)
    backup_channel_id: str | None = Field(default=None, min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)
    pinned: bool = False


class ReleaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


def _actor(caller: Principal) -> str:
    return f"key:{caller.key_id}"


@router.get("", response_model=Page[SwitchOut])
def list_switches(
    app: Reader,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    open_only: bool = False,
) -> Page[SwitchOut]:
    """The tenant's switches newest first, open and ended (`open_only` for active ones)."""
    page = app.switch_page(before=int_cursor(cursor), limit=limit, open_only=open_only)
    return Page(
        items=[SwitchOut.of(r) for r in page.items], next_cursor=next_cursor(page.next_after)
    )


def _owned(app: Application, switch_id: int) -> None:
    if not app.owns_switch(switch_id):
        raise NotFound("switch", switch_id)


@router.get("/{switch_id}", response_model=SwitchOut)
def get_switch(switch_id: RowId, app: Reader) -> SwitchOut:
    return SwitchOut.of(app.switch(switch_id))


@router.post("", response_model=SwitchOut, status_code=201)
def open_switch(request: SwitchRequest, app: Operator, caller: Caller) -> SwitchOut:
    """Force (or pin) traffic off a channel now; unshipped orders move to backups."""
    manual = ManualSwitch(
        channel_id=request.channel_id,
        country=request.country,
        share=request.share,
        backup_channel_id=request.backup_channel_id,
        reason=request.reason,
        actor=_actor(caller),
        kind=SwitchKind.PINNED if request.pinned else SwitchKind.FORCED,
    )
    return SwitchOut.of(app.force_switch(manual))


@router.post("/{switch_id}/release", response_model=SwitchOut)
def release(switch_id: RowId, request: ReleaseRequest, app: Operator, caller: Caller) -> SwitchOut:
    """End an open switch now: traffic returns to the channel (409 when already ended)."""
    _owned(app, switch_id)
    return SwitchOut.of(app.release_switch(switch_id, actor=_actor(caller), reason=request.reason))
