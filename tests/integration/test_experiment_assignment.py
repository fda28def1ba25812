"""Assignment honours running A/B tests: an order in an experiment gets its arm's channel mix."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.builders import NOW, an_order
from tests.integration.test_assign import priced
from tests.unit.selection.selecting import USD
from tradelane.domain.catalog import Catalogue
from tradelane.optimization.experiment_design import Arm, Experiment
from tradelane.selection.policy import Policy, ShareCaps
from tradelane.services.assign import assign_orders
from tradelane.services.catalogues import install_catalogue
from tradelane.services.experiments import create_experiment, stop_experiment
from tradelane.services.order_import import import_orders
from tradelane.store.tables import assignments
from tradelane.store.uow import UnitOfWork

UNCAPPED = Policy(rules=(), share_caps=ShareCaps(channel=None, carrier=None))
START = NOW - timedelta(hours=1)


def three_lines(uow: UnitOfWork, *, cheap_capacity: int = 1000) -> None:
    channels = [priced("cheap", 4, "a", cheap_capacity), priced("middle", 6, "b")]
    channels.append(priced("dear", 9, "c"))
    catalogue = Catalogue.model_validate({"name": "three", "channels": channels})
    install_catalogue(catalogue, source="test", uow=uow, now=NOW)


def experiment(*mixes: tuple[str, ...], countries: tuple[str, ...] = ("US",)) -> Experiment:
    arms = tuple(Arm(name=f"arm{i}", channels=mix) for i, mix in enumerate(mixes))
    return Experiment(id="mix-test", arms=arms, countries=countries, started_at=START)


def placed(uow: UnitOfWork, count: int, country: str = "US") -> dict[str, str | None]:
    sent = [an_order(f"ORD-{country}-{i}", country=country) for i in range(count)]
    import_orders(sent, source="test", uow=uow, now=NOW)
    assign_orders(uow=uow, now=NOW, fx=USD, policy=UNCAPPED)
    with uow:
        rows = uow.connection.execute(
            select(assignments.c.order_id, assignments.c.primary_channel_id)
        )
        return {row.order_id: row.primary_channel_id for row in rows}


def test_each_order_of_a_running_experiment_takes_a_channel_of_its_arm(uow: UnitOfWork) -> None:
    three_lines(uow)
    design = create_experiment(experiment(("cheap",), ("dear", "middle")), uow=uow, now=NOW)
    primaries = placed(uow, 200)
    arms = {order_id: design.arm_of(order_id, NOW) for order_id in primaries}
    assert {arms[o] for o in primaries} == {0, 1}
    for order_id, channel in primaries.items():
        assert channel == ("cheap" if arms[order_id] == 0 else "middle"), order_id


def test_orders_outside_the_experiment_are_decided_on_every_channel(uow: UnitOfWork) -> None:
    three_lines(uow)
    create_experiment(experiment(("dear",), ("middle",), countries=("DE",)), uow=uow, now=NOW)
    assert set(placed(uow, 50, country="US").values()) == {"cheap"}
    stop_experiment("mix-test", uow=uow, now=START, reason="test")
    assert set(placed(uow, 50, country="DE").values()) == {"cheap"}


def test_an_order_its_arm_cannot_carry_falls_back_to_every_channel(uow: UnitOfWork) -> None:
    three_lines(uow)
    create_experiment(experiment(("no-such-channel",), ("dear",)), uow=uow, now=NOW)
    primaries = placed(uow, 100)
    assert None not in primaries.values()
    assert set(primaries.values()) == {"cheap", "dear"}


def test_arms_and_the_rest_draw_on_one_day_of_capacity(uow: UnitOfWork) -> None:
    three_lines(uow, cheap_capacity=30)
    design = create_experiment(experiment(("cheap",), ("dear",)), uow=uow, now=NOW)
    primaries = placed(uow, 200)
    on_cheap = [o for o, channel in primaries.items() if channel == "cheap"]
    assert len(on_cheap) == 30
    assert all(design.arm_of(o, NOW) == 0 for o in on_cheap)
    assert None not in primaries.values()
