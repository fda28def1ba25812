"""Allocation ratios kept over a stream of batches, and the season plan that makes them."""

from __future__ import annotations

import math

from tests.unit.selection.selecting import USD
from tests.unit.selection.test_sequence import CATALOGUE
from tradelane.files.scenario_file import read_scenario
from tradelane.selection.caps import lane_pools
from tradelane.selection.policy import Policy
from tradelane.simulation.running_quotas import RunningQuotas
from tradelane.simulation.season_plan import season_ratios


def test_a_preferred_channel_keeps_its_ratio_over_many_one_order_batches() -> None:
    quotas = RunningQuotas({("DE", "cheap"): 0.3})
    taken = 0
    for seen in range(1, 41):
        allowed = quotas.for_batch({"DE": 1})[("DE", "cheap")]
        channel = "cheap" if allowed > 0 else "other"  # a router that always prefers cheap
        taken += channel == "cheap"
        quotas.record({"DE": 1}, [("DE", channel)])
        assert taken == math.ceil(0.3 * seen - 1e-9)
    assert taken == 12


def test_a_batch_quota_rounds_back_to_the_allowance() -> None:
    quotas = RunningQuotas({("US", "x"): 0.25})
    quotas.record({"US": 10}, [("US", "x")] * 2)
    share = quotas.for_batch({"US": 7})[("US", "x")]  # ceil(0.25 x 17) - 2 = 3 of 7
    pools = lane_pools(CATALOGUE, Policy(), {("US", "x"): share}, {"US": 7})
    assert [p.limit for p in pools if p.channel_ids == ("x",)] == [3]


def test_lanes_without_orders_in_the_batch_get_no_quota() -> None:
    assert RunningQuotas({("US", "x"): 0.5}).for_batch({"DE": 3}) == {}


def test_the_season_plan_shares_every_planned_lane_within_the_caps() -> None:
    scenario, catalogue = read_scenario("default")
    plan = season_ratios(scenario.scaled(0.02), catalogue, fx=USD, peak_windows=())
    lanes = {country for country, _ in plan}
    assert set(scenario.orders.markets) >= lanes and len(lanes) >= 5
    for country in lanes:
        shares = [s for (c, _), s in plan.items() if c == country]
        assert math.isclose(sum(shares), 1.0, abs_tol=1e-4)
        assert max(shares) <= 0.7 + 1e-6
