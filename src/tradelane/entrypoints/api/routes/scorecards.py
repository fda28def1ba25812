"""GET /scorecards: the figures of `tradelane scorecards`, one item per group."""

from __future__ import annotations

from typing import Annotated, Any, get_type_hints

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, create_model

from tradelane.entrypoints.api.deps import Reader
from tradelane.optimization.scorecards import FIGURES, Scorecard, ScoreKey
from tradelane.services.scorecards import PeriodUnit, ScoreSource

router = APIRouter(tags=["scorecards"])


def _figure_fields() -> dict[str, Any]:
    """Each scorecard figure as a required field of the type the core Scorecard gives it."""
    hints = get_type_hints(Scorecard)
    return {name: (hints[name], ...) for name in FIGURES}


ScorecardOut = create_model(
    "ScorecardOut",
    __config__=ConfigDict(frozen=True),
    __doc__="""Rates are shares (0-1); costs in `currency` (the settlement currency); None where
    the source does not say.""",
    channel=(str | None, None),
    lane=(str | None, None),
    period=(str | None, None),
    currency=(str, ...),
    **_figure_fields(),
)


@router.get("/scorecards", response_model=list[ScorecardOut])
def get_scorecards(
    system: Reader,
    by: Annotated[list[ScoreKey] | None, Query()] = None,
    source: ScoreSource = ScoreSource.ALL,
    at: AwareDatetime | None = None,
    period: PeriodUnit = PeriodUnit.MONTH,
) -> list[BaseModel]:
    """Scorecards grouped by `by` (repeatable: channel, lane, period; default all three)."""
    cards = system.scorecards(by or list(ScoreKey), as_of=at, source=source, period=period)
    return [_out(card, system.fx.settlement) for card in cards]


def _out(card: Scorecard, currency: str) -> BaseModel:
    figures = {name: getattr(card, name) for name in FIGURES}
    return ScorecardOut(**card.key, **figures, currency=currency)
