"""Lane-level evidence: binomial tests on waiting shares, shared causes, backups re-scored."""

from __future__ import annotations

import math

from tests.seasons import catalogue
from tradelane.switching.backup_choice import choose_backup
from tradelane.switching.causes import lane_causes
from tradelane.switching.evidence import binomial_upper_tail, waiting_surprise
from tradelane.switching.health import LaneHealth, lane_profiles
from tradelane.switching.triggers import Severity, Triggers, assess


def test_the_binomial_tail_matches_the_sum_of_its_terms() -> None:
    n, p = 30, 0.1
    exact = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(7, n + 1))
    assert math.isclose(binomial_upper_tail(7, n, p), exact, rel_tol=1e-9)
    assert binomial_upper_tail(0, n, p) == 1.0
    assert binomial_upper_tail(n + 1, n, p) == 0.0


def test_a_few_waiting_parcels_on_a_busy_lane_are_noise_but_a_stop_is_not() -> None:
    noise = waiting_surprise(8, 100, normal_share=0.05, alpha=0.001, min_parcels=5, min_excess=0.0)
    stop = waiting_surprise(30, 60, normal_share=0.05, alpha=0.001, min_parcels=5, min_excess=0.0)
    assert not noise.significant
    assert stop.significant and stop.p_value < 1e-10


def test_too_few_waiting_parcels_are_never_evidence_whatever_the_share() -> None:
    small = waiting_surprise(3, 3, normal_share=0.05, alpha=0.001, min_parcels=5, min_excess=0)
    assert not small.significant


def test_a_surprising_stall_is_a_decisive_breach_and_an_ordinary_one_is_clear() -> None:
    triggers = Triggers()
    stopped = LaneHealth(
        "epacket-cn", "US", stall_sample=40, stalled_at_origin=25, origin_stall_share=25 / 40
    )
    ordinary = LaneHealth(
        "epacket-cn", "US", stall_sample=200, stalled_at_origin=3, origin_stall_share=3 / 200
    )
    stopped_reading, ordinary_reading = assess(stopped, triggers), assess(ordinary, triggers)
    assert stopped_reading.severity is Severity.FAILED and stopped_reading.decisive
    assert ordinary_reading.clear_with_flow


def test_lanes_degrading_together_name_their_shared_air_type_and_exclude_every_channel_of_it() -> (
    None
):
    belly = [
        (c.id, lane.country)
        for c in catalogue().channels
        if c.air_type.value == "passenger_belly"
        for lane in c.lanes
    ]
    causes = lane_causes(catalogue(), belly)
    cause = causes[("epacket-cn", "US")]
    assert (cause.kind, cause.value) == ("air_type", "passenger_belly")
    assert {"epacket-cn", "yun-line-cn", "cainiao-standard", "cn-us-air-line"} <= cause.channels


def test_one_lane_alone_is_its_own_channels_trouble() -> None:
    causes = lane_causes(catalogue(), [("cn-us-fastsea", "US")])
    assert causes[("cn-us-fastsea", "US")].kind == "channel"


def test_the_backup_never_shares_the_cause_and_leaves_from_the_same_origin() -> None:
    profiles = lane_profiles(catalogue())
    belly = {c.id for c in catalogue().channels if c.air_type.value == "passenger_belly"}
    choice = choose_backup(
        ("epacket-cn", "US"),
        catalogue=catalogue(),
        profiles=profiles,
        health={},
        excluded=belly,
        troubled=(),
    )
    assert choice is not None
    chosen = next(c for c in catalogue().channels if c.id == choice.channel_id)
    assert chosen.id not in belly
    assert chosen.origin == "CN" and chosen.mode.value != "overseas_warehouse"


def test_one_carriers_lanes_degrading_name_the_carrier_not_the_air_type_it_shares() -> None:
    ups = [
        (c.id, lane.country) for c in catalogue().channels if c.carrier == "ups" for lane in c.lanes
    ]
    busy = [(c.id, lane.country) for c in catalogue().channels for lane in c.lanes]
    cause = lane_causes(catalogue(), ups, busy=busy)[ups[0]]
    assert (cause.kind, cause.value) == ("carrier", "ups")
    assert cause.channels == {"ups-saver-cn"}
