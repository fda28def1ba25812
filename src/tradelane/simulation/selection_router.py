"""`SelectionRouter`: the simulator's Router port served by the production selection engine.

    simulated orders ─▶ ParcelFacts ─▶ selection.OrderBatch ─▶ assign_batch ─▶ Route per order

The same policy, eligibility, pricing, ETA and backup diversification that `tradelane assign`
runs decide every simulated order. Capacity is not limited here: the simulator models pickup,
line-haul and customs capacity itself, and moves orders when switches open. With `quotas`
(the optimized strategy) each batch also honours the allocation's ratios as running quotas.
Scenarios say which SKUs a warehouse holds, not how many units, so held SKUs are never drawn
down here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tradelane.domain.catalog import Catalogue
from tradelane.domain.orders import Order
from tradelane.selection.batch import assign_batch
from tradelane.selection.conditions import AMPLE_UNITS, FxTable, NetworkConditions, PeakWindow
from tradelane.selection.engine import Selector
from tradelane.selection.facts import facts_of
from tradelane.selection.order_batch import OrderBatch
from tradelane.selection.policy import Policy
from tradelane.simulation.ports import Route, RouteChoice
from tradelane.simulation.running_quotas import RunningQuotas

__all__ = ["SelectionRouter"]

CENT = Decimal("0.01")


class SelectionRouter:
    """Routes with `Selector` + `assign_batch`; orders with no eligible channel get no Route."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        fx: FxTable,
        stock_by_channel: Mapping[str, frozenset[str]],
        peak_windows: Sequence[PeakWindow] = (),
        policy: Policy | None = None,
        quotas: RunningQuotas | None = None,
    ) -> None:
        inventory = {
            channel.warehouse: dict.fromkeys(stock_by_channel.get(channel.id, ()), AMPLE_UNITS)
            for channel in catalogue.channels
            if channel.warehouse is not None
        }
        conditions = NetworkConditions(inventory=inventory, peak_windows=tuple(peak_windows))
        self._fx = fx
        self._selector = Selector.prepare(catalogue, policy or Policy(), fx, conditions)
        self._quotas = quotas

    def route(self, orders: Sequence[Order], *, now: datetime) -> list[Route]:
        if not orders:
            return []
        promise = {o.order_id: o.created_at + timedelta(days=o.promised_days) for o in orders}
        batch = OrderBatch.from_facts([facts_of(order, self._fx) for order in orders])
        lanes = Counter(o.destination.country for o in orders)
        selector = self._selector
        if self._quotas is not None:
            quotas = self._quotas.for_batch(lanes)
            selector = replace(selector, conditions=replace(selector.conditions, quotas=quotas))
        result = assign_batch(batch, selector)
        channels = selector.catalogue.channels
        if self._quotas is not None:
            country = {o.order_id: o.destination.country for o in orders}
            taken = [
                (country[order_id], channels[c].id)
                for order_id, c in zip(batch.order_ids, result.primary.tolist(), strict=True)
                if c >= 0
            ]
            self._quotas.record(lanes, taken)
        currency = self._fx.settlement
        routes = []
        for row, order_id in enumerate(batch.order_ids):
            picks = result.channel[:, row].tolist()
            prices = result.price[:, row].tolist()
            choices = tuple(
                RouteChoice(channels[c].id, _cents(prices[k]), currency)
                for k, c in enumerate(picks)
                if c >= 0
            )
            if choices:
                routes.append(Route(order_id, choices, promise[order_id]))
        return routes


def _cents(amount: float) -> Decimal:
    return Decimal(repr(amount)).quantize(CENT, ROUND_HALF_UP)
