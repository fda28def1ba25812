"""Quote one order on every channel: price, ETA, on-time chance, and why a channel refuses.

Uses the store's catalogue, stock and channel states (or the packaged default catalogue on a
store without one); capacity is not consumed and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tradelane.domain.catalog import Catalogue
from tradelane.domain.orders import Order
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.conditions import FxTable
from tradelane.selection.decision import ChannelQuote, Decision
from tradelane.selection.engine import Selector
from tradelane.selection.facts import ParcelFacts, facts_of
from tradelane.selection.policy import Policy
from tradelane.services.assign import network_conditions
from tradelane.store.uow import UnitOfWork

__all__ = ["QuoteResult", "quote_order"]


@dataclass(frozen=True)
class QuoteResult:
    facts: ParcelFacts
    quotes: list[ChannelQuote]  # every channel, catalogue order
    decision: Decision  # what assignment would choose now
    currency: str
    peak: bool  # the order date falls in a peak window
    catalogue_name: str


def quote_order(
    order: Order,
    *,
    uow: UnitOfWork,
    now: datetime,
    fx: FxTable,
    policy: Policy,
    catalogue: Catalogue | None = None,
) -> QuoteResult:
    with uow:
        stored = uow.catalogues.latest()
        chosen = catalogue or (stored.catalogue if stored is not None else default_catalogue())
        conditions = network_conditions(uow, now=now)
    selector = Selector.prepare(chosen, policy, fx, conditions)
    facts = facts_of(order, fx)
    return QuoteResult(
        facts=facts,
        quotes=selector.quote(facts),
        decision=selector.assign_facts([facts])[0],
        currency=fx.settlement,
        peak=conditions.in_peak(facts.day),
        catalogue_name=chosen.name,
    )
