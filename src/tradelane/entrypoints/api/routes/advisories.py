"""Advisories of the caller's tenant: announced disruptions (a port's queue report, a carrier's
service alert, a customs notice) the next switching evaluation acts on. Record and end them
(Operator), list them (any key). The tenant is the key's; an unknown id is 404, ending an ended
one or reusing an id 409, a scope the catalogue does not have 422."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pydantic
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict

from tradelane.domain.advisories import (
    ADVISORY_ID,
    ADVISORY_ID_MAX,
    Advisory,
    AdvisoryKind,
    CarrierScope,
    ChannelScope,
    Note,
    PortScope,
    Severity,
    Source,
)
from tradelane.domain.catalog import AirType
from tradelane.domain.errors import InputErrors
from tradelane.entrypoints.api.deps import Operator, Reader
from tradelane.entrypoints.api.schemas import (
    MAX_PAGE,
    Moment,
    Page,
    decode_cursor,
    encode_cursor,
)
from tradelane.files.errors import from_pydantic
from tradelane.services.advisories import new_advisory_id

__all__ = ["AdvisoryIn", "AdvisoryOut", "router"]

router = APIRouter(prefix="/advisories", tags=["advisories"])
ID_PATTERN = r"^[A-Za-z0-9._:-]+$"
AdvisoryId = Annotated[
    str,
    Path(min_length=1, max_length=ADVISORY_ID_MAX, pattern=ID_PATTERN, description="Its id."),
]


class AdvisoryIn(BaseModel):
    """A new advisory: `kind` names which one scope is set (port for port_congestion and
    customs_slowdown, carrier, air_type or channel); severity >= 0.5 switches fully."""

    model_config = ConfigDict(extra="forbid")

    id: ADVISORY_ID | None = None
    kind: AdvisoryKind
    port: PortScope = None
    carrier: CarrierScope = None
    air_type: AirType | None = None
    channel: ChannelScope = None
    severity: Severity
    starts_at: Moment
    ends_at: Moment | None = None
    source: Source
    note: Note = ""


class AdvisoryOut(BaseModel):
    id: str
    kind: str
    port: str | None
    carrier: str | None
    air_type: str | None
    channel: str | None
    severity: float
    starts_at: datetime
    ends_at: datetime | None
    source: str
    note: str
    active: bool  # in force at the time of the answer

    @classmethod
    def of(cls, a: Advisory, *, now: datetime) -> AdvisoryOut:
        document = a.model_dump(mode="json") | {"active": a.active(now)}
        return cls.model_validate(document | {"starts_at": a.starts_at, "ends_at": a.ends_at})


def _advisory(body: AdvisoryIn) -> Advisory:
    document = body.model_dump() | {"id": body.id or new_advisory_id()}
    try:
        return Advisory.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors("advisory", from_pydantic(exc, where="body")) from None


@router.get("", response_model=Page[AdvisoryOut])
def list_advisories(
    app: Reader,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    active_only: bool = False,
) -> Page[AdvisoryOut]:
    """The tenant's advisories in id order (`active_only`: those in force now)."""
    now, after = app.clock.now(), decode_cursor(cursor)
    found = sorted(
        (a for a in app.advisories(active_at=now if active_only else None)),
        key=lambda a: a.id,
    )
    page = [a for a in found if after is None or a.id > after][: limit + 1]
    return Page(
        items=[AdvisoryOut.of(a, now=now) for a in page[:limit]],
        next_cursor=encode_cursor(page[limit - 1].id) if len(page) > limit else None,
    )


@router.post("", response_model=AdvisoryOut, status_code=201)
def record(body: AdvisoryIn, app: Operator) -> AdvisoryOut:
    """Record an advisory; the next switching evaluation switches the lanes it hits."""
    return AdvisoryOut.of(app.record_advisory(_advisory(body)), now=app.clock.now())


@router.post("/{advisory_id}/end", response_model=AdvisoryOut)
def end(advisory_id: AdvisoryId, app: Operator) -> AdvisoryOut:
    """End it now: the lanes it hit recover through the switching recovery hold."""
    now = app.clock.now()
    return AdvisoryOut.of(app.end_advisory(advisory_id, now=now), now=now)
