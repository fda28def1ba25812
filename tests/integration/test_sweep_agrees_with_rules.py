"""The set-based sweep opens and resolves exactly what the pure per-shipment rules say,
on random shipments, on SQLite and PostgreSQL (per-channel and per-lane windows included)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, select

from tests.builders import NOW
from tests.integration.shipment_rows import a_shipment_row, insert_shipments, update_shipment
from tradelane.domain.shipments import MILESTONE_RANK
from tradelane.monitoring.rules import MilestoneTimes, RuleId, TimeField
from tradelane.monitoring.thresholds import (
    MonitoringConfig,
    ThresholdOverride,
    Thresholds,
    breached_rules,
)
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
Pair = tuple[int, RuleId]


@dataclass(frozen=True)
class ShipmentState:
    times: MilestoneTimes
    channel_id: str | None
    country: str | None
    active: bool

    def breaches(self, now: datetime) -> frozenset[RuleId]:
        return breached_rules(
            self.times, channel_id=self.channel_id, country=self.country, config=CONFIG, now=now
        )


# Whole hours around NOW, often exactly on (or an hour off) a window's end at either sweep.
WINDOW_HOURS = (0, 12, 48, 72, 120, 168, 400, 480)
LATER_HOURS = (0, 1, 24, 72)
BOUNDARIES = sorted(
    {later - w + d for w in WINDOW_HOURS for later in LATER_HOURS for d in (-1, 0, 1)}
)
_hours = st.one_of(st.sampled_from(BOUNDARIES), st.integers(-500, 48))
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
    channel_id=st.sampled_from([None, "cn-eu-truck", "wh-duisburg", "epacket-cn"]),
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
    sweep(CONFIG, uow=uow, now=NOW)
    opened = {(i, r) for i, s in zip(ids, first, strict=True) if s.active for r in s.breaches(NOW)}
    assert _alerts(engine) == {"open": opened, "acknowledged": set(), "resolved": set()}

    second = data.draw(st.lists(_states, min_size=len(ids), max_size=len(ids)))
    later = NOW + timedelta(hours=data.draw(st.sampled_from(LATER_HOURS)))
    for shipment_id, state in zip(ids, second, strict=True):
        update_shipment(engine, shipment_id, **_columns(state))
    report = sweep(CONFIG, uow=uow, now=later)
    still = {
        (i, r)
        for i, s in zip(ids, second, strict=True)
        for r in s.breaches(later)
        if s.active or (i, r) in opened
    }
    found = _alerts(engine)
    assert found["open"] == still
    assert found["resolved"] == opened - still
    assert report.opened_total == len(still - opened)
