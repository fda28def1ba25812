"""The set-based sweep opens and resolves exactly what the pure per-shipment rules say (one
alert per parcel at a time: the first rule it breaks while it has none open), and
stores the revised ETA the pure function gives, on random shipments, on SQLite and PostgreSQL
(catalogue lanes with their derived and peak windows, per-channel and per-country overrides,
channels and countries outside the catalogue included)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select

from tests.builders import NOW
from tests.integration.shipment_rows import a_shipment_row, insert_shipments, update_shipment
from tradelane.domain.shipments import MILESTONE_RANK
from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.plan import MonitoringPlan, breached_rules
from tradelane.monitoring.rules import RULES, MilestoneTimes, RuleId, TimeField
from tradelane.monitoring.thresholds import (
    MonitoringConfig,
    ThresholdOverride,
    Thresholds,
)
from tradelane.selection.conditions import PeakWindow
from tradelane.services.sweep import sweep
from tradelane.store.tables import alerts, outbox, shipments
from tradelane.store.uow import UnitOfWork

CONFIG = MonitoringConfig(
    defaults=Thresholds(late_delivery_hours=12),
    overrides=(
        ThresholdOverride(country="BR", customs_hold_hours=168),
        ThresholdOverride(channel_id="cn-eu-truck", no_arrival_hours=480),
        ThresholdOverride(channel_id="cn-eu-truck", country="DE", no_arrival_hours=400),
        ThresholdOverride(channel_id="wh-duisburg", disabled=frozenset({RuleId.NO_DEPARTURE})),
    ),
)
PEAKS = (PeakWindow("black-friday", NOW.date() - timedelta(days=10), NOW.date()),)
PLAN = MonitoringPlan.build(CONFIG, default_catalogue().channels, PEAKS)
Pair = tuple[int, RuleId]


@dataclass(frozen=True)
class ShipmentState:
    times: MilestoneTimes
    channel_id: str | None
    country: str | None
    active: bool

    def first_breach(self, now: datetime) -> RuleId | None:
        """The rule an alert opens for when the parcel has none open (RULES order)."""
        found = self.breaches(now)
        return next((r.id for r in RULES if r.id in found), None)

    def breaches(self, now: datetime) -> frozenset[RuleId]:
        return breached_rules(
            self.times, channel_id=self.channel_id, country=self.country, plan=PLAN, now=now
        )

    def revised_eta(self, now: datetime) -> tuple[datetime | None, bool]:
        found = PLAN.revised_eta(
            self.times, channel_id=self.channel_id, country=self.country, now=now
        )
        return found.eta, found.promise_at_risk


# Hours around NOW, often exactly on (or an hour off) a window's end at either sweep.
LANE_HOURS = {
    hours
    for lane in PLAN.lanes
    if lane.channel_id in ("cn-eu-truck", "epacket-cn")
    for thresholds in (lane.thresholds, lane.peak_thresholds)
    for name, hours in thresholds.model_dump().items()
    if name.endswith("_hours") and hours is not None
}
WINDOW_HOURS = tuple(sorted({0, 12, 48, 72, 120, 168, 400, 480} | LANE_HOURS))
LATER_HOURS = (0, 1, 24, 72)
BOUNDARIES = sorted(
    {later - w + d for w in WINDOW_HOURS for later in LATER_HOURS for d in (-1, 0, 1)}
)
_hours = st.one_of(st.sampled_from(BOUNDARIES), st.integers(-900, 48))
_time = st.one_of(st.none(), _hours.map(lambda h: NOW + timedelta(hours=h)))
_any_times = st.builds(
    MilestoneTimes,
    status_rank=st.sampled_from(sorted(set(MILESTONE_RANK.values()))),
    **{field.value: _time for field in TimeField},
)
PROGRESS = [m for m in TimeField if m not in (TimeField.LAST_EVENT, TimeField.PROMISED)]


@st.composite
def _progressing_times(draw: st.DrawFn) -> MilestoneTimes:
    """Milestones reached in order up to a point (so rules breach often), at random times."""
    reached = draw(st.integers(0, len(PROGRESS)))
    fields = {f.value: NOW + timedelta(hours=draw(_hours)) for f in PROGRESS[:reached]}
    return MilestoneTimes(
        status_rank=draw(st.sampled_from(sorted(set(MILESTONE_RANK.values())))),
        last_event_at=draw(_time),
        promised_at=draw(_time),
        **fields,
    )


_times = st.one_of(_any_times, _progressing_times())
_states = st.builds(
    ShipmentState,
    times=_times,
    channel_id=st.sampled_from(
        [None, "cn-eu-truck", "wh-duisburg", "epacket-cn", "dhl-express-cn"]
    ),
    country=st.sampled_from([None, "DE", "BR", "US"]),
    active=st.booleans(),
)


def _columns(state: ShipmentState) -> dict[str, object]:
    return {
        **asdict(state.times),
        "channel_id": state.channel_id,
        "destination_country": state.country,
        "is_active": state.active,
    }


def _etas(engine: Engine) -> dict[int, tuple[datetime | None, bool]]:
    """Revised ETA and promise risk per shipment of the not-resolved alerts."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(alerts.c.shipment_id, alerts.c.revised_eta_at, alerts.c.promise_at_risk).where(
                alerts.c.state != "resolved"
            )
        )
        return {shipment: (eta, bool(risk)) for shipment, eta, risk in rows}


