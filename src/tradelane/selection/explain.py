"""Decisions in plain language and as a machine-readable score breakdown.

"China Post ePacket: 0.18 kg, USD 12.00, not urgent -> small, light, not urgent -> postal;
 USD 3.48, 80% on-time. Backup 1 YunExpress Global Direct line (USD 4.46, 99% on-time):
 other carrier, other mode. Backup 2 ..."
"""

from __future__ import annotations

from typing import Any

from tradelane.domain.catalog import Catalogue
from tradelane.selection.conditions import NetworkConditions
from tradelane.selection.decision import Choice, Decision
from tradelane.selection.facts import ParcelFacts
from tradelane.selection.policy import Policy
from tradelane.selection.promise import floor_note

__all__ = ["explain", "score_document"]

SHOWN_REFUSALS = 6


def _why(choice: Choice, policy: Policy) -> str:
    rule = choice.breakdown.rule
    for strategy in policy.rules:
        if strategy.name == rule:
            return strategy.description
    return "lowest price and delay risk"


def _numbers(choice: Choice, currency: str) -> str:
    return f"{currency} {choice.price:.2f}, {choice.on_time_probability:.0%} on-time"


def explain(
    decision: Decision,
    facts: ParcelFacts,
    catalogue: Catalogue,
    policy: Policy,
    conditions: NetworkConditions | None = None,
) -> str:
    """One paragraph: the primary and why, then each backup and what it diversifies. Where
    `conditions` carry predicted transit profiles, it says which ETA the primary's used."""
    if decision.primary is None:
        reasons = [f"{cid}: {'; '.join(why)}" for cid, why in decision.refusals.items()]
        more = len(reasons) - SHOWN_REFUSALS
        shown = "; ".join(reasons[:SHOWN_REFUSALS]) + (f"; +{more} more" if more > 0 else "")
        return f"no channel can take this order — {shown}"
    primary, cur = decision.primary, decision.currency
    urgency = "urgent" if facts.urgent else "not urgent"
    parts = [
        f"{catalogue.channel(primary.channel_id).name}: {facts.weight_kg:.2f} kg, "
        f"{facts.currency} {facts.declared_value:.2f}, {urgency}, promise "
        f"{facts.promised_days} days -> {_why(primary, policy)}; {_numbers(primary, cur)}"
    ]
    if primary.switched_from:
        parts[0] += f" (moved from {primary.switched_from} by an active switch)"
    if primary.breakdown.state_penalty > 0:
        parts[0] += " (channel not healthy on this lane)"
    note = floor_note(facts, primary.on_time_probability, policy)
    if note is not None:
        parts[0] += f" ({note})"
    if conditions is not None and conditions.transit_overrides:
        parts[0] += f" ({conditions.eta_basis(primary.channel_id, facts.country)})"
    for number, backup in enumerate(decision.backups, start=1):
        labels = ", ".join(backup.diversifications) or "no diversification available"
        name = catalogue.channel(backup.channel_id).name
        parts.append(f"Backup {number} {name} ({_numbers(backup, cur)}): {labels}")
    if not decision.backups:
        parts.append("No backup can take this order")
    return ". ".join(parts) + "."


def _choice_document(choice: Choice) -> dict[str, Any]:
    b = choice.breakdown
    return {
        "channel": choice.channel_id,
        "price": round(choice.price, 4),
        "on_time_probability": round(choice.on_time_probability, 6),
        "expected_late_days": round(choice.expected_late_days, 4),
        "rank_score": round(choice.rank_score, 6),
        "score": {
            "price": round(b.price, 6),
            "miss_risk": round(b.miss_risk, 6),
            "lateness": round(b.lateness, 6),
            "state_penalty": round(b.state_penalty, 6),
            "strategy_bonus": round(b.strategy_bonus, 6),
            "rule": b.rule,
            "total": round(b.total, 6),
        },
        "diversifications": list(choice.diversifications),
        "switched_from": choice.switched_from,
    }


def score_document(decision: Decision, policy: Policy) -> dict[str, Any]:
    """The breakdown stored with an assignment (JSON-ready)."""
    return {
        "currency": decision.currency,
        "policy_version": policy.version,
        "primary": None if decision.primary is None else _choice_document(decision.primary),
        "backups": [_choice_document(b) for b in decision.backups],
        "refusals": {cid: list(why) for cid, why in decision.refusals.items()},
    }
