from datetime import UTC, date, datetime, timedelta

from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.plan import MonitoringPlan, breached_rules
from tradelane.monitoring.rules import MilestoneTimes, RuleId
from tradelane.monitoring.thresholds import MonitoringConfig, ThresholdOverride
from tradelane.selection.conditions import PeakWindow

NOW = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
PEAK = PeakWindow("black-friday", date(2026, 11, 26), date(2026, 12, 7))
CHANNELS = default_catalogue().channels


def _plan(config: MonitoringConfig | None = None) -> MonitoringPlan:
    return MonitoringPlan.build(config or MonitoringConfig(), CHANNELS, [PEAK])


def test_a_sea_lane_waits_its_own_line_haul_for_arrival_and_express_keeps_seven_days() -> None:
    plan = _plan()
    sea = plan.thresholds_for("cn-us-fastsea", "US", MilestoneTimes(handed_over_at=NOW))
    express = plan.thresholds_for("dhl-express-cn", "US", MilestoneTimes(handed_over_at=NOW))
    assert sea.no_arrival_hours > 14 * 24
    assert express.no_arrival_hours == 7 * 24
    assert express.no_departure_hours == 48


def test_surface_legs_are_silent_for_as_long_as_they_last_but_express_scans_daily() -> None:
    plan = _plan()
    truck = plan.thresholds_for("cn-eu-truck", "DE", MilestoneTimes(handed_over_at=NOW))
    express = plan.thresholds_for("dhl-express-cn", "US", MilestoneTimes(handed_over_at=NOW))
    assert truck.no_event_in_transit_hours == truck.no_arrival_hours > 5 * 24
    assert express.no_event_in_transit_hours == 5 * 24


def test_parcels_handed_over_in_a_peak_get_the_uplifted_windows() -> None:
    plan = _plan()
    in_peak = MilestoneTimes(handed_over_at=datetime(2026, 11, 28, tzinfo=UTC))
    off = plan.thresholds_for("cn-us-fastsea", "US", MilestoneTimes(handed_over_at=NOW))
    peak = plan.thresholds_for("cn-us-fastsea", "US", in_peak)
    assert peak.no_arrival_hours > off.no_arrival_hours


def test_a_window_an_override_names_wins_over_the_lanes_own() -> None:
    config = MonitoringConfig(
        overrides=(ThresholdOverride(channel_id="cn-us-fastsea", no_arrival_hours=100),)
    )
    found = _plan(config).thresholds_for("cn-us-fastsea", "US", MilestoneTimes())
    assert found.no_arrival_hours == 100
    assert found.late_delivery_floor_hours is not None


def test_a_shipment_outside_the_catalogue_keeps_the_configured_windows() -> None:
    found = _plan().thresholds_for("someone-else", "US", MilestoneTimes())
    assert found.no_arrival_hours == 7 * 24 and found.late_delivery_floor_hours is None


def test_late_within_the_lanes_ordinary_spread_raises_no_late_delivery() -> None:
    plan = _plan()
    floor = plan.thresholds_for("epacket-cn", "US", MilestoneTimes()).late_delivery_floor_hours
    assert floor is not None
    picked = NOW - timedelta(hours=floor - 24)
    times = MilestoneTimes(
        status_rank=2, picked_up_at=picked, departed_origin_at=picked, promised_at=NOW
    )
    later = NOW + timedelta(hours=24)
    late_now = breached_rules(times, channel_id="epacket-cn", country="US", plan=plan, now=NOW)
    late_later = breached_rules(times, channel_id="epacket-cn", country="US", plan=plan, now=later)
    assert RuleId.LATE_DELIVERY not in late_now
    assert RuleId.LATE_DELIVERY in late_later


def test_a_stalled_parcels_revised_eta_passes_its_promise() -> None:
    plan = _plan()
    times = MilestoneTimes(
        status_rank=1, picked_up_at=NOW, promised_at=NOW + timedelta(days=8), handed_over_at=NOW
    )
    early = plan.revised_eta(times, channel_id="dhl-express-cn", country="US", now=NOW)
    stalled = plan.revised_eta(
        times, channel_id="dhl-express-cn", country="US", now=NOW + timedelta(days=6)
    )
    assert early.eta is not None and not early.promise_at_risk
    assert stalled.eta is not None and stalled.promise_at_risk


def _sea_parcel(departed_days_ago: float, promise_in_days: float) -> MilestoneTimes:
    departed = NOW - timedelta(days=departed_days_ago)
    return MilestoneTimes(
        status_rank=2,
        handed_over_at=departed - timedelta(days=2),
        picked_up_at=departed - timedelta(days=1),
        departed_origin_at=departed,
        last_event_at=departed,
        promised_at=NOW + timedelta(days=promise_in_days),
    )


def _at_risk(times: MilestoneTimes, channel_id: str = "cn-us-fastsea") -> bool:
    found = breached_rules(times, channel_id=channel_id, country="US", plan=_plan(), now=NOW)
    return RuleId.PROMISE_AT_RISK in found


def test_a_parcel_whose_eta_passes_its_promise_is_flagged_before_the_promise_passes() -> None:
    plan = _plan()
    late = _sea_parcel(departed_days_ago=20, promise_in_days=2)
    eta = plan.revised_eta(late, channel_id="cn-us-fastsea", country="US", now=NOW)
    assert eta.promise_at_risk and late.promised_at is not None and late.promised_at > NOW
    assert _at_risk(late)


def test_a_parcel_on_its_lanes_schedule_is_not_at_risk() -> None:
    plan = _plan()
    on_time = _sea_parcel(departed_days_ago=1, promise_in_days=40)
    eta = plan.revised_eta(on_time, channel_id="cn-us-fastsea", country="US", now=NOW)
    assert not eta.promise_at_risk
    assert not _at_risk(on_time)


def test_a_shipment_outside_the_catalogue_has_no_eta_and_raises_no_promise_risk() -> None:
    late = _sea_parcel(departed_days_ago=20, promise_in_days=2)
    assert not _at_risk(late, channel_id="not-in-catalogue")


def test_a_delivered_parcel_is_never_at_risk() -> None:
    late = _sea_parcel(departed_days_ago=20, promise_in_days=-1)
    delivered = MilestoneTimes(**{**_fields(late), "status_rank": 9, "delivered_at": NOW})
    assert not _at_risk(delivered)


def _fields(times: MilestoneTimes) -> dict[str, object]:
    return {name: getattr(times, name) for name in times.__slots__}


def test_a_parcel_late_only_at_its_lanes_median_pace_is_not_yet_flagged() -> None:
    plan = _plan()
    lane = plan.lane("cn-us-fastsea", "US")
    assert lane is not None
    median_h, quick_h = sum(lane.legs_hours[1:]), sum(lane.quick_legs_hours[1:])
    assert quick_h < median_h
    departed = NOW - timedelta(hours=1)
    times = MilestoneTimes(
        status_rank=2,
        handed_over_at=departed - timedelta(days=2),
        departed_origin_at=departed,
        last_event_at=departed,
        promised_at=departed + timedelta(hours=(quick_h + median_h) / 2),
    )
    eta = plan.revised_eta(times, channel_id="cn-us-fastsea", country="US", now=NOW)
    assert eta.promise_at_risk and not _at_risk(times)
