"""Shared set-up for selection tests: the default catalogue, USD settlement, the demo FX."""

from __future__ import annotations

from tradelane.config import DEFAULT_FX_TO_USD
from tradelane.domain.catalog import Catalogue
from tradelane.domain.orders import Order
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.conditions import FxTable, NetworkConditions
from tradelane.selection.decision import Decision
from tradelane.selection.engine import Selector
from tradelane.selection.policy import Policy

USD = FxTable(DEFAULT_FX_TO_USD, "USD")
DEFAULT = default_catalogue()


def selector(
    *,
    catalogue: Catalogue = DEFAULT,
    policy: Policy | None = None,
    conditions: NetworkConditions | None = None,
    fx: FxTable = USD,
) -> Selector:
    return Selector.prepare(catalogue, policy or Policy(), fx, conditions or NetworkConditions())


def decide(order: Order, **setup: object) -> Decision:
    """The scalar decision for one order with full capacity."""
    chosen = selector(**setup)  # type: ignore[arg-type]
    return chosen.assign([order])[0]


def mode_of(decision: Decision) -> str:
    assert decision.primary is not None, decision.refusals
    return DEFAULT.channel(decision.primary.channel_id).mode.value
