"""A/B tests of channel mixes: create (with its plan), status (results with intervals), stop.

    create ─▶ Experiment with the start split ─▶ stored
    status ─▶ stored shipments of the experiment's orders (arm by hash, lane in scope)
           ─▶ per arm: outcomes in order-creation order (scorecards' definitions of on time,
              cost and transit) ─▶ experiment_results
           ─▶ Thompson mode with `rebalance`: the new split is stored from `as_of` on
    stop   ─▶ stopped_at: later orders are out of the experiment; results stay readable

Results are intention-to-treat: an order counts in its arm whatever channel it finally took
(assignment decides it on its arm's mix, services/arm_assignment.py, but falls back to every
channel when the mix cannot carry it).
"""

from __future__ import annotations

from datetime import datetime

from tradelane.domain.errors import Conflict
from tradelane.optimization.experiment_design import Experiment, ExperimentMethod, ShareChange
from tradelane.optimization.experiment_results import (
    ArmOutcomes,
    ExperimentResults,
    experiment_results,
)
from tradelane.selection.conditions import FxTable
from tradelane.services.scorecards import shipment_outcome
from tradelane.store.scorecard_rows import shipment_score_rows
from tradelane.store.uow import UnitOfWork

__all__ = ["create_experiment", "experiment_status", "list_experiments", "stop_experiment"]


def create_experiment(
    experiment: Experiment, *, uow: UnitOfWork, now: datetime, shares: tuple[float, ...] = ()
) -> Experiment:
    """Store `experiment` with its start split (equal shares unless given); Conflict when
    its id is taken."""
    split = shares or tuple(1 / len(experiment.arms) for _ in experiment.arms)
    start = ShareChange(at=experiment.started_at, shares=split)
    stored = Experiment.model_validate(experiment.model_dump() | {"shares": (start,)})
    with uow:
        uow.experiments.add(stored, now=now)
        uow.commit()
    return stored


def experiment_status(
    experiment_id: str,
    *,
    uow: UnitOfWork,
    fx: FxTable,
    as_of: datetime,
    rebalance: bool = False,
) -> tuple[Experiment, ExperimentResults]:
    """The experiment and its results as of `as_of`. With `rebalance` in Thompson mode (and
    while it runs), the Thompson split is stored for orders created from `as_of` on."""
    with uow:
        experiment = uow.experiments.get(experiment_id)
        outcomes = _arm_outcomes(experiment, uow, fx, as_of)
        results = experiment_results(experiment, outcomes)
        if (
            rebalance
            and experiment.method is ExperimentMethod.THOMPSON
            and experiment.stopped_at is None
            and results.next_shares is not None
        ):
            change = ShareChange(at=as_of, shares=results.next_shares)
            experiment = experiment.model_copy(update={"shares": (*experiment.shares, change)})
            uow.experiments.save(Experiment.model_validate(experiment.model_dump()))
            uow.commit()
    return experiment, results


def stop_experiment(
    experiment_id: str, *, uow: UnitOfWork, now: datetime, reason: str
) -> Experiment:
    """Stop a running experiment at `now`; Conflict when it was already stopped."""
    with uow:
        experiment = uow.experiments.get(experiment_id)
        if experiment.stopped_at is not None:
            raise Conflict(f"experiment {experiment_id!r} was stopped at {experiment.stopped_at}")
        stopped = Experiment.model_validate(
            experiment.model_dump() | {"stopped_at": now, "stop_reason": reason}
        )
        uow.experiments.save(stopped)
        uow.commit()
    return stopped


def list_experiments(*, uow: UnitOfWork) -> list[Experiment]:
    with uow:
        return uow.experiments.all()


def _arm_outcomes(
    experiment: Experiment, uow: UnitOfWork, fx: FxTable, as_of: datetime
) -> list[ArmOutcomes]:
    ordered = []
    for row in shipment_score_rows(uow.connection):
        if row.order_id is None or row.order_created_at is None:
            continue
        if not experiment.in_scope(row.country):
            continue
        arm = experiment.arm_of(row.order_id, row.order_created_at)
        if arm is not None:
            ordered.append((row.order_created_at, row.order_id, arm, row))
    ordered.sort(key=lambda item: (item[0], item[1]))
    arms = [ArmOutcomes() for _ in experiment.arms]
    for _, _, arm, row in ordered:
        outcome = shipment_outcome(row, fx, as_of)
        if outcome.on_time is not None:
            arms[arm].on_time.append(outcome.on_time)
        if outcome.cost is not None:
            arms[arm].cost.append(outcome.cost)
        if outcome.transit_days is not None:
            arms[arm].transit_days.append(outcome.transit_days)
    return arms
