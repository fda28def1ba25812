"""The oracle knows each disruption from its start: it bounds every strategy from above."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest

from tests.seasons import a_season, catalogue, run_season, services
from tradelane.domain.errors import ValidationError
from tradelane.files.scenario_file import packaged_scenarios
from tradelane.simulation.forecast import served_at
from tradelane.simulation.model import simulate
from tradelane.simulation.oracle_plans import oracle_plans
from tradelane.simulation.report import summarize
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import (
    CarrierOutage,
    CustomsSlowdown,
    FlightCancellations,
    Scenario,
)
from tradelane.simulation.strategies import Strategy

SCALE = 0.02  # ~2,200 orders per season: the bound is checked on every scenario quickly
OTHERS = ("primary_only", "static_backup", "automated")


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, tzinfo=UTC)


def _unseen_season() -> Scenario:
    """Not packaged: other kinds, dates and severities than any shipped scenario."""
    scenario = a_season(
        "default",
        scale=SCALE,
        disruptions=[
            FlightCancellations(
                name="freighter groundings",
                air_type="freighter",
                start=_at(12),
                end=_at(19),
                severity=0.6,
            ),
            CarrierOutage(
                name="DHL strike", carrier="dhl", start=_at(27), end=_at(30), severity=0.9
            ),
            CustomsSlowdown(
                name="LAX slowdown", port="LAX", start=_at(20), end=_at(28), severity=0.5
            ),
        ],
    )
    return scenario.model_copy(update={"name": "freighters-and-dhl"})


def _season(name: str) -> Scenario:
    return _unseen_season() if name == "freighters-and-dhl" else a_season(name, scale=SCALE)


@cache
def _runs(name: str) -> dict[str, SeasonRun]:
    scenario = _season(name)
    return {s: run_season(scenario, s) for s in (*OTHERS, "oracle")}


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [*packaged_scenarios(), "freighters-and-dhl"],
)
def test_the_oracle_is_at_least_as_good_as_every_strategy_on_on_time_in_disruption(
    name: str,
) -> None:
    runs = _runs(name)
    oracle = summarize(runs["oracle"]).on_time_in_disruption
    for other in OTHERS:
        theirs = summarize(runs[other]).on_time_in_disruption
        assert (oracle is None) == (theirs is None), other
        if oracle is not None and theirs is not None:
            assert oracle >= theirs, f"{other}: {theirs:.4f} beats the oracle's {oracle:.4f}"


@pytest.mark.slow
def test_the_oracle_gains_on_a_season_whose_flights_are_cancelled() -> None:
    runs = _runs("default")
    oracle = summarize(runs["oracle"]).on_time_in_disruption
    primary = summarize(runs["primary_only"]).on_time_in_disruption
    assert oracle is not None and primary is not None
    assert oracle >= primary + 0.05


def test_without_a_disruption_the_oracle_only_moves_parcels_forecast_late_and_gains() -> None:
    scenario = a_season("calm-peak", scale=0.01)
    oracle, primary = run_season(scenario, "oracle"), run_season(scenario, "primary_only")
    assert summarize(oracle).on_time_rate >= summarize(primary).on_time_rate
    assert len(oracle.outcomes.moves.parcel) < 0.05 * len(oracle.outcomes)


@pytest.mark.slow
def test_while_flights_are_cancelled_the_oracle_moves_parcels_off_them_never_onto_them() -> None:
    run = _runs("default")["oracle"]
    moves, span = run.outcomes.moves, run.disruptions[0]
    hit = [run.channel_ids.index(c) for c in span.channel_ids]
    during = (moves.at_h >= span.start_h) & (moves.at_h < span.end_h)
    assert np.isin(moves.from_channel[during], hit).sum() > 0
    assert not np.isin(moves.to_channel[during], hit).any()


def test_a_parcel_is_served_at_the_first_moment_with_capacity_left_after_those_ahead() -> None:
    moments, capacity = np.array([10.0, 20.0, 30.0, 40.0]), np.array([2.0, 2.0, 0.0, 2.0])
    ready, ahead = np.array([0.0, 0.0, 0.0, 25.0, 0.0]), np.array([0, 1, 3, 0, 6])
    assert served_at(moments, capacity, 5.0, ready, ahead).tolist() == [10, 10, 20, 40, np.inf]


def test_capacity_before_now_serves_nobody_waiting_now() -> None:
    moments, capacity = np.array([10.0, 20.0]), np.array([5.0, 1.0])
    assert served_at(moments, capacity, 15.0, np.array([0.0, 0.0]), np.array([0, 1])).tolist() == [
        20,
        np.inf,
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["default", "ports-and-customs"])
def test_the_oracle_keeps_the_better_of_its_plans(name: str) -> None:
    scenario = _season(name)
    plans = [
        summarize(simulate(scenario, catalogue(), plan, services(scenario)[0]))
        for plan in oracle_plans(Strategy.named("oracle"))
    ]
    kept = summarize(_runs(name)["oracle"]).on_time_in_disruption
    figures = [p.on_time_in_disruption for p in plans]
    assert None not in figures and kept == max(f for f in figures if f is not None)


def test_only_the_oracle_has_plans() -> None:
    with pytest.raises(ValidationError, match="strategy"):
        oracle_plans(Strategy.named("automated"))