def _close(found: tuple[datetime | None, bool], wanted: tuple[datetime | None, bool]) -> bool:
    """Same risk and the same ETA to the second (SQL keeps whole seconds)."""
    (eta, risk), (eta_wanted, risk_wanted) = found, wanted
    if risk != risk_wanted or (eta is None) != (eta_wanted is None):
        return False
    return eta is None or eta_wanted is None or abs((eta - eta_wanted).total_seconds()) <= 1


def _alerts(engine: Engine) -> dict[str, set[Pair]]:
    by_state: dict[str, set[Pair]] = {"open": set(), "acknowledged": set(), "resolved": set()}
    with engine.connect() as connection:
        for shipment, rule, state in connection.execute(
            select(alerts.c.shipment_id, alerts.c.rule, alerts.c.state)
        ):
            by_state[state].add((shipment, RuleId(rule)))
    return by_state


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in (outbox, alerts, shipments):
            connection.execute(delete(table))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(_states, min_size=1, max_size=12),
    data=st.data(),
)
def test_sweep_opens_and_resolves_what_the_rules_say(
    engine: Engine, first: list[ShipmentState], data: st.DataObject
) -> None:
    _empty(engine)
    ids = insert_shipments(engine, *(a_shipment_row(**_columns(s)) for s in first))
    uow = UnitOfWork(engine)
    sweep(PLAN, uow=uow, now=NOW)
    opened = {
        (i, r)
        for i, s in zip(ids, first, strict=True)
        if s.active and (r := s.first_breach(NOW)) is not None
    }
    assert _alerts(engine) == {"open": opened, "acknowledged": set(), "resolved": set()}
    states = dict(zip(ids, first, strict=True))
    for shipment_id, found in _etas(engine).items():
        assert _close(found, states[shipment_id].revised_eta(NOW)), shipment_id

    second = data.draw(st.lists(_states, min_size=len(ids), max_size=len(ids)))
    later = NOW + timedelta(hours=data.draw(st.sampled_from(LATER_HOURS)))
    for shipment_id, state in zip(ids, second, strict=True):
        update_shipment(engine, shipment_id, **_columns(state))
    report = sweep(PLAN, uow=uow, now=later)
    now_state = dict(zip(ids, second, strict=True))
    kept = {(i, r) for i, r in opened if r in now_state[i].breaches(later)}
    held = {i for i, _ in kept}
    new = {
        (i, r)
        for i, s in zip(ids, second, strict=True)
        if s.active and i not in held and (r := s.first_breach(later)) is not None
    }
    still = kept | new
    found = _alerts(engine)
    assert found["open"] == still
    assert found["resolved"] == opened - still
    assert report.opened_total == len(new)
    states = dict(zip(ids, second, strict=True))
    for shipment_id, found in _etas(engine).items():
        assert _close(found, states[shipment_id].revised_eta(later)), shipment_id
