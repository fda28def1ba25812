"""Experiments over the store: arms by hash of the order id, results from stored shipments,
a planted on-time effect found, stop and Thompson rebalancing recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import Engine

from tests.builders import an_order
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.domain.errors import Conflict
from tradelane.optimization.experiment_arms import arm_of
from tradelane.optimization.experiment_design import Arm, Experiment, ExperimentMethod
from tradelane.optimization.experiment_results import planned_per_arm
from tradelane.selection.conditions import FxTable
from tradelane.services.experiments import create_experiment, experiment_status, stop_experiment
from tradelane.store.uow import UnitOfWork

START = datetime(2026, 12, 1, tzinfo=UTC)
AS_OF = START + timedelta(days=40)
FX = FxTable({"USD": Decimal(1)}, "USD")
ON_TIME = {0: 0.75, 1: 0.92}  # planted: the test arm keeps more promises


def an_experiment(method: ExperimentMethod = ExperimentMethod.FIXED) -> Experiment:
    return Experiment(
        id="mix-de",
        arms=(
            Arm(name="control", channels=("ups-saver-cn",)),
            Arm(name="dhl", channels=("dhl-express-cn",)),
        ),
        countries=("DE",),
        method=method,
        baseline_on_time=0.75,
        min_effect=0.15,
        started_at=START,
    )  # fmt: skip


def ship(engine: Engine, count: int, *, seed: int, created: datetime, country: str = "DE") -> None:
    """`count` orders created at `created` and their delivered shipments: on time with the
    planted rate of the arm the experiment's hash gives each order."""
    rng = np.random.default_rng(seed)
    orders = [an_order(f"O-{seed}-{i}", country=country, created_at=created) for i in range(count)]
    with UnitOfWork(engine) as uow:
        uow.orders.add_many(orders, now=created)
        uow.commit()
    rows = []
    for order in orders:
        arm = arm_of("mix-de", order.order_id, [0.5, 0.5])
        late = rng.random() >= ON_TIME[arm]
        rows.append(
            a_shipment_row(
                f"T{order.order_id}", channel_id="ups-saver-cn", destination_country=country,
                order_id=order.order_id, handed_over_at=created,
                promised_at=created + timedelta(days=6),
                delivered_at=created + timedelta(days=8 if late else 4),
                label_cost_amount=Decimal("9.50"), label_cost_currency="USD",
            )
        )  # fmt: skip
    insert_shipments(engine, *rows)


def test_a_planted_on_time_effect_is_found_from_stored_shipments(engine: Engine) -> None:
    create_experiment(an_experiment(), uow=UnitOfWork(engine), now=START)
    ship(engine, 400, seed=1, created=START + timedelta(days=1))
    ship(engine, 50, seed=2, created=START + timedelta(days=1), country="FR")  # out of scope
    ship(engine, 50, seed=3, created=START - timedelta(days=1))  # before the start
    experiment, results = experiment_status("mix-de", uow=UnitOfWork(engine), fx=FX, as_of=AS_OF)
    control, dhl = results.arms
    expected = sum(arm_of("mix-de", f"O-1-{i}", [0.5, 0.5]) for i in range(400))
    assert (control.orders, dhl.orders) == (400 - expected, expected)
    [on_time] = [c for c in results.comparisons if c.metric == "on_time"]
    assert on_time.significant and on_time.low < 0.17 < on_time.high
    assert planned_per_arm(experiment) == results.planned_per_arm
    assert control.mean_transit_days is not None and dhl.mean_cost == pytest.approx(9.5)


def test_orders_after_the_stop_are_out_and_a_second_stop_is_refused(engine: Engine) -> None:
    create_experiment(an_experiment(), uow=UnitOfWork(engine), now=START)
    ship(engine, 100, seed=4, created=START + timedelta(days=1))
    stop_experiment(
        "mix-de", uow=UnitOfWork(engine), now=START + timedelta(days=2), reason="enough"
    )
    ship(engine, 100, seed=5, created=START + timedelta(days=3))
    experiment, results = experiment_status("mix-de", uow=UnitOfWork(engine), fx=FX, as_of=AS_OF)
    assert sum(arm.orders for arm in results.arms) == 100
    assert experiment.stop_reason == "enough"
    with pytest.raises(Conflict):
        stop_experiment("mix-de", uow=UnitOfWork(engine), now=AS_OF, reason="again")
    with pytest.raises(Conflict):
        create_experiment(an_experiment(), uow=UnitOfWork(engine), now=START)


def test_thompson_rebalancing_stores_a_split_that_favours_the_better_arm(
    engine: Engine,
) -> None:
    create_experiment(an_experiment(ExperimentMethod.THOMPSON), uow=UnitOfWork(engine), now=START)
    ship(engine, 300, seed=6, created=START + timedelta(days=1))
    experiment, results = experiment_status(
        "mix-de", uow=UnitOfWork(engine), fx=FX, as_of=AS_OF, rebalance=True
    )
    assert results.next_shares is not None and results.next_shares[1] > 0.8
    with UnitOfWork(engine) as uow:
        stored = uow.experiments.get("mix-de")
    assert stored.shares_at(AS_OF) == results.next_shares
    assert stored.shares_at(START) == (0.5, 0.5)
    assert experiment.shares == stored.shares
