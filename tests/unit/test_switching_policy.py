"""The switching state machine, one transition at a time (pure: no store, no clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tradelane.switching.health import Flow, LaneHealth
from tradelane.switching.policy import Decision, LaneStatus, decide
from tradelane.switching.states import ActiveSwitch, HealthState, SwitchKind
from tradelane.switching.triggers import (
    Evaluation,
    Severity,
    SwitchingRules,
    Threshold,
    Triggers,
    assess,
)

T0 = datetime(2026, 9, 14, 8, tzinfo=UTC)
HOUR = timedelta(hours=1)
RULES = SwitchingRules(evaluation=Evaluation(enter_after_evaluations=3, recovery_hold_hours=24))
BREACH, SEVERE, CLEAR, ELEVATED = 60.0, 120.0, 10.0, 40.0  # lane delay hours vs 48 / 96


def reading(delay_hours: float, *, overdue: int = 30, **figures: float) -> LaneHealth:
    """A lane reading with its parcels flowing (a stall sample with nothing stalled)."""
    flow: dict[str, float] = {"stall_sample": 50, "stalled_at_origin": 0}
    return LaneHealth(
        "epacket-cn",
        "US",
        in_flight=10 * overdue,
        past_p50=2 * overdue,
        overdue=overdue,
        delay_p50_hours=delay_hours,
        **{**flow, **figures},  # type: ignore[arg-type]
    )


def a_switch(
    share: float = 0.3, kind: SwitchKind = SwitchKind.AUTOMATIC, *, switch_id: int = 7
) -> ActiveSwitch:
    return ActiveSwitch(switch_id, "epacket-cn", "US", share, kind=kind)


def run(
    delays: list[float], *, state: LaneStatus | None = None, switch: ActiveSwitch | None = None
) -> list[Decision]:
    """Evaluate hourly from T0, applying each decision's switch changes like the service does."""
    status = state or LaneStatus()
    decisions = []
    for hour, delay in enumerate(delays):
        decision = decide(reading(delay), status, RULES, now=T0 + hour * HOUR, switch=switch)
        if decision.closing is not None:
            switch = None
        if decision.opening is not None:
            switch = a_switch(decision.opening.share, switch_id=100 + hour)
        status = decision.status
        decisions.append(decision)
    return decisions


def test_fewer_than_k_breaching_readings_open_nothing() -> None:
    decisions = run([BREACH, BREACH])
    assert [d.opening for d in decisions] == [None, None]
    assert decisions[-1].status == LaneStatus(breaching_streak=2)


def test_the_kth_consecutive_breach_degrades_the_lane_and_opens_a_partial_switch() -> None:
    last = run([BREACH, BREACH, BREACH])[-1]
    assert last.status == LaneStatus(state=HealthState.DEGRADED, since=T0 + 2 * HOUR)
    assert last.opening is not None and last.opening.share == 0.3
    assert last.opening.actor == "rule:lane_delay_hours"
    assert last.opening.trigger["consecutive_evaluations"] == 3
    assert last.opening.trigger["breaches"] == [
        {"trigger": "lane_delay_hours", "value": 60.0, "threshold": 48, "severity": "degraded"}
    ]


def test_a_non_breaching_reading_between_breaches_restarts_the_count() -> None:
    decisions = run([BREACH, BREACH, ELEVATED, BREACH, BREACH])
    assert all(d.opening is None for d in decisions)
    assert decisions[-1].status.breaching_streak == 2


def test_a_failed_level_kth_reading_fails_the_lane_with_a_full_switch() -> None:
    last = run([BREACH, BREACH, SEVERE])[-1]
    assert last.status.state is HealthState.FAILED
    assert last.opening is not None and last.opening.share == 1.0


