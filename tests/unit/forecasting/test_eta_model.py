"""The quantile ETA model on histories with a known shape: lanes, drift, whole days."""

from __future__ import annotations

import numpy as np
import pytest

from tradelane.domain.errors import ValidationError
from tradelane.forecasting.eta_model import (
    EtaSamples,
    evaluate,
    nearest_coverage_offset,
    recent_lane_delay,
    time_split,
    train,
)

DAY0 = 20_000


def samples(size: int = 3_000, seed: int = 2, *, whole_days: bool = False) -> EtaSamples:
    rng = np.random.default_rng(seed)
    lane = rng.integers(0, 2, size)
    anchor = DAY0 + np.sort(rng.integers(0, 400, size))
    days = np.where(lane == 0, 10.0, 3.0) * rng.lognormal(0, 0.2, size)
    days = np.round(days) if whole_days else days
    return EtaSamples(
        channel=["post"] * size,
        lane=["SLOW" if k == 0 else "FAST" for k in lane.tolist()],
        anchor_day=anchor.astype(np.int64),
        delivered_day=(anchor + np.ceil(days)).astype(np.int64),
        days=days,
        scheduled=np.full(size, 6.0),  # one published figure for both lanes
        weight_kg=rng.lognormal(0, 1, size),
    )


def test_the_model_learns_each_lane_and_beats_a_single_schedule() -> None:
    _, held, metrics = evaluate(samples(), windows=[])
    assert metrics.schedule_mae_days is not None
    assert metrics.p50_mae_days < 0.5 * metrics.schedule_mae_days
    assert 0.8 <= metrics.p90_coverage <= 0.95
    assert len(held) == pytest.approx(600, rel=0.1)


def test_whole_day_histories_are_still_covered_near_ninety_percent() -> None:
    _, _, metrics = evaluate(samples(whole_days=True), windows=[])
    assert 0.8 <= metrics.p90_coverage <= 0.95


def test_p90_is_never_below_p50_and_unknown_lanes_still_get_a_figure() -> None:
    model = train(samples(), windows=[])
    other = samples(50, seed=9)
    unseen = EtaSamples(
        ["new-channel"] * 50,
        ["NOWHERE"] * 50,
        other.anchor_day,
        other.delivered_day,
        other.days,
        other.scheduled,
        other.weight_kg,
    )
    p50, p90 = model.predict(unseen)
    assert np.all(p90 >= p50) and np.all(np.isfinite(p50))


def test_recent_lane_delay_only_counts_deliveries_before_the_anchor_day() -> None:
    history = EtaSamples(
        ["c"] * 3,
        ["L"] * 3,
        anchor_day=np.array([100, 110, 120]),
        delivered_day=np.array([108, 125, 126]),
        days=np.array([8.0, 15.0, 6.0]),
        scheduled=np.array([6.0, 6.0, 6.0]),
        weight_kg=np.full(3, np.nan),
    )
    delay = recent_lane_delay(history)
    assert np.isnan(delay[0])  # nothing delivered before day 100
    assert delay[1] == pytest.approx(2.0)  # only the first (8 - 6), delivered on day 108
    assert delay[2] == pytest.approx(2.0)  # the second is delivered on day 125, after day 120


def test_the_held_out_shipments_are_the_latest() -> None:
    history = samples(500)
    early, late = time_split(history, 0.2)
    assert history.anchor_day[early].max() < history.anchor_day[late].min()


def test_the_coverage_offset_picks_the_tie_nearest_the_target() -> None:
    residual = np.array([-1.0] * 50 + [0.0] * 45 + [1.0] * 5)
    assert nearest_coverage_offset(residual, 0.9) == 0.0  # 95 % covered; -1 would give 50 %


def test_too_short_a_history_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        train(samples(10), windows=[])
    assert raised.value.field == "history"
