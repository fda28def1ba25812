"""Small simulated seasons for tests: packaged scenarios scaled down, run with fakes."""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.fakes import StuckParcelMonitor, StuckParcelSwitcher, StuckParcelTracker
from tradelane.domain.catalog import Catalogue
from tradelane.files.scenario_file import read_scenario
from tradelane.simulation.model import Services, simulate
from tradelane.simulation.oracle_plans import run_oracle
from tradelane.simulation.routing import CheapestEligibleRouter
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.strategies import Strategy, StrategyKind

SCALE = 0.1  # a tenth of the packaged demand and capacity: ~11,000 orders


def a_season(name: str = "default", *, scale: float = SCALE, **updates: Any) -> Scenario:
    scenario = read_scenario(name)[0].scaled(scale)
    return scenario.model_copy(update=updates) if updates else scenario


@cache
def catalogue() -> Catalogue:
    return read_scenario("default")[1]


def services(scenario: Scenario) -> tuple[Services, StuckParcelTracker]:
    """The baseline router and the stuck-parcel fakes sharing one tracker."""
    tracker = StuckParcelTracker()
    router = CheapestEligibleRouter(catalogue(), stock=scenario.stocked_skus())
    return Services(
        router, tracker, StuckParcelMonitor(tracker), StuckParcelSwitcher(tracker)
    ), tracker


def run_season(
    scenario: Scenario, strategy: str = "primary_only", *, seed: int | None = None
) -> SeasonRun:
    """The oracle's run is the better of its plans, each with fresh fakes."""

    def run(plan: Strategy) -> SeasonRun:
        return simulate(scenario, catalogue(), plan, services(scenario)[0], seed=seed)

    chosen = Strategy.named(strategy)
    return run_oracle(chosen, run) if chosen.kind == StrategyKind.ORACLE else run(chosen)


@cache
def default_runs() -> dict[str, SeasonRun]:
    """The default scenario at SCALE under the three available strategies (computed once)."""
    scenario = a_season()
    return {s: run_season(scenario, s) for s in ("primary_only", "static_backup", "automated")}
