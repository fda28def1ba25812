"""The inventory plan read from the store: stored orders are the demand, stock is on hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.builders import an_order
from tradelane.files.catalogue_file import default_catalogue
from tradelane.forecasting.placement import PlacementCosts
from tradelane.services.catalogues import install_catalogue
from tradelane.services.inventory import put_stock
from tradelane.services.inventory_plan import PlanCommand, plan_inventory
from tradelane.services.order_import import import_orders
from tradelane.store.uow import UnitOfWork

AS_OF = date(2026, 10, 1)
COSTS = PlacementCosts(
    express_from_china=12, inbound_sea_rail=0.8, last_mile=4, holding_per_day=0.02
)


def test_stored_orders_are_the_demand_and_stock_on_hand_is_netted(uow: UnitOfWork) -> None:
    start = datetime(2026, 7, 1, 10, tzinfo=UTC)
    install_catalogue(default_catalogue(), source="default", uow=uow, now=start)
    orders = [
        an_order(
            f"DE-{day}-{k}",
            country="DE",
            sku="gadget-001",
            quantity=2,
            created_at=start + timedelta(days=day, minutes=k),
        )
        for day in range(92)
        for k in range(3)
    ]
    import_orders(orders, source="t", uow=uow, now=start)
    put_stock([("DUS", "gadget-001", 0), ("DUS", "idle-9", 40)], uow=uow, now=start)
    plan = plan_inventory(PlanCommand(AS_OF, COSTS, peak="singles-day"), uow=uow)
    lines = {(line.warehouse, line.sku): line for line in plan.lines}
    busy, idle = lines[("DUS", "gadget-001")], lines[("DUS", "idle-9")]
    cover_days = (plan.peak.end - plan.peak.start).days + 1 + busy.lead_time_days
    assert busy.cover_mean > 6 * cover_days  # six units a day, more inside the peak
    assert busy.placement.ship_units >= busy.cover_mean and busy.placement.saved > 0
    assert idle.placement.ship_units == 0 and idle.on_hand == 40
    assert plan.lines[0] is busy  # largest saving first
