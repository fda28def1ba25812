"""Default peak windows follow the sourced calendar (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date

import pytest

from tradelane.selection.conditions import NetworkConditions
from tradelane.selection.season import default_peak_windows, thanksgiving


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 11, 27)), (2026, date(2026, 11, 26)), (2027, date(2027, 11, 25))],
)
def test_thanksgiving_is_the_fourth_thursday_of_november(year: int, expected: date) -> None:
    assert thanksgiving(year) == expected


def test_black_friday_week_and_chinese_new_year_are_peak_but_early_october_is_not() -> None:
    peaks = NetworkConditions(peak_windows=default_peak_windows(2026))
    assert peaks.in_peak(date(2026, 11, 27)) and peaks.in_peak(date(2026, 11, 30))
    assert peaks.in_peak(date(2026, 2, 17)) and peaks.in_peak(date(2026, 11, 11))
    assert not peaks.in_peak(date(2026, 10, 5))