def test_a_degraded_lane_escalates_after_k_failed_level_readings() -> None:
    decisions = run([BREACH] * 3 + [SEVERE] * 3)
    assert [d.status.state for d in decisions[3:]] == [HealthState.DEGRADED] * 2 + [
        HealthState.FAILED
    ]
    escalation = decisions[-1]
    assert escalation.closing is not None and escalation.closing.switch_id == 102
    assert escalation.closing.actor == "rule:escalation"
    assert escalation.opening is not None and escalation.opening.share == 1.0
    assert escalation.opening.trigger["from_state"] == "degraded"


def test_a_lane_showing_no_flow_recovers_only_after_the_longer_silent_hold() -> None:
    status = run([BREACH] * 3)[-1].status
    silent = LaneHealth(
        "epacket-cn", "US", in_flight=300, past_p50=60, overdue=30, delay_p50_hours=CLEAR
    )
    evaluation = RULES.evaluation
    closed_at = []
    for hour in range(3, 3 + int(evaluation.silent_recovery_hold_hours) + 2):
        decision = decide(silent, status, RULES, now=T0 + hour * HOUR, switch=a_switch())
        status = decision.status
        if decision.closing is not None:
            closed_at.append(hour - 3)
    assert closed_at == [int(evaluation.silent_recovery_hold_hours)]
    assert evaluation.silent_recovery_hold_hours > evaluation.recovery_hold_hours


def test_a_clear_reading_starts_recovery_and_keeps_the_switch_open() -> None:
    decisions = run([BREACH] * 3 + [CLEAR])
    assert decisions[-1].status == LaneStatus(
        state=HealthState.RECOVERING, since=T0 + 3 * HOUR, healthy_since=T0 + 3 * HOUR
    )
    assert decisions[-1].closing is None


def test_recovery_completes_only_after_the_hold_period_of_clear_readings() -> None:
    decisions = run([BREACH] * 3 + [CLEAR] * 26)
    recovering = [d for d in decisions[3:] if d.status.state is HealthState.RECOVERING]
    assert len(recovering) == 24  # hours 3..26 clear but the hold (24 h from hour 3) not served
    done = decisions[27]
    assert done.status == LaneStatus(state=HealthState.HEALTHY, since=T0 + 27 * HOUR)
    assert done.closing is not None and done.closing.actor == "rule:recovery_hold"
    assert done.closing.reason.startswith("recovered: clear readings for 24.0 h")


def test_an_elevated_reading_during_recovery_restarts_the_hold() -> None:
    decisions = run([BREACH] * 3 + [CLEAR] * 20 + [ELEVATED] + [CLEAR] * 24)
    assert all(d.closing is None for d in decisions[:-1])
    assert decisions[-1].closing is None and decisions[-1].status.state is HealthState.RECOVERING
    assert run([BREACH] * 3 + [CLEAR] * 20 + [ELEVATED] + [CLEAR] * 25)[-1].closing is not None


def test_a_breach_during_recovery_returns_to_degraded_at_once_without_a_new_switch() -> None:
    last = run([BREACH] * 3 + [CLEAR] * 5 + [BREACH])[-1]
    assert last.status.state is HealthState.DEGRADED
    assert last.opening is None and last.closing is None


def test_a_failed_level_breach_during_recovery_widens_a_partial_switch() -> None:
    last = run([BREACH] * 3 + [CLEAR] + [SEVERE])[-1]
    assert last.status.state is HealthState.FAILED
    assert last.closing is not None and last.opening is not None and last.opening.share == 1.0


def test_a_pinned_lane_tracks_its_state_but_switches_are_never_touched() -> None:
    pinned = a_switch(1.0, SwitchKind.PINNED)
    decisions = run([BREACH] * 3 + [SEVERE] * 3 + [CLEAR] * 30, switch=pinned)
    assert HealthState.FAILED in {d.status.state for d in decisions}
    assert decisions[-1].status.state is HealthState.HEALTHY
    assert all(d.opening is None and d.closing is None for d in decisions)


