"""Alerts of the caller's parcels: list (newest first, by cursor), acknowledge, resolve."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tradelane.bootstrap import Application
from tradelane.domain.errors import NotFound
from tradelane.entrypoints.api.deps import Operator, Reader
from tradelane.entrypoints.api.schemas import (
    MAX_PAGE,
    AlertOut,
    Page,
    RowId,
    int_cursor,
    next_cursor,
)
from tradelane.monitoring.alerts import AlertState

__all__ = ["router"]

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("", response_model=Page[AlertOut])
def list_alerts(
    app: Reader,
    state: Annotated[
        list[AlertState] | None, Query(description="Default: open, acknowledged.")
    ] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> Page[AlertOut]:
    """The tenant's alerts newest first; `state` repeats (open, acknowledged, resolved)."""
    wanted = state or [AlertState.OPEN, AlertState.ACKNOWLEDGED]
    page = app.alert_page(before=int_cursor(cursor), limit=limit, states=wanted)
    return Page(
        items=[AlertOut.of(a) for a in page.items], next_cursor=next_cursor(page.next_after)
    )


def _owned(app: Application, alert_id: int) -> None:
    if not app.owns_alert(alert_id):
        raise NotFound("alert", alert_id)


@router.get("/{alert_id}", response_model=AlertOut)
def get_alert(alert_id: RowId, app: Reader) -> AlertOut:
    return AlertOut.of(app.alert(alert_id))


@router.post("/{alert_id}/acknowledge", response_model=AlertOut)
def acknowledge(alert_id: RowId, app: Operator) -> AlertOut:
    """Someone is on it: open -> acknowledged (409 when it is not open)."""
    _owned(app, alert_id)
    return AlertOut.of(app.acknowledge_alert(alert_id))


@router.post("/{alert_id}/resolve", response_model=AlertOut)
def resolve(alert_id: RowId, app: Operator) -> AlertOut:
    """Closed by hand; the next sweep opens a new alert if the parcel still breaches."""
    _owned(app, alert_id)
    return AlertOut.of(app.resolve_alert(alert_id))
