"""Re-assignment that re-decides each diverted order by the simulator's switching rule.

    diverted orders ─▶ quote every channel with the selection engine (price, ETA)
                    ─▶ candidates: fitting channels other than the one left, none sharing the
                       switch's cause (trigger "cause"), none fully switched away on the
                       lane, warehouses only while they hold the order's units
                    ─▶ price bands + tier order of switching/move_choice (the rule the
                       simulator's switchboard applies), the named backup first at each tier

An order keeps its promise on a channel whose median (p50) ETA is within its promised days:
the notion the simulator's `keeps_promise` uses (median transit by the promise). Prices are
compared with the order's price on the channel it leaves. The rescue budget is per call (one
switch's diverted orders in one evaluation): the moves' extra price (within the ratio first,
then rescues) may total at most rescue_budget_share x the summed current primary prices of the
orders quoted in the call before a rescue is refused;
rescues are taken in order id order while they fit. Orders that cannot be quoted (no stored
catalogue, a currency missing from the FX table, no price on the channel they leave) move by
`reassign_to_stored_backups`.

Quoting is shared: within one open unit of work at one instant (an evaluation moves the orders
of all its switches there, after opening them) the catalogue, the network conditions and the
selector are prepared once, and orders with the same parcel facts (country, weight, size,
value, goods, promise, SKUs, creation day) are quoted once: a quote depends on nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import ValidationError
from tradelane.selection.conditions import (
    FxTable,
    NetworkConditions,
    stock_shortfalls,
    take_units,
)
from tradelane.selection.decision import ChannelQuote
from tradelane.selection.engine import Selector
from tradelane.selection.facts import ParcelFacts
from tradelane.selection.policy import Policy
from tradelane.services.assign import facts_from_row, network_conditions
from tradelane.services.reassignment import reassign_to_stored_backups
from tradelane.store.repositories import StoredCatalogue
from tradelane.store.uow import UnitOfWork
from tradelane.switching.move_choice import choose_within_budget, price_bands
from tradelane.switching.states import ActiveSwitch

__all__ = ["PromiseReassigner"]


@dataclass(frozen=True)
class _Limits:
    avoid: frozenset[str]
    max_price_ratio: float
    rescue_price_ratio: float
    rescue_budget_share: float

    @classmethod
    def of(cls, trigger: Mapping[str, Any]) -> _Limits:
        """The switch record's trigger settings (no ratio: no price limit; no rescue ratio:
        no rescue)."""
        cause = trigger.get("cause") or {}
        ratio = float(trigger.get("max_price_ratio", np.inf))
        rescue = trigger.get("rescue_price_ratio")
        return cls(
            avoid=frozenset(cause.get("channels", ())),
            max_price_ratio=ratio,
            rescue_price_ratio=ratio if rescue is None else float(rescue),
            rescue_budget_share=float(trigger.get("rescue_budget_share", 0.0)),
        )


@dataclass(frozen=True)
class _Row:
    order_id: str
    price_now: float
    candidates: list[ChannelQuote]  # priced, fitting, allowed; best selection score first
    promised_days: int
    skus: tuple[str, ...]
    units: tuple[int, ...]


class _Quoting:
    """One unit of work's view at one instant: its stored catalogue, conditions, selector
    (None: the policy's currency is missing from the FX table) and the quotes made so far,
    by facts."""

    def __init__(
        self,
        uow: UnitOfWork,
        now: datetime,
        stored: StoredCatalogue,
        policy: Policy,
        fx: FxTable,
    ):
        self.uow, self.connection, self.now = uow, uow.connection, now
        self.catalogue = catalogue = stored.catalogue
        self.conditions: NetworkConditions = network_conditions(uow, now=now, catalogue=catalogue)
        try:
            self.selector: Selector | None = Selector.prepare(
                catalogue, policy, fx, self.conditions
            )
        except ValidationError:
            self.selector = None
        self._quotes: dict[ParcelFacts, tuple[list[ChannelQuote], list[ChannelQuote]]] = {}

    def serves(self, uow: UnitOfWork, now: datetime) -> bool:
        return self.uow is uow and self.connection is uow.connection and self.now == now

    def quote(self, facts: ParcelFacts) -> tuple[list[ChannelQuote], list[ChannelQuote]]:
        """Every channel's quote for the order, and the priced fitting ones best selection
        score first (ValidationError: a currency missing from the FX table); shared by orders
        whose facts differ only in id and time of day."""
        assert self.selector is not None
        day = datetime.combine(facts.day, datetime.min.time(), tzinfo=UTC)
        key = replace(facts, order_id="", created_at=day)
        known = self._quotes.get(key)
        if known is None:
            quotes = self.selector.quote(facts)
            fitting = [q for q in quotes if q.fits and q.price is not None]
            fitting.sort(key=lambda q: (q.score.total if q.score else 0.0, q.position))
            known = self._quotes[key] = (quotes, fitting)
        return known


@dataclass(frozen=True)
class PromiseReassigner:
    """A `Reassigner` (services/ports.py): writes through `uow`, never commits."""

    policy: Policy
    fx: FxTable
    _last: list[_Quoting] = field(default_factory=list, init=False, repr=False, compare=False)

    def __call__(
        self, order_ids: Sequence[str], *, away_from: ActiveSwitch, uow: UnitOfWork, now: datetime
    ) -> Mapping[str, str]:
        quoting = self._quoting(uow, now)
        if quoting is None:  # no stored catalogue
            return reassign_to_stored_backups(order_ids, away_from=away_from, uow=uow, now=now)
        limits = _Limits.of(uow.switches.get(away_from.switch_id).trigger)
        rows, unquoted = self._rows(order_ids, quoting, away_from, limits, uow)
        moves = _choose(rows, away_from, limits, quoting.catalogue, uow)
        reason = f"switch #{away_from.switch_id}: {away_from.channel_id} -> re-decided"
        uow.reassignments.move(moves, reason=f"{reason} ({away_from.kind})", now=now)
        if unquoted:
            fallback = reassign_to_stored_backups(unquoted, away_from=away_from, uow=uow, now=now)
            moves.update(fallback)
        return moves

    def _quoting(self, uow: UnitOfWork, now: datetime) -> _Quoting | None:
        """The unit of work's quoting at `now` over its newest stored catalogue (None: none
        stored), prepared on its first call (the last one is kept: an evaluation calls once
        per switch, in one unit of work at one instant)."""
        last = next(iter(self._last), None)  # read once: another thread may replace it
        if last is not None and last.serves(uow, now):
            return last
        stored = uow.catalogues.latest()
        if stored is None:
            return None
        quoting = _Quoting(uow, now, stored, self.policy, self.fx)
        self._last[:] = [quoting]
        return quoting

    def _rows(
        self,
        order_ids: Sequence[str],
        quoting: _Quoting,
        away_from: ActiveSwitch,
        limits: _Limits,
        uow: UnitOfWork,
    ) -> tuple[list[_Row], list[str]]:
        if quoting.selector is None:  # the policy's currency is missing from the FX table
            return [], list(order_ids)
        conditions = quoting.conditions
        stored = uow.assignments.facts_of(order_ids)
        lines = uow.assignments.units_of(list(order_ids))
        rows: list[_Row] = []
        unquoted: list[str] = []
        for order_id in sorted(order_ids):
            row = stored.get(order_id)
            try:
                facts = None if row is None else facts_from_row(row, self.fx, lines.get(order_id))
                quotes, fitting = ([], []) if facts is None else quoting.quote(facts)
            except ValidationError:  # a currency missing from the FX table
                facts, quotes, fitting = None, [], []
            now_quote = next((q for q in quotes if q.channel.id == away_from.channel_id), None)
            if facts is None or now_quote is None or now_quote.price is None:
                unquoted.append(order_id)
                continue
            closed = {
                s.channel_id
                for s in conditions.switches
                if s.share >= 1 and s.country in (None, facts.country)
            }
            banned = limits.avoid | closed | {away_from.channel_id}
            allowed = [q for q in fitting if q.channel.id not in banned]
            rows.append(
                _Row(
                    order_id,
                    now_quote.price.price,
                    allowed,
                    facts.promised_days,
                    facts.skus,
                    facts.units,
                )
            )
        return rows, unquoted


def _choose(
    rows: Iterable[_Row],
    away_from: ActiveSwitch,
    limits: _Limits,
    catalogue: Catalogue,
    uow: UnitOfWork,
) -> dict[str, str]:
    """Each row's target by the shared rule, stock drawn down and the rescue budget spent
    move by move."""
    rows = list(rows)
    warehouse_of = {ch.id: ch.warehouse for ch in catalogue.channels if ch.warehouse is not None}
    stock = uow.inventory.available(warehouse_of) if warehouse_of else {}
    budget = limits.rescue_budget_share * sum(r.price_now for r in rows)
    moves: dict[str, str] = {}
    for row in rows:
        stocked = [
            q
            for q in row.candidates
            if q.channel.warehouse is None
            or not stock_shortfalls(stock.get(q.channel.warehouse, {}), row.skus, row.units)
        ]
        if not stocked:
            continue
        prices = np.array([[q.price.price if q.price else 0.0 for q in stocked]])
        keeps = np.array(
            [[q.eta is not None and q.eta.p50_days <= row.promised_days for q in stocked]]
        )
        named = np.array([[q.channel.id == away_from.backup_channel_id for q in stocked]])
        ruled_out, rescue_only = price_bands(
            prices,
            np.array([row.price_now]),
            keeps,
            max_price_ratio=limits.max_price_ratio,
            rescue_price_ratio=limits.rescue_price_ratio,
        )
        picked, spent = choose_within_budget(
            ~ruled_out,
            named,
            keeps,
            rescue_only,
            prices,
            np.array([row.price_now]),
            budget,
        )
        slot, budget = int(picked[0]), budget - spent
        if slot < 0:
            continue
        target = stocked[slot].channel
        if target.warehouse is not None:
            take_units(stock, target.warehouse, row.skus, row.units)
        moves[row.order_id] = target.id
    return moves
