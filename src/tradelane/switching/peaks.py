"""The peak calendar: dated periods of high volume or low capacity (DOMAIN.md §4).

    year + PeakSettings ─▶ peak_calendar() ─▶ [PeakEvent] ─▶ active_peaks(day)

Derived dates (sourced rules):
- US Thanksgiving is the 4th Thursday of November; Black Friday the next day; Cyber Monday the
  Monday after (2025 Nov 27/28/Dec 1 sourced; 2026 Nov 26/27/30, 2027 Nov 25/26/29 computed).
- Singles' Day is 11 November (Alibaba, since 2009). JD's 6.18 is 18 June (**unverified**).
- Chinese New Year and the official holiday span come from the `holidays` package's China
  calendar (2026-02-17 and 2027-02-06 agree with DOMAIN.md §4).
Configured dates: Amazon Prime Day (announced yearly), Christmas shipping cut-offs per market.
Every window length around a headline day is an estimate and lives in `PeakSettings`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

from tradelane.switching.peak_settings import PeakSettings

__all__ = [
    "PeakEffect",
    "PeakEvent",
    "PeakKind",
    "active_peaks",
    "black_friday",
    "chinese_new_year",
    "cyber_monday",
    "peak_calendar",
    "us_thanksgiving",
]


class PeakKind(StrEnum):
    BLACK_FRIDAY = "black_friday"
    CYBER_MONDAY = "cyber_monday"
    SINGLES_DAY = "singles_day"
    SIX_EIGHTEEN = "six_eighteen"
    PRIME_DAY = "prime_day"
    CHRISTMAS_CUTOFF = "christmas_cutoff"
    CHINESE_NEW_YEAR = "chinese_new_year"


class PeakEffect(StrEnum):
    VOLUME = "volume"  # demand spike: more parcels than usual
    CAPACITY = "capacity"  # carriers and factories at origin slow down or close
    CUTOFF = "cutoff"  # last days to ship for a dated delivery


@dataclass(frozen=True)
class PeakEvent:
    """One peak in one year. `markets` empty: every destination; `origins` empty: every origin.
    The window [starts_on, ends_on] (inclusive) is when switching prepares for it."""

    kind: PeakKind
    name: str
    day: date
    starts_on: date
    ends_on: date
    effect: PeakEffect
    source: str
    estimate: bool
    markets: frozenset[str] = frozenset()
    origins: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """Stable identity: kind, market of a per-market peak, headline day
        (e.g. 'black_friday-2026-11-27', 'christmas_cutoff-US-2026-12-18')."""
        scope = "-".join(sorted(self.markets))
        return "-".join(p for p in (self.kind.value, scope, self.day.isoformat()) if p)

    def is_active(self, day: date, *, lead_days: int = 0) -> bool:
        return self.starts_on - timedelta(days=lead_days) <= day <= self.ends_on

    def affects(self, country: str, origin: str) -> bool:
        return (not self.markets or country in self.markets) and (
            not self.origins or origin in self.origins
        )


def us_thanksgiving(year: int) -> date:
    """The fourth Thursday of November."""
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(calendar.THURSDAY - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=3)


def black_friday(year: int) -> date:
    return us_thanksgiving(year) + timedelta(days=1)


def cyber_monday(year: int) -> date:
    return us_thanksgiving(year) + timedelta(days=4)


@dataclass(frozen=True)
class ChineseNewYear:
    new_year_day: date
    holiday_starts_on: date  # first non-working day of the official span
    holiday_ends_on: date  # last non-working day of the official span


@cache
def chinese_new_year(year: int) -> ChineseNewYear:
    """Spring Festival of `year` from the China calendar of the `holidays` package; the span is
    the run of non-working days (weekends and official days off) around it. Cached: the
    calendar of a year does not change within a process."""
    china = holidays.country_holidays("CN", years=year, language="en_US")
    new_year_day = min(
        day
        for day, name in china.items()
        if day.year == year and "Spring Festival" in name and "Eve" not in name
    )
    start = end = new_year_day
    while not china.is_working_day(start - timedelta(days=1)):
        start -= timedelta(days=1)
    while not china.is_working_day(end + timedelta(days=1)):
        end += timedelta(days=1)
    return ChineseNewYear(new_year_day, start, end)


def _around(
    kind: PeakKind,
    name: str,
    day: date,
    settings: PeakSettings,
    *,
    effect: PeakEffect,
    source: str,
    estimate: bool,
    markets: frozenset[str] = frozenset(),
) -> PeakEvent:
    window = settings.window(kind.value)
    return PeakEvent(
        kind=kind,
        name=name,
        day=day,
        starts_on=day - timedelta(days=window.run_up_days),
        ends_on=day + timedelta(days=window.tail_days),
        effect=effect,
        source=source,
        estimate=estimate,
        markets=markets,
    )


def _shopping_days(year: int, settings: PeakSettings) -> list[PeakEvent]:
    volume = PeakEffect.VOLUME
    return [
        _around(
            PeakKind.BLACK_FRIDAY,
            "Black Friday",
            black_friday(year),
            settings,
            effect=volume,
            source="day after US Thanksgiving, 4th Thursday of November (elmanana.com, 2025-11-20)",
            estimate=False,
        ),
        _around(
            PeakKind.CYBER_MONDAY,
            "Cyber Monday",
            cyber_monday(year),
            settings,
            effect=volume,
            source="Monday after US Thanksgiving (notisclepr5c-la.com, 2025-10-31)",
            estimate=False,
        ),
        _around(
            PeakKind.SINGLES_DAY,
            "Singles' Day 11.11",
            date(year, 11, 11),
            settings,
            effect=volume,
            source="11 November, Alibaba promotion since 2009 (klarna.com; languageplaza.nl, 2021)",
            estimate=False,
        ),
        _around(
            PeakKind.SIX_EIGHTEEN,
            "JD 6.18",
            date(year, 6, 18),
            settings,
            effect=volume,
            source="18 June — unverified",
            estimate=True,
        ),
    ]


def _prime_days(year: int, settings: PeakSettings) -> list[PeakEvent]:
    window = settings.window(PeakKind.PRIME_DAY.value)
    return [
        PeakEvent(
            kind=PeakKind.PRIME_DAY,
            name=span.name,
            day=span.starts_on,
            starts_on=span.starts_on - timedelta(days=window.run_up_days),
            ends_on=span.ends_on + timedelta(days=window.tail_days),
            effect=PeakEffect.VOLUME,
            source=span.source,
            estimate=False,
        )
        for span in settings.prime_days
        if span.starts_on.year == year
    ]


def _christmas_cutoffs(year: int, settings: PeakSettings) -> list[PeakEvent]:
    return [
        _around(
            PeakKind.CHRISTMAS_CUTOFF,
            f"Christmas shipping cut-off {country}",
            cutoff.on(year),
            settings,
            effect=PeakEffect.CUTOFF,
            source=cutoff.source,
            estimate=cutoff.estimate,
            markets=frozenset({country}),
        )
        for country, cutoff in sorted(settings.christmas_cutoffs.items())
    ]


def _chinese_new_year(year: int, settings: PeakSettings) -> PeakEvent:
    cny = chinese_new_year(year)
    return PeakEvent(
        kind=PeakKind.CHINESE_NEW_YEAR,
        name="Chinese New Year carrier shutdown",
        day=cny.new_year_day,
        starts_on=cny.holiday_starts_on - timedelta(days=settings.cny_slowdown_days),
        ends_on=cny.holiday_ends_on + timedelta(days=settings.cny_ramp_up_days),
        effect=PeakEffect.CAPACITY,
        source=(
            "China calendar of the holidays package; slowdown and ramp-up of 1–2 weeks each "
            "(dhl.com/discover; logicmilelc.com) — estimate"
        ),
        estimate=True,
        origins=frozenset({"CN"}),
    )


def peak_calendar(year: int, settings: PeakSettings) -> list[PeakEvent]:
    """Every peak whose headline day falls in `year`, ordered by window start."""
    events = [
        *_shopping_days(year, settings),
        *_prime_days(year, settings),
        *_christmas_cutoffs(year, settings),
        _chinese_new_year(year, settings),
    ]
    return sorted(events, key=lambda e: (e.starts_on, e.day, e.key))


def active_peaks(events: Iterable[PeakEvent], day: date) -> list[PeakEvent]:
    return [event for event in events if event.is_active(day)]
