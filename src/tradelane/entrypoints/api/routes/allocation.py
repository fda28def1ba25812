"""Allocation ratios of the caller's tenant: GET the stored quotas per lane, POST (Admin) to
solve the allocation (LP over the catalogue and the lane forecast) and store it when optimal.

The horizon a request may solve is capped (MAX_HORIZON_DAYS) so one solve stays a request's
work; longer horizons are `tradelane allocate`'s."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.geo import country_code
from tradelane.entrypoints.api.deps import Admin, Reader
from tradelane.entrypoints.api.schemas import FIRST_YEAR, LAST_YEAR
from tradelane.optimization.lane_costs import AllocationLimits
from tradelane.services.allocate import AllocateCommand, AllocationReport

__all__ = ["MAX_HORIZON_DAYS", "router"]

router = APIRouter(prefix="/allocation", tags=["allocation"])
MAX_HORIZON_DAYS = 31
DEFAULTS = AllocationLimits()
Share = Annotated[float, Field(ge=0, le=1)]
Country = Annotated[str, Field(min_length=2, max_length=3)]
FirstDay = Annotated[date, Field(ge=date(FIRST_YEAR, 1, 1), le=date(LAST_YEAR, 12, 1))]


class ChannelShare(BaseModel):
    channel_id: str
    share: float


class LaneQuota(BaseModel):
    country: str
    channels: list[ChannelShare]  # largest share first


class QuotasOut(BaseModel):
    """Each lane's share of its orders per channel (empty before the first allocation)."""

    lanes: list[LaneQuota]


class WarmBackup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: Country
    channel_id: str = Field(min_length=1, max_length=64)


class AllocateIn(BaseModel):
    """What to solve: the horizon, the forecast (stored orders of `history_days`, or a flat
    `volume_per_day` for every lane, `countries` naming lanes without history) and limits."""

    model_config = ConfigDict(extra="forbid")

    start: FirstDay | None = Field(default=None, description="First horizon day; default today.")
    days: int = Field(default=7, ge=1, le=MAX_HORIZON_DAYS)
    history_days: int = Field(default=28, ge=1, le=366)
    volume_per_day: float | None = Field(default=None, ge=0, le=1_000_000)
    countries: list[Country] = Field(default_factory=list, max_length=300)
    min_on_time: Share = DEFAULTS.min_on_time
    channel_cap: Share = DEFAULTS.channel_cap
    carrier_cap: Share = DEFAULTS.carrier_cap
    warm_share: Share = DEFAULTS.warm_share
    warm: list[WarmBackup] = Field(default_factory=list, max_length=1_000)
    store: bool = Field(default=True, description="Store the ratios as selection quotas.")


class BindingOut(BaseModel):
    family: str  # capacity, on_time, channel_cap, carrier_cap, warm_backup, unplaced
    day: date
    lane: str | None
    subject: str | None
    slack_parcels: float
    description: str


class AllocationOut(BaseModel):
    """optimal: the ratios (stored unless `store` was false); infeasible: nothing stored, and
    the constraints that must give way."""

    status: str
    stored: bool
    cost: float | None  # shipping + expected late parcels x penalty, settlement currency
    lanes: list[LaneQuota]
    binding: list[BindingOut]


def _lanes(shares: dict[tuple[str, str], float]) -> list[LaneQuota]:
    by_lane: dict[str, list[ChannelShare]] = defaultdict(list)
    for (country, channel), share in shares.items():
        if share > 0:
            by_lane[country].append(ChannelShare(channel_id=channel, share=share))
    return [
        LaneQuota(country=country, channels=sorted(found, key=lambda c: (-c.share, c.channel_id)))
        for country, found in sorted(by_lane.items())
    ]


def _out(report: AllocationReport) -> AllocationOut:
    allocation = report.allocation
    return AllocationOut(
        status=allocation.status,
        stored=report.stored,
        cost=allocation.cost if allocation.optimal else None,
        lanes=_lanes(report.shares),
        binding=[
            BindingOut(
                family=b.family,
                day=b.day,
                lane=b.lane,
                subject=b.subject,
                slack_parcels=b.slack_parcels,
                description=b.describe(),
            )
            for b in allocation.binding
        ],
    )


@router.get("", response_model=QuotasOut)
def get_quotas(app: Reader) -> QuotasOut:
    """The tenant's stored quotas: the latest optimal allocation."""
    return QuotasOut(lanes=_lanes(app.allocation_quotas()))


@router.post("", response_model=AllocationOut)
def solve(body: AllocateIn, app: Admin) -> AllocationOut:
    """Solve each channel's share of each lane's forecast volume; store it when optimal."""
    command = AllocateCommand(
        start=body.start or app.clock.now().date(),
        days=body.days,
        history_days=body.history_days,
        volume_per_day=body.volume_per_day,
        countries=tuple(
            country_code(c, field=f"countries.{i}") for i, c in enumerate(body.countries)
        ),
        limits=AllocationLimits(
            body.min_on_time, body.channel_cap, body.carrier_cap, body.warm_share
        ),
        warm=[
            (country_code(w.country, field=f"warm.{i}.country"), w.channel_id)
            for i, w in enumerate(body.warm)
        ],
        store=body.store,
    )
    return _out(app.allocate(command))
