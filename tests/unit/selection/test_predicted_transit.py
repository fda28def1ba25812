"""Predicted transit profiles: both engines use them on their lanes, and the reason says so."""

from __future__ import annotations

from tests.builders import an_order
from tests.unit.selection.selecting import DEFAULT, selector
from tradelane.domain.catalog import TransitProfile
from tradelane.selection.batch import assign_batch
from tradelane.selection.conditions import NetworkConditions
from tradelane.selection.explain import explain
from tradelane.selection.facts import facts_of
from tradelane.selection.order_batch import OrderBatch

SLOW = TransitProfile(p50_days=30, p90_days=45)


def test_a_predicted_profile_replaces_the_lane_profile_in_both_engines() -> None:
    order = an_order(country="DE", value="20", weight_kg=0.3, promised_days=20)
    plain = selector().assign([order])[0]
    assert plain.primary is not None
    chosen = plain.primary.channel_id
    predicted = NetworkConditions(
        transit_overrides={(chosen, "DE"): SLOW}, eta_source="ETA model v7"
    )
    slow = selector(conditions=predicted)
    decision = slow.assign([order])[0]
    quote = next(q for q in slow.quote(facts_of(order, slow.fx)) if q.channel.id == chosen)
    assert quote.eta is not None and quote.eta.p50_days == 30
    batch = OrderBatch.from_facts([facts_of(order, slow.fx)])
    assert assign_batch(batch, slow).decision(0) == decision
    assert decision.primary is not None
    reason = explain(decision, facts_of(order, slow.fx), DEFAULT, slow.policy, predicted)
    if decision.primary.channel_id == chosen:
        assert "ETA from ETA model v7" in reason
    else:
        assert "ETA from the lane's transit profile" in reason


def test_without_predicted_profiles_the_reason_is_unchanged() -> None:
    order = an_order(country="DE", value="20", weight_kg=0.3)
    chosen = selector()
    decision = chosen.assign([order])[0]
    facts = facts_of(order, chosen.fx)
    assert explain(decision, facts, DEFAULT, chosen.policy, NetworkConditions()) == explain(
        decision, facts, DEFAULT, chosen.policy
    )
    assert "ETA from" not in explain(decision, facts, DEFAULT, chosen.policy)
