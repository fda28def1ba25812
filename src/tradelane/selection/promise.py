"""Promise keeping: which orders the on-time floor binds, and the cost ceiling.

    floor binds   the order matches any condition of policy.floor_applies_to
    below floor   a channel whose on-time probability for the order is under policy.on_time_floor
    ceiling       max(cost_ceiling_value_pct % x declared value, cost_ceiling_min), or none

Both engines rank a bound order's channels below the floor after every channel that meets it
(primary and backups alike), so a channel below the floor is chosen only when no available
channel reaches it. The batch engine evaluates the same conditions as arrays (batch_scoring).
"""

from __future__ import annotations

from tradelane.selection.facts import ParcelFacts
from tradelane.selection.policy import Policy
from tradelane.selection.scoring import condition_holds

__all__ = ["below_floor", "cost_ceiling", "floor_binds", "floor_note"]


def floor_binds(facts: ParcelFacts, policy: Policy) -> bool:
    """The order must go on a channel that meets the on-time floor when one is available."""
    return any(condition_holds(condition, facts) for condition in policy.floor_applies_to)


def below_floor(facts: ParcelFacts, on_time_probability: float, policy: Policy) -> bool:
    return on_time_probability < policy.on_time_floor and floor_binds(facts, policy)


def cost_ceiling(value: float, policy: Policy) -> float | None:
    """Highest price (settlement currency) a channel may charge for this declared value."""
    if policy.cost_ceiling_value_pct is None:
        return None
    return max(policy.cost_ceiling_value_pct / 100.0 * value, policy.cost_ceiling_min)


def floor_note(facts: ParcelFacts, on_time_probability: float, policy: Policy) -> str | None:
    """The explanation's reason when a bound order's primary is below the floor."""
    if not below_floor(facts, on_time_probability, policy):
        return None
    return (
        f"no available channel reaches the {policy.on_time_floor:.0%} on-time floor for this "
        f"{facts.promised_days}-day promise, so the best one below it"
    )
