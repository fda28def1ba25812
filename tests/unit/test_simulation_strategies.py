"""The manual desk of the static-backup strategy: notice, wait the lag, switch, and back."""

from __future__ import annotations

import numpy as np

from tradelane.simulation.strategies import ManualDesk, Strategy, StrategyKind


def _desk() -> ManualDesk:
    return ManualDesk(Strategy(StrategyKind.STATIC_BACKUP, manual_lag_hours=48), channels=2)


def test_staff_switch_a_stalled_channel_one_lag_after_noticing_and_back_after_calm() -> None:
    desk, stalled, calm = _desk(), np.array([60.0, 0.0]), np.array([0.0, 0.0])
    first = desk.review(100.0, stalled)
    assert first.noticed == [0] and first.switch_on == []
    assert desk.review(130.0, stalled).switch_on == []
    assert desk.review(148.0, stalled).switch_on == [0]
    assert desk.review(160.0, calm).switch_off == []
    assert desk.review(208.0, calm).switch_off == [0]


def test_a_wait_under_the_visible_threshold_goes_unnoticed() -> None:
    desk = _desk()
    decisions = [desk.review(hour, np.array([47.0, 10.0])) for hour in (0.0, 100.0, 200.0)]
    assert all(d.noticed == d.switch_on == [] for d in decisions)


def test_a_stall_that_clears_before_the_lag_is_forgotten() -> None:
    desk = _desk()
    desk.review(0.0, np.array([60.0, 0.0]))
    desk.review(24.0, np.array([0.0, 0.0]))
    assert desk.review(50.0, np.array([60.0, 0.0])).noticed == [0]
    assert desk.review(80.0, np.array([60.0, 0.0])).switch_on == []
