"""The oracle's figure: the better in hindsight of the plans a router that knows every
disruption from its start can follow.

    forecast plan  new and waiting parcels move where the forecast says they miss their
                   promise or are delayed by a known disruption (oracle.py)
    lanes plan     the same, and every lane a disruption in force hits is switched fully to
                   backups no disruption in force touches (the desk's advisory move, without
                   its lags: a forecast misses what a whole-lane move saves on some lanes)

Knowing the season, the oracle can follow whichever plan ends better, so it keeps the run
with the higher on-time rate in disruption (overall without one; ties: the forecast plan).
Neither plan alone bounds every strategy on every season (flight cancellations: moving every
order off the hit lanes fills the backups; a port congestion: the forecast's margins keep
parcels that a whole-lane move saves); the better of the two does on every season tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tradelane.domain.errors import ValidationError
from tradelane.simulation.report import summarize
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.strategies import Strategy, StrategyKind

__all__ = ["oracle_plans", "run_oracle"]


def oracle_plans(strategy: Strategy) -> tuple[Strategy, Strategy]:
    """The oracle's plans: forecast moves alone, and with the hit lanes switched."""
    if strategy.kind != StrategyKind.ORACLE:
        raise ValidationError("only the oracle has plans", field="strategy", value=strategy.kind)
    return replace(strategy, switches_hit_lanes=False), replace(strategy, switches_hit_lanes=True)


def run_oracle(strategy: Strategy, run: Callable[[Strategy], SeasonRun]) -> SeasonRun:
    """Run each of the oracle's plans with `run` (a fresh store each) and keep the better."""
    runs = [run(plan) for plan in oracle_plans(strategy)]
    return max(runs, key=_score)  # max keeps the first of equals: the forecast plan


def _score(run: SeasonRun) -> float:
    summary = summarize(run)
    if summary.on_time_in_disruption is not None:
        return summary.on_time_in_disruption
    return summary.on_time_rate
