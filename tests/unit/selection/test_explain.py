"""Assignments explain themselves in plain language and as a stored score breakdown."""

from __future__ import annotations

import json

import pytest

from tests.builders import an_order
from tests.unit.selection.selecting import DEFAULT, USD, decide
from tradelane.domain.goods import GoodsClass
from tradelane.selection.explain import explain, score_document
from tradelane.selection.facts import facts_of
from tradelane.selection.policy import Policy


def test_a_postal_assignment_reads_like_the_strategy() -> None:
    order = an_order(value="12", weight_kg=0.18, dims=(18, 12, 4))
    text = explain(decide(order), facts_of(order, USD), DEFAULT, Policy())
    assert text.startswith(
        "China Post ePacket: 0.18 kg, USD 12.00, not urgent, promise 20 days -> "
        "small, light, not urgent -> postal; USD "
    )
    assert "Backup 1 " in text and "other carrier" in text and "Backup 2 " in text


def test_the_score_breakdown_adds_up_and_is_json() -> None:
    order = an_order(value="420", weight_kg=1.2, dims=(35, 25, 12))
    document = score_document(decide(order), Policy())
    primary = document["primary"]
    score = primary["score"]
    parts = score["price"] + score["miss_risk"] + score["lateness"] + score["state_penalty"]
    assert parts - score["strategy_bonus"] == pytest.approx(score["total"], abs=1e-5)
    assert score["total"] == primary["rank_score"]
    assert score["rule"] == "high_value" and document["policy_version"] == Policy().version
    assert len(document["backups"]) == 2 and document["backups"][0]["diversifications"]
    assert json.loads(json.dumps(document)) == document


def test_an_order_without_a_channel_is_explained_by_its_refusals() -> None:
    order = an_order(country="AU", goods=(GoodsClass.BATTERY_ALONE,))
    decision = decide(order)
    text = explain(decision, facts_of(order, USD), DEFAULT, Policy())
    assert text.startswith("no channel can take this order — dhl-express-cn: refuses battery_alone")
    assert "more" in text
    assert score_document(decision, Policy())["refusals"]["cn-eu-truck"] == ["no lane to AU"]
