"""Default peak windows for ETA uplift, until a seller configures a peak calendar.

Dates follow DOMAIN.md §4: US Thanksgiving is the 4th Thursday of November, Black Friday the
next day, Cyber Monday the Monday after; Singles' Day is 11 November; Chinese New Year from the
`holidays` calendar (2026-02-17, 2027-02-06) with capacity reduced 1-2 weeks either side; the
dates come from switching.peaks, the one peak calendar. How long each window
stretches transit (the carry-over after the event, the Christmas run-up) is an estimate.
"""

from __future__ import annotations

from datetime import date, timedelta

from tradelane.selection.conditions import PeakWindow
from tradelane.switching.peaks import chinese_new_year, cyber_monday
from tradelane.switching.peaks import us_thanksgiving as thanksgiving

__all__ = ["default_peak_windows", "thanksgiving"]

CARRY_OVER_DAYS = 7  # estimate: backlog after an event before lanes are back to normal


def default_peak_windows(year: int) -> list[PeakWindow]:
    """Singles' Day, Black Friday to Cyber Monday, the Christmas run-up, Chinese New Year."""
    thursday = thanksgiving(year)
    monday = cyber_monday(year)
    windows = [
        PeakWindow("singles-day", date(year, 11, 11), date(year, 11, 11 + CARRY_OVER_DAYS)),
        PeakWindow(
            "black-friday-cyber-monday",
            thursday,
            monday + timedelta(days=CARRY_OVER_DAYS),
        ),
        PeakWindow("christmas", monday + timedelta(days=CARRY_OVER_DAYS + 1), date(year, 12, 24)),
    ]
    new_year = chinese_new_year(year).new_year_day
    windows.append(
        PeakWindow("chinese-new-year", new_year - timedelta(days=14), new_year + timedelta(days=14))
    )
    return windows
