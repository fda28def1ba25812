"""GET /scorecards: the figures of `tradelane scorecards`, one item per group."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict

from tradelane.entrypoints.api.deps import System
from tradelane.optimization.scorecards import Scorecard, ScoreKey
from tradelane.services.scorecards import ScoreSource, channel_scorecards

router = APIRouter(tags=["scorecards"])


class ScorecardOut(BaseModel):
    """Rates are shares (0-1); costs in `currency` (the settlement currency); None where the
    source does not say."""

    model_config = ConfigDict(frozen=True)

    channel: str | None = None
    lane: str | None = None
    period: str | None = None
    shipments: int
    on_time_known: int
    on_time_rate: float | None
    on_time_low: float | None
    on_time_high: float | None
    transit_p50_days: float | None
    transit_p90_days: float | None
    cost_per_parcel: float | None
    cost_per_kg: float | None
    currency: str
    exception_rate: float
    loss_rate: float
    first_scan_hours_p50: float | None
    located_event_share: float | None
    eta_error_days: float | None


@router.get("/scorecards", response_model=list[ScorecardOut])
def get_scorecards(
    system: System,
    by: Annotated[list[ScoreKey] | None, Query()] = None,
    source: ScoreSource = ScoreSource.ALL,
    at: AwareDatetime | None = None,
) -> list[ScorecardOut]:
    """Scorecards grouped by `by` (repeatable: channel, lane, period; default all three)."""
    keys = [key for key in ScoreKey if key in (by or list(ScoreKey))]
    cards = channel_scorecards(
        uow=system.uow(),
        by=keys,
        fx=system.fx,
        as_of=at or system.clock.now(),
        source=source,
    )
    return [_out(card, system.fx.settlement) for card in cards]


def _out(card: Scorecard, currency: str) -> ScorecardOut:
    figures = {
        name: getattr(card, name) for name in ScorecardOut.model_fields if hasattr(card, name)
    }
    return ScorecardOut(**card.key, **figures, currency=currency)
