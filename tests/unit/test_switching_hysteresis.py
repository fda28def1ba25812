"""Property: a noisy health signal around the threshold never makes the policy flap more than
the hysteresis allows (K breaching evaluations to switch, a hold of clear ones to return)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tradelane.switching.health import LaneHealth
from tradelane.switching.policy import LaneStatus, decide
from tradelane.switching.states import ActiveSwitch
from tradelane.switching.triggers import Evaluation, Severity, SwitchingRules, assess

T0 = datetime(2026, 9, 14, tzinfo=UTC)
HOUR = timedelta(hours=1)

# lane delay hours around the 48 h degraded level (clear below 38.4, failed from 96)
noisy_delays = st.lists(st.floats(min_value=20, max_value=110), min_size=1, max_size=250)


@dataclass
class Trace:
    severities: list[Severity] = field(default_factory=list)
    first_opens: list[int] = field(default_factory=list)  # a switch where there was none
    widenings: list[int] = field(default_factory=list)
    closes: list[int] = field(default_factory=list)


def replay(delays: list[float], rules: SwitchingRules) -> Trace:
    """Evaluate hourly, applying switch changes as the service does."""
    trace, status, switch = Trace(), LaneStatus(), None
    for hour, delay in enumerate(delays):
        health = LaneHealth(
            "epacket-cn", "US", in_flight=200, past_p50=40, overdue=20, delay_p50_hours=delay
        )
        decision = decide(health, status, rules, now=T0 + hour * HOUR, switch=switch)
        trace.severities.append(assess(health, rules.triggers).severity)
        if decision.closing is not None and decision.opening is None:
            trace.closes.append(hour)
            switch = None
        if decision.opening is not None:
            (trace.widenings if switch else trace.first_opens).append(hour)
            switch = ActiveSwitch(hour, "epacket-cn", "US", decision.opening.share)
        status = decision.status
    return trace


@settings(max_examples=300, deadline=None)
@given(
    delays=noisy_delays,
    k=st.integers(min_value=1, max_value=6),
    hold_hours=st.integers(min_value=1, max_value=48),
)
def test_noisy_signal_never_flaps_more_than_the_hysteresis_allows(
    delays: list[float], k: int, hold_hours: int
) -> None:
    rules = SwitchingRules(
        evaluation=Evaluation(enter_after_evaluations=k, recovery_hold_hours=hold_hours)
    )
    trace = replay(delays, rules)
    for hour in trace.first_opens:  # K consecutive breaching evaluations behind every switch
        window = trace.severities[hour - k + 1 : hour + 1]
        assert hour + 1 >= k and all(s >= Severity.DEGRADED for s in window)
    for hour in trace.closes:  # a hold of clear evaluations behind every return
        window = trace.severities[hour - hold_hours : hour + 1]
        assert hour >= hold_hours and all(s is Severity.CLEAR for s in window)
    episodes = len(trace.first_opens)
    assert episodes * k + max(episodes - 1, 0) * (hold_hours + 1) <= len(delays)
    assert len(trace.widenings) <= episodes  # at most one escalation per episode
    assert len(trace.closes) <= episodes


@given(st.lists(st.floats(min_value=48, max_value=95), min_size=1, max_size=100))
def test_a_signal_that_never_breaches_twice_in_a_row_never_switches(breaches: list[float]) -> None:
    rules = SwitchingRules(evaluation=Evaluation(enter_after_evaluations=2))
    alternating = [value for breach in breaches for value in (breach, 30.0)]
    assert replay(alternating, rules).first_opens == []
