"""Default peak windows for ETA uplift, until a seller configures a peak calendar.

Dates follow DOMAIN.md §4: US Thanksgiving is the 4th Thursday of November, Black Friday the
next day, Cyber Monday the Monday after; Singles' Day is 11 November; Chinese New Year 2026-02-17,
2027-02-06, 2028-01-26 with capacity reduced 1-2 weeks either side. How long each window
stretches transit (the carry-over after the event, the Christmas run-up) is an estimate.
"""

from __future__ import annotations

from datetime import date, timedelta

from tradelane.selection.conditions import PeakWindow

__all__ = ["default_peak_windows", "thanksgiving"]

CHINESE_NEW_YEAR = {2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26)}
CARRY_OVER_DAYS = 7  # estimate: backlog after an event before lanes are back to normal


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def default_peak_windows(year: int) -> list[PeakWindow]:
    """Singles' Day, Black Friday to Cyber Monday, the Christmas run-up, Chinese New Year."""
    thursday = thanksgiving(year)
    cyber_monday = thursday + timedelta(days=4)
    windows = [
        PeakWindow("singles-day", date(year, 11, 11), date(year, 11, 11 + CARRY_OVER_DAYS)),
        PeakWindow(
            "black-friday-cyber-monday",
            thursday,
            cyber_monday + timedelta(days=CARRY_OVER_DAYS),
        ),
        PeakWindow(
            "christmas", cyber_monday + timedelta(days=CARRY_OVER_DAYS + 1), date(year, 12, 24)
        ),
    ]
    new_year = CHINESE_NEW_YEAR.get(year)
    if new_year is not None:
        windows.append(
            PeakWindow(
                "chinese-new-year", new_year - timedelta(days=14), new_year + timedelta(days=14)
            )
        )
    return windows
