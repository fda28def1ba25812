"""Scores one channel for one order under a policy (see policy.py for the formula).

The sum is formed in a fixed order — price, miss risk, lateness, state penalty, minus bonus —
which the batch engine repeats, so both engines rank channels on identical numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradelane.domain.catalog import Mode
from tradelane.domain.geo import market_of
from tradelane.selection.facts import ParcelFacts
from tradelane.selection.policy import Policy, RuleCondition, StrategyRule

__all__ = ["ScoreBreakdown", "condition_holds", "miss_cost", "score_channel", "strategy_bonus"]


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    """Score components in the settlement currency; `total` ranks channels (lower wins)."""

    price: float
    miss_risk: float
    lateness: float
    state_penalty: float
    strategy_bonus: float
    rule: str | None  # the rule whose bonus applies

    @property
    def total(self) -> float:
        return (
            self.price + self.miss_risk + self.lateness + self.state_penalty - self.strategy_bonus
        )


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def condition_holds(condition: RuleCondition, facts: ParcelFacts) -> bool:
    """True when the order meets every bound the condition sets."""
    c = condition
    return (
        _within(facts.value, c.min_value, c.max_value)
        and _within(facts.weight_kg, c.min_weight_kg, c.max_weight_kg)
        and _within(facts.longest_side_cm, c.min_longest_side_cm, c.max_longest_side_cm)
        and (c.urgency is None or facts.urgency is c.urgency)
        and (c.max_promised_days is None or facts.promised_days <= c.max_promised_days)
        and (c.markets is None or market_of(facts.country) in c.markets)
    )


def strategy_bonus(
    facts: ParcelFacts, mode: Mode, policy: Policy
) -> tuple[float, StrategyRule | None]:
    """The largest bonus among matching rules that prefer `mode` (first rule wins ties)."""
    best: tuple[float, StrategyRule | None] = (0.0, None)
    for rule in policy.rules:
        if mode in rule.prefer and rule.bonus > best[0] and condition_holds(rule.when, facts):
            best = (rule.bonus, rule)
    return best


def miss_cost(facts: ParcelFacts, policy: Policy) -> float:
    """What a missed promise costs: a fixed amount plus a share of the declared value."""
    return policy.miss_cost + policy.miss_cost_value_pct / 100.0 * facts.value


def score_channel(
    facts: ParcelFacts,
    *,
    mode: Mode,
    price: float,
    on_time_probability: float,
    expected_late_days: float,
    state_penalty: float,
    policy: Policy,
) -> ScoreBreakdown:
    bonus, rule = strategy_bonus(facts, mode, policy)
    return ScoreBreakdown(
        price=policy.cost_weight * price,
        miss_risk=(1.0 - on_time_probability) * miss_cost(facts, policy),
        lateness=policy.late_cost_per_day * expected_late_days,
        state_penalty=state_penalty,
        strategy_bonus=bonus,
        rule=None if rule is None else rule.name,
    )
