"""Promise keeping on the demo's own orders: no bound order goes below the on-time floor
while a channel that can take it meets the floor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.builders import NOW
from tests.unit.selection.selecting import USD
from tradelane.entrypoints.demo import DEMO_START
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.engine import Selector
from tradelane.selection.facts import facts_of
from tradelane.selection.policy import Policy
from tradelane.selection.promise import floor_binds
from tradelane.services.assign import assign_orders, network_conditions
from tradelane.services.catalogues import install_catalogue
from tradelane.services.order_import import import_orders
from tradelane.simulation.order_stream import generate_orders
from tradelane.store.tables import assignments
from tradelane.store.uow import UnitOfWork

DEMO_ORDERS, DEMO_SEED = 3000, 7  # `tradelane demo` defaults


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_no_demo_order_goes_below_the_floor_when_a_channel_meets_it(uow: UnitOfWork) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    sent = generate_orders(DEMO_ORDERS, seed=DEMO_SEED, start=DEMO_START)
    import_orders(sent, source="demo", uow=uow, now=NOW)
    policy = Policy()
    assign_orders(uow=uow, now=NOW, fx=USD, policy=policy)
    with uow:
        rows = {r.order_id: r for r in uow.connection.execute(select(assignments))}
        conditions = network_conditions(uow, now=NOW)
    selector = Selector.prepare(default_catalogue(), policy, USD, conditions)
    bound = below = 0
    for order in sent:
        facts = facts_of(order, USD)
        row = rows[order.order_id]
        if not floor_binds(facts, policy) or row.primary_channel_id is None:
            continue
        bound += 1
        if row.on_time_probability >= policy.on_time_floor:
            continue
        below += 1
        meeting = [
            q.channel.id
            for q in selector.quote(facts)
            if q.score is not None
            and q.eta is not None
            and q.eta.on_time_probability >= policy.on_time_floor
        ]
        assert meeting == [], (order.order_id, row.primary_channel_id, meeting)
        assert "on-time floor" in row.reason
    assert bound > 200  # the demo has express orders and short promises to check
    assert below < bound
