"""A/B tests of channel mixes of the caller's tenant: list (by cursor), create (Admin: it
changes how orders are routed), read with its results and statistics, stop or rebalance
(Operator). The start time is the server's clock; the tenant is the key's."""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

import pydantic
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from tradelane.domain.errors import InputErrors
from tradelane.domain.geo import country_code
from tradelane.entrypoints.api.deps import Admin, Operator, Reader
from tradelane.entrypoints.api.schemas import (
    MAX_PAGE,
    Moment,
    Page,
    decode_cursor,
    encode_cursor,
)
from tradelane.files.errors import from_pydantic
from tradelane.optimization.experiment_design import Experiment, ExperimentMethod
from tradelane.optimization.experiment_results import ExperimentResults, planned_per_arm

__all__ = ["ExperimentOut", "router"]

router = APIRouter(prefix="/experiments", tags=["experiments"])
ExperimentId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="An experiment's id.")
]


class ArmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40)
    channels: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=20, description="The mix, in order of preference."
    )


class ExperimentIn(BaseModel):
    """A new experiment, starting now; the first arm is the control."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    arms: list[ArmIn] = Field(min_length=2, max_length=8)
    countries: list[Annotated[str, Field(min_length=2, max_length=3)]] = Field(
        default_factory=list, max_length=300, description="Lanes in scope (empty: all)."
    )
    method: ExperimentMethod = ExperimentMethod.FIXED
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    power: float = Field(default=0.8, gt=0.5, lt=1)
    baseline_on_time: float = Field(default=0.85, gt=0, lt=1)
    min_effect: float = Field(default=0.05, gt=0, lt=1)
    shares: list[Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=list, max_length=8, description="Start split per arm (default equal)."
    )


class StopIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="stopped by hand", min_length=1, max_length=500)


class ArmOut(BaseModel):
    name: str
    channels: list[str]


class ExperimentOut(BaseModel):
    id: str
    method: str
    state: str  # running or stopped
    arms: list[ArmOut]
    countries: list[str]
    alpha: float
    power: float
    baseline_on_time: float
    min_effect: float
    planned_per_arm: int
    current_shares: list[float]
    started_at: datetime
    stopped_at: datetime | None
    stop_reason: str | None

    @classmethod
    def of(cls, e: Experiment) -> ExperimentOut:
        current = e.shares[-1].shares if e.shares else e.shares_at(e.started_at)
        return cls(
            id=e.id,
            method=e.method.value,
            state="running" if e.stopped_at is None else "stopped",
            arms=[ArmOut(name=a.name, channels=list(a.channels)) for a in e.arms],
            countries=list(e.countries),
            alpha=e.alpha,
            power=e.power,
            baseline_on_time=e.baseline_on_time,
            min_effect=e.min_effect,
            planned_per_arm=planned_per_arm(e),
            current_shares=list(current),
            started_at=e.started_at,
            stopped_at=e.stopped_at,
            stop_reason=e.stop_reason,
        )


class ArmResultOut(BaseModel):
    """An arm's outcomes: on-time rate with its 95% interval, mean cost (settlement
    currency) and transit days; None where no shipment says yet."""

    name: str
    orders: int
    on_time_rate: float | None
    on_time_low: float | None
    on_time_high: float | None
    mean_cost: float | None
    mean_transit_days: float | None


class ComparisonOut(BaseModel):
    """An arm against the control on one metric (on_time, cost, transit_days)."""

    arm: str
    metric: str
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    significant: bool


class ResultsOut(BaseModel):
    arms: list[ArmResultOut]
    comparisons: list[ComparisonOut]
    planned_per_arm: int
    decidable: bool  # fixed horizon: every arm reached the plan; otherwise always
    next_shares: list[float] | None  # Thompson mode: the split for new orders


class ExperimentDetail(BaseModel):
    experiment: ExperimentOut
    results: ResultsOut
    as_of: datetime


def _finite(document: dict[str, object]) -> dict[str, object]:
    """NaN or infinite figures (too few outcomes) as None: JSON has no such numbers."""
    return {
        k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in document.items()
    }


def _results(results: ExperimentResults) -> ResultsOut:
    return ResultsOut(
        arms=[ArmResultOut.model_validate(_finite(asdict(a))) for a in results.arms],
        comparisons=[ComparisonOut.model_validate(_finite(asdict(c))) for c in results.comparisons],
        planned_per_arm=results.planned_per_arm,
        decidable=results.decidable,
        next_shares=None if results.next_shares is None else list(results.next_shares),
    )


def _experiment(body: ExperimentIn, started_at: datetime) -> Experiment:
    document = body.model_dump(exclude={"shares"}) | {"started_at": started_at}
    document["countries"] = [
        country_code(c, field=f"countries.{i}") for i, c in enumerate(body.countries)
    ]
    try:
        return Experiment.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors("experiment", from_pydantic(exc, where="body")) from None


@router.get("", response_model=Page[ExperimentOut])
def list_experiments(
    app: Reader,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> Page[ExperimentOut]:
    """The tenant's experiments in id order, running and stopped."""
    after = decode_cursor(cursor)
    found = sorted(
        (e for e in app.experiments() if after is None or e.id > after), key=lambda e: e.id
    )
    page = found[:limit]
    more = len(found) > limit
    return Page(
        items=[ExperimentOut.of(e) for e in page],
        next_cursor=encode_cursor(page[-1].id) if more else None,
    )


@router.post("", response_model=ExperimentOut, status_code=201)
def create(body: ExperimentIn, app: Admin) -> ExperimentOut:
    """Start an experiment now (409 when its id is taken); arms' channels must be in the
    active catalogue."""
    experiment = _experiment(body, app.clock.now())
    return ExperimentOut.of(app.create_experiment(experiment, shares=body.shares))


@router.get("/{experiment_id}", response_model=ExperimentDetail)
def get_experiment(
    experiment_id: ExperimentId, app: Reader, at: Moment | None = None
) -> ExperimentDetail:
    """The experiment with its results per arm and each arm against the control, as of
    `at` (default now)."""
    as_of = at or app.clock.now()
    experiment, results = app.experiment_status(experiment_id, as_of=as_of)
    return ExperimentDetail(
        experiment=ExperimentOut.of(experiment), results=_results(results), as_of=as_of
    )


@router.post("/{experiment_id}/rebalance", response_model=ExperimentDetail)
def rebalance(experiment_id: ExperimentId, app: Operator) -> ExperimentDetail:
    """Thompson mode, while it runs: store the Thompson split for orders created from now
    on (other methods: the results, nothing changed)."""
    as_of = app.clock.now()
    experiment, results = app.experiment_status(experiment_id, as_of=as_of, rebalance=True)
    return ExperimentDetail(
        experiment=ExperimentOut.of(experiment), results=_results(results), as_of=as_of
    )


@router.post("/{experiment_id}/stop", response_model=ExperimentOut)
def stop(experiment_id: ExperimentId, body: StopIn, app: Operator) -> ExperimentOut:
    """Stop now: later orders are out of it, its results stay readable (409 when stopped)."""
    return ExperimentOut.of(app.stop_experiment(experiment_id, reason=body.reason))
