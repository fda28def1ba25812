"""Scorecard maths on a small fixture, each figure computed by hand."""

from __future__ import annotations

import pytest

from tradelane.optimization.scorecards import Outcome, ScoreKey, scorecards, wilson_interval


def test_wilson_interval_matches_the_textbook_values() -> None:
    # 8 of 10: the 95 % Wilson interval is [0.4902, 0.9433], the usual worked example.
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson_interval(0, 5)[0] == 0.0
    assert wilson_interval(5, 5)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


FIXTURE = [
    Outcome("air", "DE", "2026-11", on_time=True, transit_days=2, cost=10, weight_kg=1,
            first_scan_hours=4, events=4, located_events=3, eta_error_days=-1),
    Outcome("air", "DE", "2026-11", on_time=True, transit_days=4, cost=20, weight_kg=3,
            first_scan_hours=10, events=2, located_events=2, eta_error_days=0.5),
    Outcome("air", "DE", "2026-12", on_time=False, transit_days=6, cost=30, weight_kg=None,
            exception=True, events=2, located_events=0),
    Outcome("air", "DE", "2026-12", on_time=None, transit_days=None, cost=None, lost=True),
    Outcome("sea", "FR", "2026-11", on_time=False, transit_days=30, cost=5, weight_kg=10),
]  # fmt: skip


def test_figures_per_channel_equal_the_hand_computed_ones() -> None:
    air, sea = scorecards(FIXTURE, [ScoreKey.CHANNEL])
    assert air.key == {"channel": "air"} and sea.key == {"channel": "sea"}
    assert (air.shipments, air.on_time_known, air.on_time_rate) == (4, 3, pytest.approx(2 / 3))
    # Wilson for 2 of 3: centre (2/3 + 1.92/3)/(1 + 3.84/3), z = 1.96
    z = 1.959963984540054
    centre = (2 / 3 + z * z / 6) / (1 + z * z / 3)
    half = z * ((2 / 9) / 3 + z * z / 36) ** 0.5 / (1 + z * z / 3)
    assert (air.on_time_low, air.on_time_high) == (
        pytest.approx(centre - half),
        pytest.approx(centre + half),
    )
    assert air.transit_p50_days == 4.0  # of 2, 4, 6
    assert air.transit_p90_days == pytest.approx(5.6)  # 4 + 0.8 * (6 - 4)
    assert air.cost_per_parcel == 20.0  # (10 + 20 + 30) / 3
    assert air.cost_per_kg == pytest.approx(30 / 4)  # only parcels with cost and weight
    assert (air.exception_rate, air.loss_rate) == (0.25, 0.25)
    assert air.first_scan_hours_p50 == 7.0
    assert air.located_event_share == pytest.approx(5 / 8)
    assert air.eta_error_days == pytest.approx(0.75)
    assert (sea.on_time_rate, sea.cost_per_kg, sea.located_event_share) == (0.0, 0.5, None)


def test_groups_follow_the_chosen_keys() -> None:
    cards = scorecards(FIXTURE, [ScoreKey.CHANNEL, ScoreKey.LANE, ScoreKey.PERIOD])
    assert [tuple(c.key.values()) for c in cards] == [
        ("air", "DE", "2026-11"),
        ("air", "DE", "2026-12"),
        ("sea", "FR", "2026-11"),
    ]
    assert [c.shipments for c in cards] == [2, 2, 1]
    december = cards[1]
    assert (december.on_time_rate, december.on_time_known, december.transit_p90_days) == (
        0.0,
        1,
        6.0,
    )
    [everything] = scorecards(FIXTURE, [])
    assert (everything.key, everything.shipments) == ({}, 5)


def test_a_group_without_any_known_outcome_has_no_rate() -> None:
    [card] = scorecards([Outcome("air", "DE", "2026-11", lost=True)], [ScoreKey.CHANNEL])
    assert (card.on_time_rate, card.on_time_low, card.transit_p50_days) == (None, None, None)
    assert card.loss_rate == 1.0