def test_a_channel_wide_forced_switch_is_left_for_a_person_to_release() -> None:
    channel_wide = replace(a_switch(1.0, SwitchKind.FORCED), country=None)
    failed = LaneStatus(state=HealthState.FAILED, since=T0)
    decisions = run([CLEAR] * 30, state=failed, switch=channel_wide)
    assert decisions[-1].status.state is HealthState.HEALTHY
    assert all(d.closing is None for d in decisions)


def test_a_forced_lane_switch_closes_after_the_same_recovery_hold() -> None:
    forced = a_switch(1.0, SwitchKind.FORCED)
    decisions = run([CLEAR] * 26, state=LaneStatus(HealthState.FAILED, since=T0), switch=forced)
    closings = [(hour, d.closing) for hour, d in enumerate(decisions) if d.closing]
    assert [(hour, c.switch_id) for hour, c in closings] == [(24, 7)]


def test_too_few_overdue_parcels_are_not_judged() -> None:
    least = RULES.triggers.min_overdue_parcels
    few = assess(reading(500, overdue=least - 1), RULES.triggers)
    assert few.severity is Severity.CLEAR
    assert assess(reading(500, overdue=least), RULES.triggers).severity is Severity.FAILED


def test_every_trigger_grades_its_own_figure() -> None:
    triggers = Triggers(
        backlog_parcels=Threshold(degraded=1000),
        backlog_capacity_hours=Threshold(degraded=24),
        capacity_used=Threshold(degraded=1.0),
    )
    cases = {
        "backlog_parcels": {"backlog_parcels": 1500},
        "backlog_capacity_hours": {"backlog_capacity_hours": 50.0},
        "clearance_hours": {  # judged only where the clearance flow shows and has slowed
            "clearance_hours": 120.0,
            "arrived": 30,
            "clearances": Flow(recent=2, reference=40),
        },
        "exception_rate": {"exception_rate": 0.2, "in_flight": 20},
        "capacity_used": {"capacity_used": 1.0},
        "origin_stall_share": {"stalled_at_origin": 10, "stall_sample": 40},
        "pickup_silence_share": {"not_picked_up": 15, "pickup_sample": 40},
    }
    for name, figures in cases.items():
        health = LaneHealth("c", "US", **figures)
        assessment = assess(health, triggers)
        assert [b.trigger for b in assessment.breaches] == [name], name


def stall(stalled: int, sample: int) -> LaneHealth:
    return LaneHealth("epacket-cn", "US", stall_sample=sample, stalled_at_origin=stalled)


def test_too_few_stalled_parcels_are_no_evidence_whatever_their_share() -> None:
    least = RULES.triggers.min_waiting_parcels
    few = assess(stall(least - 1, least - 1), RULES.triggers)
    enough = assess(stall(least, least), RULES.triggers)
    assert not few.breaching
    assert (enough.severity, enough.decisive) == (Severity.FAILED, True)


def test_stalled_departures_open_a_switch_at_once_whose_reason_names_the_stall_share() -> None:
    decision = decide(stall(12, 40), LaneStatus(), RULES, now=T0)
    assert decision.opening is not None
    assert decision.opening.actor == "rule:origin_stall_share"
    assert decision.opening.reason == (
        "degraded: origin_stall_share 0.3 >= 0.2 (degraded) for 1 evaluation(s)"
    )
    breach = decision.opening.trigger["breaches"][0]
    assert breach["p_value"] < RULES.triggers.waiting_alpha


def test_an_unsurprising_stall_share_never_breaches_but_holds_recovery() -> None:
    noisy = stall(7, 40)  # 17.5 %: above clear, not surprising at a 5 % normal share
    reading_ = assess(noisy, RULES.triggers)
    assert reading_.severity is Severity.ELEVATED and not reading_.clear_with_flow


def test_a_switched_off_trigger_never_breaches() -> None:
    quiet = Triggers(capacity_used=None)
    assert assess(LaneHealth("c", "US", capacity_used=3.0), quiet).severity is Severity.CLEAR
