import numpy as np
import pytest

from tradelane.domain.catalog import Mode
from tradelane.domain.shipments import MILESTONE_RANK, Milestone
from tradelane.monitoring.legs import (
    LEG_SHARES,
    ORIGIN_LEG_HOURS,
    Z95,
    door_to_door_hours,
    leg_hours,
    legs_done,
)
from tradelane.monitoring.revised_eta import promise_at_risk, remaining_hours, revised_eta_hours

RANK = MILESTONE_RANK


def _sea_legs(n: int = 1) -> np.ndarray:
    total = door_to_door_hours(np.full(n, 30.0), np.full(n, 40.0))
    return leg_hours(
        total,
        np.full(n, ORIGIN_LEG_HOURS[Mode.DEDICATED_SEA]),
        np.array([LEG_SHARES[Mode.DEDICATED_SEA]] * n),
    )


def test_median_door_to_door_is_the_lanes_p50_and_p95_lies_beyond_its_p90() -> None:
    median = door_to_door_hours(10.0, 14.0)
    p95 = door_to_door_hours(10.0, 14.0, z=Z95)
    assert median == pytest.approx(240.0)
    assert p95 > 14 * 24


def test_peak_uplift_stretches_door_to_door_time() -> None:
    assert door_to_door_hours(10.0, 14.0, peak_factor=1.2) == pytest.approx(288.0)


def test_legs_add_up_to_door_to_door_time() -> None:
    legs = _sea_legs(3)
    assert legs.sum(axis=1) == pytest.approx(np.full(3, 720.0))


def test_a_parcel_on_schedule_arrives_its_remaining_legs_after_its_last_milestone() -> None:
    legs = _sea_legs()
    departed = RANK[Milestone.DEPARTED_ORIGIN]
    eta = revised_eta_hours(
        legs_hours=legs,
        done=legs_done(departed),
        status_rank=departed,
        milestone_h=100.0,
        now_h=110.0,
    )
    assert eta == pytest.approx(100.0 + legs[0, 1:].sum())


def test_a_parcel_overdue_for_its_next_milestone_slips_day_by_day() -> None:
    legs = _sea_legs()
    picked = RANK[Milestone.PICKED_UP]
    late = [
        revised_eta_hours(
            legs_hours=legs, done=legs_done(picked), status_rank=picked, milestone_h=0.0, now_h=now
        )[0]
        for now in (200.0, 224.0)
    ]
    assert late[1] - late[0] == pytest.approx(24.0)
    assert late[0] == pytest.approx(200.0 + legs[0, 1:].sum())


def test_a_delivered_parcels_eta_is_its_delivery() -> None:
    delivered = RANK[Milestone.DELIVERED]
    eta = revised_eta_hours(
        legs_hours=_sea_legs(),
        done=legs_done(delivered),
        status_rank=delivered,
        milestone_h=500.0,
        now_h=900.0,
    )
    assert eta == pytest.approx(500.0)


def test_out_for_delivery_leaves_only_the_vans_lead_time() -> None:
    ofd = RANK[Milestone.OUT_FOR_DELIVERY]
    eta = revised_eta_hours(
        legs_hours=_sea_legs(), done=legs_done(ofd), status_rank=ofd, milestone_h=500.0, now_h=501.0
    )
    assert 500.0 < eta[0] < 520.0


def test_revised_eta_answers_many_parcels_at_once() -> None:
    legs = _sea_legs(4)
    ranks = np.array(
        [
            RANK[m]
            for m in (
                Milestone.PICKED_UP,
                Milestone.DEPARTED_ORIGIN,
                Milestone.ARRIVED_DESTINATION_COUNTRY,
                Milestone.CUSTOMS_CLEARED,
            )
        ]
    )
    eta = revised_eta_hours(
        legs_hours=legs,
        done=legs_done(ranks),
        status_rank=ranks,
        milestone_h=np.zeros(4),
        now_h=0.0,
    )
    assert np.all(np.diff(eta) < 0)  # further along: sooner


def test_remaining_hours_after_every_leg_is_zero() -> None:
    assert remaining_hours(_sea_legs(), 4) == pytest.approx([0.0])


def test_promise_is_at_risk_only_when_the_eta_passes_it() -> None:
    risk = promise_at_risk(np.array([10.0, 30.0, 30.0]), np.array([20.0, 20.0, np.nan]))
    assert risk.tolist() == [False, True, False]
