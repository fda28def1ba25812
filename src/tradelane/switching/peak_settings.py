"""Peak-season settings of the rules file: windows, configured dates, cut-offs, preparations.

Window lengths, cut-off advances and the non-US Christmas cut-offs are estimates to replace
with your own; the US cut-off and the Prime Day dates are published (sources inline).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tradelane.domain.geo import CountryCode

__all__ = [
    "DatedSpan",
    "MonthDay",
    "PeakPreparation",
    "PeakSettings",
    "PeakWindow",
]

PEAK_KINDS = (
    "black_friday",
    "cyber_monday",
    "singles_day",
    "six_eighteen",
    "prime_day",
    "christmas_cutoff",
    "chinese_new_year",
)
PeakName = Annotated[str, Field(pattern=f"^({'|'.join(PEAK_KINDS)})$")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PeakWindow(_Model):
    """Days before and after a peak's headline day during which switching prepares for it."""

    run_up_days: int = Field(ge=0, le=60)
    tail_days: int = Field(ge=0, le=60)


class DatedSpan(_Model):
    name: str = Field(min_length=1)
    starts_on: date
    ends_on: date
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError(f"ends_on {self.ends_on} is before starts_on {self.starts_on}")
        return self


class MonthDay(_Model):
    """A date that recurs every year, e.g. a Christmas cut-off: month and day, with its source."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    source: str = ""
    estimate: bool = True

    @model_validator(mode="after")
    def _exists(self) -> Self:
        date(2024, self.month, self.day)  # a leap year: 29 February allowed, 31 April refused
        return self

    def on(self, year: int) -> date:
        return date(year, self.month, self.day)


class PeakPreparation(_Model):
    """Pre-arranged backup capacity for one peak: when the peak's window opens (`lead_days`
    earlier), `share` of the channel's new orders on the lane(s) move to the backup, capped so
    the backup never gets more than `reserved_parcels_per_day`."""

    peak: PeakName
    channel_id: str = Field(min_length=1)
    country: CountryCode | None = None
    backup_channel_id: str | None = None
    share: float = Field(gt=0, le=1)
    reserved_parcels_per_day: int | None = Field(default=None, ge=1)
    lead_days: int = Field(default=0, ge=0, le=30)


def _default_windows() -> dict[str, PeakWindow]:
    # estimates: Black Friday week from its Monday through the weekend, Singles' Day pre-sales
    return {
        "black_friday": PeakWindow(run_up_days=4, tail_days=2),
        "cyber_monday": PeakWindow(run_up_days=0, tail_days=3),
        "singles_day": PeakWindow(run_up_days=10, tail_days=5),
        "six_eighteen": PeakWindow(run_up_days=7, tail_days=3),
        "prime_day": PeakWindow(run_up_days=2, tail_days=3),
        "christmas_cutoff": PeakWindow(run_up_days=14, tail_days=0),
    }


def _default_prime_days() -> list[DatedSpan]:
    return [
        DatedSpan(
            name="Prime Day",
            starts_on=date(2024, 7, 16),
            ends_on=date(2024, 7, 17),
            source="retailwire.com, 2025-06-18",
        ),
        DatedSpan(
            name="Prime Day",
            starts_on=date(2025, 7, 8),
            ends_on=date(2025, 7, 11),
            source="retailwire.com, 2025-06-18",
        ),
        DatedSpan(
            name="Prime Big Deal Days",
            starts_on=date(2025, 10, 7),
            ends_on=date(2025, 10, 8),
            source="times-online MarketMinute, 2025-09-18",
        ),
    ]


def _default_christmas_cutoffs() -> dict[str, MonthDay]:
    usps = "USPS Ground Advantage 2024, contiguous US (wrce.fm, 2024-12-16); reused yearly"
    return {
        "US": MonthDay(month=12, day=18, source=usps),
        "DE": MonthDay(month=12, day=20, source="estimate"),
        "FR": MonthDay(month=12, day=19, source="estimate"),
        "ES": MonthDay(month=12, day=19, source="estimate"),
        "GB": MonthDay(month=12, day=18, source="estimate"),
    }


class PeakSettings(_Model):
    windows: dict[PeakName, PeakWindow] = Field(default_factory=_default_windows)
    prime_days: list[DatedSpan] = Field(default_factory=_default_prime_days)
    christmas_cutoffs: dict[CountryCode, MonthDay] = Field(
        default_factory=_default_christmas_cutoffs
    )
    christmas_deliver_by: MonthDay = MonthDay(month=12, day=24, source="estimate")
    # factories close "at least 1–2 weeks"; slowdown 1–2 weeks before, ramp-up 1–2 weeks after
    # (dhl.com/discover; logicmilelc.com): the upper bound, an estimate
    cny_slowdown_days: int = Field(default=14, ge=0, le=60)
    cny_ramp_up_days: int = Field(default=14, ge=0, le=60)
    # how much earlier than usual the daily hand-over cut-off falls during a peak (estimate)
    cutoff_advance_hours: dict[PeakName, Annotated[float, Field(ge=0, le=24)]] = Field(
        default_factory=lambda: {"black_friday": 2.0, "cyber_monday": 2.0, "singles_day": 2.0}
    )
    preparations: list[PeakPreparation] = Field(default_factory=list)

    def window(self, kind: str) -> PeakWindow:
        return self.windows.get(kind, PeakWindow(run_up_days=0, tail_days=0))
