"""Parcels stalled at origin switch a lane on the store (SQLite and PostgreSQL): a third of the
US lane's parcels picked up 60 h ago have not departed, far more than the lane's normal share,
so the lane degrades on the first evaluation; a few stalled are noise; traffic returns once
departures resume and the hold has passed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from tests.switching_builders import HOUR, store_shipment
from tests.switching_fakes import RecordingReassigner
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.rules_file import default_rules
from tradelane.services.switching import EvaluationReport, evaluate_switching
from tradelane.store.tables import channel_states, shipments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import HealthState, SwitchKind

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)  # a quiet week: no peak window is open
CHANNEL = "epacket-cn"
PICKED_UP = T0 - 60 * HOUR
RULES = default_rules()


def _store_departures(uow: UnitOfWork, *, departed: int, stalled: int) -> None:
    with uow:
        for i in range(departed + stalled):
            store_shipment(
                uow,
                f"ST{i:04d}CN",
                CHANNEL,
                handed_over_at=PICKED_UP,
                picked_up_at=PICKED_UP,
                # departed 12 h ago: the lane's departures flow, only its share stalls
                departed_origin_at=PICKED_UP + 48 * HOUR if i < departed else None,
            )
        uow.commit()


def _evaluate(uow: UnitOfWork, hours: int) -> EvaluationReport:
    return evaluate_switching(
        uow=uow,
        catalogue=default_catalogue(),
        rules=RULES,
        now=T0 + hours * HOUR,
        reassign=RecordingReassigner(),
    )


def _us_lane(uow: UnitOfWork) -> tuple[str, int]:
    with uow:
        row = uow.connection.execute(
            select(channel_states.c.state, channel_states.c.breaching_streak).where(
                channel_states.c.channel_id == CHANNEL, channel_states.c.country == "US"
            )
        ).one()
    return row.state, row.breaching_streak


def test_parcels_stalled_at_origin_degrade_the_lane_at_the_first_evaluation(
    uow: UnitOfWork,
) -> None:
    _store_departures(uow, departed=30, stalled=15)
    first = _evaluate(uow, 0)
    assert [(r.country, r.share, r.kind, r.actor) for r in first.opened] == [
        ("US", 0.3, SwitchKind.AUTOMATIC, "rule:origin_stall_share")
    ]
    assert "origin_stall_share 0.3333 >= 0.2 (degraded) for 1 evaluation(s)" in (
        first.opened[0].reason
    )
    assert first.opened[0].trigger["cause"]["kind"] == "channel"
    assert first.opened[0].backup_channel_id not in (None, CHANNEL)
    assert _us_lane(uow) == ("degraded", 0)


def test_a_few_parcels_stalled_at_origin_are_noise(uow: UnitOfWork) -> None:
    _store_departures(uow, departed=60, stalled=3)
    for hour in range(4):
        report = _evaluate(uow, hour)
        assert report.opened == []
        assert report.states == {HealthState.HEALTHY: report.lanes}


def test_a_stalled_lane_recovers_once_departures_resume_and_the_hold_has_passed(
    uow: UnitOfWork,
) -> None:
    _store_departures(uow, departed=20, stalled=25)
    for hour in range(3):
        _evaluate(uow, hour)
    assert _us_lane(uow) == ("failed", 0)  # 25 of 45 stalled: above the 0.5 failed level
    with uow:
        uow.connection.execute(update(shipments).values(departed_origin_at=T0 + 3 * HOUR))
        uow.commit()
    assert _evaluate(uow, 4).closed == []
    assert _us_lane(uow)[0] == "recovering"
    # no new parcel reaches the lane, so its flow leaves the stall window: the silent hold
    hold = int(RULES.evaluation.silent_recovery_hold_hours)
    assert _evaluate(uow, 4 + hold - 1).closed == []  # an hour short of the hold: still holding
    released = _evaluate(uow, 4 + hold).closed
    assert [(r.country, r.ended_by) for r in released] == [("US", "rule:recovery_hold")]
    assert _us_lane(uow)[0] == "healthy"
