"""The peak calendar and peak-season preparedness (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tradelane.switching.peak_settings import DatedSpan, MonthDay, PeakPreparation, PeakSettings
from tradelane.switching.peaks import (
    PeakKind,
    active_peaks,
    black_friday,
    chinese_new_year,
    cyber_monday,
    peak_calendar,
    us_thanksgiving,
)
from tradelane.switching.preparedness import (
    christmas_last_handover,
    effective_cutoff_local,
    plan_peak_switches,
)
from tradelane.switching.states import ActiveSwitch, SwitchKind

SETTINGS = PeakSettings()


@pytest.mark.parametrize(
    ("year", "thanksgiving", "friday", "monday"),
    [
        (2025, date(2025, 11, 27), date(2025, 11, 28), date(2025, 12, 1)),  # sourced
        (2026, date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30)),
        (2027, date(2027, 11, 25), date(2027, 11, 26), date(2027, 11, 29)),
    ],
)
def test_black_friday_and_cyber_monday_follow_us_thanksgiving(
    year: int, thanksgiving: date, friday: date, monday: date
) -> None:
    assert (us_thanksgiving(year), black_friday(year), cyber_monday(year)) == (
        thanksgiving,
        friday,
        monday,
    )


def test_thanksgiving_is_always_the_fourth_thursday_of_november() -> None:
    for year in range(2000, 2060):
        day = us_thanksgiving(year)
        assert day.month == 11 and day.weekday() == 3 and 22 <= day.day <= 28


@pytest.mark.parametrize(
    ("year", "new_year_day"),
    [(2026, date(2026, 2, 17)), (2027, date(2027, 2, 6)), (2028, date(2028, 1, 26))],
)
def test_chinese_new_year_comes_from_the_china_holiday_calendar(
    year: int, new_year_day: date
) -> None:
    cny = chinese_new_year(year)
    assert cny.new_year_day == new_year_day
    assert cny.holiday_starts_on <= new_year_day <= cny.holiday_ends_on


def test_the_2026_spring_festival_shutdown_spans_the_official_days_off() -> None:
    cny = chinese_new_year(2026)
    assert (cny.holiday_starts_on, cny.holiday_ends_on) == (date(2026, 2, 15), date(2026, 2, 23))


def test_chinese_new_year_peak_adds_two_weeks_of_slowdown_and_ramp_up() -> None:
    event = next(e for e in peak_calendar(2026, SETTINGS) if e.kind is PeakKind.CHINESE_NEW_YEAR)
    assert (event.starts_on, event.ends_on) == (date(2026, 2, 1), date(2026, 3, 9))
    assert event.origins == {"CN"} and event.estimate
    assert event.affects("US", "CN") and not event.affects("DE", "DE")


def test_calendar_holds_every_kind_with_singles_day_and_six_eighteen_on_their_dates() -> None:
    events = {e.kind: e for e in peak_calendar(2025, SETTINGS)}
    assert set(events) == set(PeakKind)
    assert events[PeakKind.SINGLES_DAY].day == date(2025, 11, 11)
    assert events[PeakKind.SIX_EIGHTEEN].day == date(2025, 6, 18)
    assert events[PeakKind.SIX_EIGHTEEN].estimate  # unverified
    assert not events[PeakKind.BLACK_FRIDAY].estimate


def test_prime_day_appears_only_in_configured_years() -> None:
    assert [e.day for e in peak_calendar(2025, SETTINGS) if e.kind is PeakKind.PRIME_DAY] == [
        date(2025, 7, 8),
        date(2025, 10, 7),
    ]
    assert not [e for e in peak_calendar(2026, SETTINGS) if e.kind is PeakKind.PRIME_DAY]
    configured = PeakSettings(
        prime_days=[
            DatedSpan(name="Prime Day", starts_on=date(2026, 7, 7), ends_on=date(2026, 7, 10))
        ]
    )
    prime = [e for e in peak_calendar(2026, configured) if e.kind is PeakKind.PRIME_DAY]
    assert [(e.starts_on, e.ends_on) for e in prime] == [(date(2026, 7, 5), date(2026, 7, 13))]


def test_christmas_cutoffs_are_per_market_events() -> None:
    cutoffs = {
        e.markets: e.day
        for e in peak_calendar(2026, SETTINGS)
        if e.kind is PeakKind.CHRISTMAS_CUTOFF
    }
    assert cutoffs[frozenset({"US"})] == date(2026, 12, 18)
    assert len(cutoffs) == len(SETTINGS.christmas_cutoffs)


def test_black_friday_window_covers_its_week_and_is_active_on_cyber_weekend() -> None:
    events = peak_calendar(2026, SETTINGS)
    assert {e.kind for e in active_peaks(events, date(2026, 11, 28))} == {PeakKind.BLACK_FRIDAY}
    assert {e.kind for e in active_peaks(events, date(2026, 11, 30))} == {PeakKind.CYBER_MONDAY}
    assert active_peaks(events, date(2026, 9, 14)) == []


def test_peak_cutoff_moves_the_daily_handover_earlier() -> None:
    events = active_peaks(peak_calendar(2026, SETTINGS), date(2026, 11, 27))
    assert effective_cutoff_local("17:00", events, SETTINGS) == "15:00"
    assert effective_cutoff_local("17:00", [], SETTINGS) == "17:00"
    assert effective_cutoff_local("01:00", events, SETTINGS) == "00:00"


def test_christmas_last_handover_subtracts_the_uplifted_p90_transit() -> None:
    day = christmas_last_handover(24, 40, year=2026, settings=SETTINGS)
    assert day == date(2026, 12, 24) - timedelta(days=34)  # ceil(24 days × 1.4)


BF_PREP = PeakPreparation(
    peak="black_friday",
    channel_id="epacket-cn",
    country="US",
    backup_channel_id="yun-line-cn",
    share=0.3,
    reserved_parcels_per_day=1000,
    lead_days=1,
)


def test_prepared_backup_is_pre_activated_lead_days_before_the_peak_window() -> None:
    events = peak_calendar(2026, SETTINGS)
    volume = {("epacket-cn", "US"): 2000.0}
    before, _ = plan_peak_switches(
        events, [BF_PREP], [], today=date(2026, 11, 21), parcels_per_day=volume
    )
    assert before == []
    openings, closings = plan_peak_switches(
        events, [BF_PREP], [], today=date(2026, 11, 22), parcels_per_day=volume
    )
    assert closings == [] and len(openings) == 1
    assert openings[0].event.key == "black_friday-2026-11-27"
    assert openings[0].trigger["peak_key"] == "black_friday-2026-11-27"
    assert openings[0].share == 0.3  # 30 % of 2,000 fits in the 1,000 reserved


def test_share_is_capped_to_the_reserved_backup_capacity() -> None:
    events = peak_calendar(2026, SETTINGS)
    volume = {("epacket-cn", "US"): 5000.0}
    openings, _ = plan_peak_switches(
        events, [BF_PREP], [], today=date(2026, 11, 27), parcels_per_day=volume
    )
    assert openings[0].share == pytest.approx(0.2)


def test_running_peak_switch_is_kept_and_closed_when_the_window_ends() -> None:
    events = peak_calendar(2026, SETTINGS)
    running = ActiveSwitch(
        9, "epacket-cn", "US", 0.3, "yun-line-cn", SwitchKind.PEAK, "black_friday-2026-11-27"
    )
    during = plan_peak_switches(
        events, [BF_PREP], [running], today=date(2026, 11, 28), parcels_per_day={}
    )
    assert during == ([], [])
    _, closings = plan_peak_switches(
        events, [BF_PREP], [running], today=date(2026, 11, 30), parcels_per_day={}
    )
    assert [c.switch_id for c in closings] == [9]


def test_a_month_day_that_never_exists_is_refused() -> None:
    with pytest.raises(ValueError, match="day is out of range"):
        MonthDay(month=4, day=31)
