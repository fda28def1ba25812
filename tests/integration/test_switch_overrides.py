"""Manual override (force, pin, release), peak pre-activation and all-or-nothing evaluation,
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.switching_builders import DAY, HOUR, store_assigned_order
from tests.switching_fakes import RecordingReassigner
from tradelane.domain.errors import Conflict, NotFound, ValidationError
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.rules_file import default_rules
from tradelane.services.switch_overrides import (
    ManualSwitch,
    force_switch,
    list_switches,
    release_switch,
    selection_overrides,
)
from tradelane.services.switching import evaluate_switching
from tradelane.store.tables import channel_states, outbox, switches
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch, HealthState, SwitchKind

NOW = datetime(2026, 9, 14, 8, tzinfo=UTC)
CATALOGUE = default_catalogue()
RULES = default_rules()
HOOKS = ["https://seller.example/a", "https://seller.example/b"]


def _force(uow: UnitOfWork, reassigner: RecordingReassigner, **fields: object) -> int:
    request = ManualSwitch(
        **{
            "channel_id": "epacket-cn",
            "country": "US",
            "reason": "carrier strike",
            "actor": "alice",
            **fields,
        }
    )
    record = force_switch(
        request,
        uow=uow,
        catalogue=CATALOGUE,
        now=NOW,
        reassign=reassigner,
        destinations=HOOKS,
    )
    return record.switch_id


def _counts(uow: UnitOfWork) -> tuple[int, int, int]:
    with uow:
        return tuple(
            uow.connection.scalar(select(func.count()).select_from(table))
            for table in (switches, outbox, channel_states)
        )


def test_forcing_a_switch_records_the_person_fails_the_lane_and_moves_unshipped_orders(
    uow: UnitOfWork,
) -> None:
    with uow:
        for i in range(5):
            store_assigned_order(uow, f"ORD-{i}", "epacket-cn")
        uow.commit()
    reassigner = RecordingReassigner()
    switch_id = _force(uow, reassigner, backup_channel_id="dhl-express-cn")
    (record,) = list_switches(uow=uow)
    assert (record.switch_id, record.kind, record.actor, record.reason) == (
        switch_id,
        SwitchKind.FORCED,
        "person:alice",
        "carrier strike",
    )
    assert reassigner.moved_ids == [f"ORD-{i}" for i in range(5)]
    assert {(switch, at) for _, switch, at in reassigner.calls} == {(switch_id, NOW)}
    overrides = selection_overrides(uow=uow)
    assert overrides.state("epacket-cn", "US") is HealthState.FAILED
    assert overrides.diversion("NEW", "epacket-cn", "US") == ActiveSwitch(
        switch_id, "epacket-cn", "US", 1.0, "dhl-express-cn", SwitchKind.FORCED
    )
    with uow:
        sent = uow.outbox.messages()
    for hook in HOOKS:  # every webhook gets every event, in order
        topics = [m.topic for m in sent if m.destination == hook]
        assert topics == ["switch.opened"] + ["customer.notice"] * 5


def test_a_second_switch_on_the_same_scope_is_a_conflict(uow: UnitOfWork) -> None:
    _force(uow, RecordingReassigner())
    with pytest.raises(Conflict, match="release it first"):
        _force(uow, RecordingReassigner(), share=0.5)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"share": 1.5}, "share"),
        ({"share": 0.0}, "share"),
        ({"country": "JP"}, "country"),
        ({"country": "XX"}, "country"),
        ({"backup_channel_id": "epacket-cn"}, "backup"),
        ({"backup_channel_id": "wh-duisburg"}, "backup"),
        ({"actor": " "}, "actor/reason"),
    ],
)
def test_bad_override_input_changes_nothing(
    uow: UnitOfWork, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _force(uow, RecordingReassigner(), **fields)
    assert caught.value.field == field
    assert _counts(uow) == (0, 0, 0)


def test_an_unknown_channel_is_not_found_and_changes_nothing(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound):
        _force(uow, RecordingReassigner(), channel_id="no-such-line")
    assert _counts(uow) == (0, 0, 0)


def test_release_ends_the_switch_with_the_person_and_returns_the_lane_to_healthy(
    uow: UnitOfWork,
) -> None:
    switch_id = _force(uow, RecordingReassigner())
    later = NOW + 5 * HOUR
    released = release_switch(switch_id, actor="bob", reason="strike over", uow=uow, now=later)
    assert (released.ended_at, released.ended_by) == (later, "person:bob")
    assert released.trigger["ending"] == {"reason": "strike over", "released_by": "bob"}
    assert selection_overrides(uow=uow).switches == ()
    assert selection_overrides(uow=uow).state("epacket-cn", "US") is HealthState.HEALTHY
    with pytest.raises(Conflict, match="already ended"):
        release_switch(switch_id, actor="bob", reason="again", uow=uow, now=later)
    with pytest.raises(NotFound):
        release_switch(999, actor="bob", reason="", uow=uow, now=later)


def test_a_pinned_switch_survives_healthy_evaluations_until_a_person_releases_it(
    uow: UnitOfWork,
) -> None:
    reassigner = RecordingReassigner()
    pin_id = _force(uow, reassigner, country=None, kind=SwitchKind.PINNED, share=0.5)
    for hour in range(0, 72, 6):
        evaluate_switching(
            uow=uow, catalogue=CATALOGUE, rules=RULES, now=NOW + hour * HOUR, reassign=reassigner
        )
    assert [r.switch_id for r in list_switches(uow=uow)] == [pin_id]
    release_switch(pin_id, actor="alice", reason="done", uow=uow, now=NOW + 3 * DAY)
    assert list_switches(uow=uow) == []


def test_a_forced_lane_switch_closes_after_the_recovery_hold_of_healthy_readings(
    uow: UnitOfWork,
) -> None:
    reassigner = RecordingReassigner()
    switch_id = _force(uow, reassigner)
    # no new parcel reaches the lane, so its flow leaves the stall window: the silent hold
    hold = int(RULES.evaluation.silent_recovery_hold_hours)
    for hour in range(1, hold + 1):
        evaluate_switching(
            uow=uow, catalogue=CATALOGUE, rules=RULES, now=NOW + hour * HOUR, reassign=reassigner
        )
    assert [r.switch_id for r in list_switches(uow=uow)] == [switch_id]
    report = evaluate_switching(
        uow=uow, catalogue=CATALOGUE, rules=RULES, now=NOW + (hold + 1) * HOUR, reassign=reassigner
    )
    assert [(r.switch_id, r.ended_by) for r in report.closed] == [(switch_id, "rule:recovery_hold")]


def test_a_prepared_peak_pre_activates_its_backup_and_ends_with_the_window(
    uow: UnitOfWork,
) -> None:
    reassigner = RecordingReassigner()
    with uow:
        store_assigned_order(uow, "WAITING", "epacket-cn")
        uow.commit()
    quiet = evaluate_switching(
        uow=uow,
        catalogue=CATALOGUE,
        rules=RULES,
        now=datetime(2026, 11, 21, 9, tzinfo=UTC),
        reassign=reassigner,
    )
    assert quiet.opened == []
    starting = evaluate_switching(
        uow=uow,
        catalogue=CATALOGUE,
        rules=RULES,
        now=datetime(2026, 11, 22, 9, tzinfo=UTC),
        reassign=reassigner,
    )
    (peak,) = starting.opened
    assert (peak.kind, peak.channel_id, peak.country, peak.backup_channel_id, peak.share) == (
        SwitchKind.PEAK,
        "epacket-cn",
        "US",
        "yun-line-cn",
        0.3,
    )
    assert peak.actor == "rule:peak:black_friday"
    assert peak.trigger["peak_key"] == "black_friday-2026-11-27"
    assert reassigner.calls == []  # a peak switch moves new orders only
    ended = evaluate_switching(
        uow=uow,
        catalogue=CATALOGUE,
        rules=RULES,
        now=datetime(2026, 11, 30, 9, tzinfo=UTC),
        reassign=reassigner,
    )
    assert [(r.switch_id, r.ended_by) for r in ended.closed] == [
        (peak.switch_id, "rule:peak_window")
    ]


class FailingReassigner:
    def __call__(
        self, order_ids: Sequence[str], *, away_from: ActiveSwitch, uow: UnitOfWork, now: datetime
    ) -> Mapping[str, str]:
        raise RuntimeError("selection engine unavailable")


def test_an_evaluation_that_fails_midway_stores_nothing(uow: UnitOfWork) -> None:
    reassigner = RecordingReassigner()
    switch_id = _force(uow, reassigner)
    with uow:
        store_assigned_order(uow, "LATE-ORDER", "epacket-cn")
        uow.commit()
    before = _counts(uow)
    with pytest.raises(RuntimeError, match="unavailable"):
        evaluate_switching(
            uow=uow,
            catalogue=CATALOGUE,
            rules=RULES,
            now=NOW + 25 * HOUR,
            reassign=FailingReassigner(),
        )
    assert _counts(uow) == before
    assert [r.switch_id for r in list_switches(uow=uow)] == [switch_id]
