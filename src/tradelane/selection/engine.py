"""The scalar selection engine: the readable reference the batch engine is tested against.

    order ─▶ facts ─▶ every channel: lane? fits? price, ETA, score        (quote)
          ─▶ active switches: drop the switched channel for the moved share; its backup
             inherits the switched channel's score if that is better than its own
          ─▶ drop channels failed on the lane, out of capacity today, over a share cap /
             allocation quota on the lane (caps.py), or (warehouses) short of the order's units
          ─▶ primary = lowest score (catalogue order breaks ties), channels below the on-time
             floor last for orders it binds (promise.py) ─▶ backups (backups.py)

Orders are decided in created_at order (then order id); each primary uses one parcel of its
channel's remaining capacity and of its pools on the lane, so later orders fall to the next
best channel when one runs out. A primary at an overseas warehouse also draws the order's units
of each SKU from that warehouse's stock: an order the warehouse no longer holds enough units for
goes elsewhere, so a run never sends a warehouse more units than it holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tradelane.domain.catalog import Catalogue
from tradelane.domain.orders import Order
from tradelane.selection.backups import Ranked, choose_backups, diversifications
from tradelane.selection.caps import PoolLedger, lane_pools
from tradelane.selection.conditions import (
    FxTable,
    NetworkConditions,
    switch_fraction,
    take_units,
)
from tradelane.selection.decision import ChannelQuote, Choice, Decision
from tradelane.selection.eligibility import availability_refusals, fit_refusals
from tradelane.selection.eta import eta_quote
from tradelane.selection.facts import ParcelFacts, facts_of
from tradelane.selection.policy import Policy
from tradelane.selection.pricing import price_parcel
from tradelane.selection.promise import below_floor, cost_ceiling
from tradelane.selection.scoring import score_channel

__all__ = ["Selector", "choice_of", "initial_capacity"]


def initial_capacity(catalogue: Catalogue, conditions: NetworkConditions) -> dict[str, int] | None:
    """Parcels each channel can still take today (None: unlimited)."""
    if conditions.capacity_left is None:
        return None
    left = conditions.capacity_left
    return {ch.id: left.get(ch.id, ch.daily_capacity) for ch in catalogue.channels}


@dataclass(frozen=True)
class Selector:
    """Catalogue, policy (in the settlement currency), FX and network conditions."""

    catalogue: Catalogue
    policy: Policy
    fx: FxTable
    conditions: NetworkConditions

    @classmethod
    def prepare(
        cls, catalogue: Catalogue, policy: Policy, fx: FxTable, conditions: NetworkConditions
    ) -> Selector:
        return cls(catalogue, policy.in_settlement(fx), fx, conditions)

    def quote(self, facts: ParcelFacts) -> list[ChannelQuote]:
        """Every channel of the catalogue, fitting or not, in catalogue order."""
        return [self.quote_channel(facts, pos) for pos in range(len(self.catalogue.channels))]

    def quote_channel(self, facts: ParcelFacts, position: int) -> ChannelQuote:
        """The channel at `position` in the catalogue, evaluated for one order."""
        channel = self.catalogue.channels[position]
        lane = channel.lane_for(facts.country, facts.postcode)
        refusals = fit_refusals(facts, channel, lane, fx=self.fx, conditions=self.conditions)
        if lane is None:
            return ChannelQuote(position, channel, None, tuple(refusals), None, None, None)
        price = price_parcel(facts, channel, lane, self.fx)
        if price is None:
            refusals.append(f"no rate for the chargeable weight in zone {lane.zone}")
        ceiling = cost_ceiling(facts.value, self.policy)
        if price is not None and ceiling is not None and price.price > ceiling:
            cur = self.fx.settlement
            refusals.append(
                f"price {cur} {price.price:.2f} is over the cost ceiling {cur} {ceiling:.2f}"
            )
        transit = self.conditions.transit(channel.id, lane)
        eta = eta_quote(transit, facts.promised_days, peak=self.conditions.in_peak(facts.day))
        score = None
        if price is not None and not refusals:
            state = self.conditions.state(channel.id, facts.country)
            score = score_channel(
                facts,
                mode=channel.mode,
                price=price.price,
                on_time_probability=eta.on_time_probability,
                expected_late_days=eta.expected_late_days,
                state_penalty=self.policy.penalty(state),
                policy=self.policy,
            )
        return ChannelQuote(position, channel, lane, tuple(refusals), price, eta, score)

    def decide(
        self,
        facts: ParcelFacts,
        capacity_left: Mapping[str, int] | None,
        pools: PoolLedger | None = None,
        stock_left: Mapping[str, Mapping[str, int]] | None = None,
    ) -> Decision:
        """Primary and backups for one order given the capacity, pools and warehouse units
        left right now (stock None: the run's starting stock)."""
        quotes = self.quote(facts)
        rank = {q.position: q.score.total for q in quotes if q.score is not None}
        refusals = {q.channel.id: q.refusals for q in quotes if q.refusals}
        promoted = self._apply_switches(facts, rank, refusals)
        capped: dict[int, float] = {}
        for q in quotes:
            left = None if capacity_left is None else capacity_left[q.channel.id]
            why = availability_refusals(
                q.channel,
                facts,
                conditions=self.conditions,
                capacity_left=left,
                stock_left=stock_left,
            )
            shares = [] if pools is None else pools.refusals(q.channel.id, facts.country)
            if (why or shares) and q.position in rank:
                score = rank.pop(q.position)
                refusals[q.channel.id] = tuple(why + shares)
                if not why:
                    capped[q.position] = score
        if not rank:
            rank = capped  # share caps yield rather than leave the order without a channel
        if not rank:
            return Decision(facts.order_id, self.fx.settlement, None, (), refusals)
        ranked = [self._ranked(facts, quotes[pos], score) for pos, score in rank.items()]
        first = min(ranked, key=lambda r: (r.below_floor, r.rank_score, r.position))
        rest = [r for r in ranked if r is not first]
        chosen = choose_backups(
            first, rest, count=self.policy.backups, weights=self.policy.diversification
        )
        backups = tuple(
            choice_of(quotes[b.position], b.rank_score, diversifications(first, b)) for b in chosen
        )
        primary = choice_of(
            quotes[first.position], first.rank_score, (), promoted.get(first.position)
        )
        return Decision(facts.order_id, self.fx.settlement, primary, backups)

    def _apply_switches(
        self, facts: ParcelFacts, rank: dict[int, float], refusals: dict[str, tuple[str, ...]]
    ) -> dict[int, str]:
        """Apply active switches to `rank` in place; returns promoted position -> from id."""
        positions = {ch.id: pos for pos, ch in enumerate(self.catalogue.channels)}
        promoted: dict[int, str] = {}
        for switch in self.conditions.switches:
            moved = positions.get(switch.channel_id)
            if moved is None or moved not in rank:
                continue
            if not switch.covers(switch.channel_id, facts.country):
                continue
            if switch_fraction(facts.order_id) >= switch.share:
                continue
            score = rank.pop(moved)
            refusals[switch.channel_id] = (f"moved off by an active switch ({switch.share:.0%})",)
            backup = positions.get(switch.backup_channel_id or "")
            if backup is not None and backup in rank and score < rank[backup]:
                rank[backup] = score
                promoted[backup] = switch.channel_id
        return promoted

    def assign(self, orders: Iterable[Order | ParcelFacts]) -> list[Decision]:
        """Decide orders in created_at order, consuming capacity as primaries are chosen."""
        facts = [o if isinstance(o, ParcelFacts) else facts_of(o, self.fx) for o in orders]
        return self.assign_facts(sorted(facts, key=lambda f: (f.created_at, f.order_id)))

    def pools(self, orders: Mapping[str, int]) -> PoolLedger:
        """Share caps and quotas of a batch sending orders[country] orders to each country."""
        return PoolLedger(lane_pools(self.catalogue, self.policy, self.conditions.quotas, orders))

    def assign_facts(self, ordered: Sequence[ParcelFacts]) -> list[Decision]:
        """Decide facts in the order given (callers sort by created_at, order id)."""
        capacity = initial_capacity(self.catalogue, self.conditions)
        pools = self.pools(Counter(f.country for f in ordered))
        stock = {w: dict(units) for w, units in self.conditions.inventory.items()}
        warehouse = {ch.id: ch.warehouse for ch in self.catalogue.channels}
        decisions = []
        for facts in ordered:
            decision = self.decide(facts, capacity, pools, stock)
            if decision.primary is not None:
                chosen = decision.primary.channel_id
                if capacity is not None:
                    capacity[chosen] -= 1
                if not pools.refusals(chosen, facts.country):  # a cap that yielded: not counted
                    pools.take(chosen, facts.country)
                drawn = warehouse[chosen]
                if drawn is not None:
                    take_units(stock, drawn, facts.skus, facts.units)
            decisions.append(decision)
        return decisions

    def _ranked(self, facts: ParcelFacts, quote: ChannelQuote, rank_score: float) -> Ranked:
        assert quote.lane is not None and quote.eta is not None  # a scored quote has a lane
        below = below_floor(facts, quote.eta.on_time_probability, self.policy)
        return Ranked(quote.position, quote.channel, quote.lane, rank_score, below)


def choice_of(
    quote: ChannelQuote,
    rank_score: float,
    diversified: tuple[str, ...],
    switched_from: str | None = None,
) -> Choice:
    assert quote.price is not None and quote.eta is not None and quote.score is not None
    return Choice(
        channel_id=quote.channel.id,
        price=quote.price.price,
        on_time_probability=quote.eta.on_time_probability,
        expected_late_days=quote.eta.expected_late_days,
        breakdown=quote.score,
        rank_score=rank_score,
        diversifications=diversified,
        switched_from=switched_from,
    )
