"""POST /monitor/sweep and /monitor/tick (system jobs, admin), GET /lanes/health and
GET /lanes/states: what the deviation sweep found and how each lane is doing."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from tradelane.entrypoints.api.deps import Admin, Reader
from tradelane.entrypoints.api.schemas import Moment
from tradelane.services.sweep import SweepReport

__all__ = ["router"]

router = APIRouter(tags=["monitoring"])


class MomentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: Moment | None = None


class SweepOut(BaseModel):
    at: datetime
    opened: dict[str, int]
    resolved: dict[str, int]

    @classmethod
    def of(cls, report: SweepReport) -> SweepOut:
        return cls(
            at=report.at,
            opened={rule.value: n for rule, n in report.opened.items()},
            resolved={rule.value: n for rule, n in report.resolved.items()},
        )


class TickOut(BaseModel):
    sweep: SweepOut
    lanes_evaluated: int
    switches_opened: int
    switches_closed: int
    delivered: int


class LaneHealthOut(BaseModel):
    channel_id: str
    country: str
    figures: dict[str, float | int]


class LaneStateOut(BaseModel):
    channel_id: str
    country: str
    state: str
    since: datetime | None


@router.post("/monitor/sweep", response_model=SweepOut)
def post_sweep(request: MomentRequest, app: Admin) -> SweepOut:
    """Evaluate every active shipment once, like `tradelane monitor sweep`."""
    return SweepOut.of(app.sweep(now=request.at))


@router.post("/monitor/tick", response_model=TickOut)
def post_tick(request: MomentRequest, app: Admin) -> TickOut:
    """The scheduled job once: sweep, evaluate switching, deliver the outbox."""
    report = app.tick(now=request.at)
    evaluation = report.evaluation
    return TickOut(
        sweep=SweepOut.of(report.sweep),
        lanes_evaluated=0 if evaluation is None else evaluation.lanes,
        switches_opened=0 if evaluation is None else len(evaluation.opened),
        switches_closed=0 if evaluation is None else len(evaluation.closed),
        delivered=0 if report.delivery is None else report.delivery.delivered,
    )


@router.get("/lanes/health", response_model=list[LaneHealthOut])
def get_lane_health(
    app: Reader, at: Moment | None = None, channel: str | None = None
) -> list[LaneHealthOut]:
    """Lanes with parcels in flight or a backlog (of one channel if given)."""
    lanes = app.lane_health(now=at)
    return [
        LaneHealthOut(channel_id=channel_id, country=country, figures=h.as_record())
        for (channel_id, country), h in sorted(lanes.items())
        if (channel is None or channel_id == channel) and (h.in_flight or h.backlog_parcels)
    ]


@router.get("/lanes/states", response_model=list[LaneStateOut])
def get_lane_states(app: Reader) -> list[LaneStateOut]:
    """Every lane's health state as the last switching evaluation left it."""
    statuses = app.lane_states()
    return [
        LaneStateOut(channel_id=c, country=k, state=s.state.value, since=s.since)
        for (c, k), s in sorted(statuses.items())
    ]
