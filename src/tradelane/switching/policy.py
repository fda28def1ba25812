"""The switching policy: a pure state machine per lane, with hysteresis.

                 K breaching readings                K failed-level readings
    healthy ───────────────────────▶ degraded ─────────────────────────▶ failed
       ▲         (or failed, if the    │  ▲  clear reading                 │
       │          K-th is failed-level) ▼  │ breach (back at once)         │ clear reading
       └──────────── hold period ─── recovering ◀────────────────────────┘
                   of clear readings

- Entering needs K consecutive breaching evaluations (`enter_after_evaluations`); fewer, or
  any non-breaching reading in between, and nothing happens. A statistically tested breach
  (a lane's waiting share its own binomial test finds surprising, triggers.py) is decisive:
  one reading is enough, so a lane whose pickups or departures stop switches within hours.
- Recovery needs clear readings for the whole hold period (`recovery_hold_hours`); an elevated
  reading restarts the hold, a breaching one sends the lane back to degraded/failed at once —
  its switch is still open, so traffic does not flap. A lane whose traffic was switched away
  shows no flow (no waiting share judged), and silence is not recovery: closing on a flowless
  reading needs the longer `silent_recovery_hold_hours`.
- Degraded opens a partial switch (`partial_share` of new orders), failed a full one; an
  escalation closes the partial switch and opens the full one. A switch is never narrowed
  before recovery completes. Recovery closes it and traffic returns.
- An advisory active on the lane is a decisive breach (triggers.py): the lane switches at the
  first evaluation after it is recorded; once it ends, the lane recovers through the hold.
- The policy opens and closes only lane-scoped `automatic` and `forced` switches. A pinned or
  channel-wide switch holds the lane: states are still tracked, but no switch is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from tradelane.domain.advisories import Advisory
from tradelane.switching.health import LaneHealth
from tradelane.switching.states import ActiveSwitch, HealthState, SwitchKind
from tradelane.switching.triggers import Assessment, Severity, SwitchingRules, assess

__all__ = ["Decision", "LaneStatus", "SwitchClosing", "SwitchOpening", "decide"]

MANAGED_KINDS = frozenset({SwitchKind.AUTOMATIC, SwitchKind.FORCED})


@dataclass(frozen=True)
class LaneStatus:
    """What the policy remembers about a lane between evaluations.

    `breaching_streak` counts consecutive breaching readings while healthy, and consecutive
    failed-level readings while degraded; `healthy_since` starts the recovery hold.
    """

    state: HealthState = HealthState.HEALTHY
    since: datetime | None = None
    breaching_streak: int = 0
    healthy_since: datetime | None = None


@dataclass(frozen=True)
class SwitchOpening:
    share: float
    reason: str
    trigger: dict[str, Any]
    actor: str


@dataclass(frozen=True)
class SwitchClosing:
    switch_id: int
    reason: str
    actor: str


@dataclass(frozen=True)
class Decision:
    status: LaneStatus
    assessment: Assessment
    opening: SwitchOpening | None = None
    closing: SwitchClosing | None = None


def decide(
    health: LaneHealth,
    state: LaneStatus,
    rules: SwitchingRules,
    *,
    now: datetime,
    switch: ActiveSwitch | None = None,
    advisories: Sequence[Advisory] = (),
) -> Decision:
    """One evaluation of one lane: its new status and the switch to open and/or close.

    `switch` is the open non-peak switch covering the lane (lane-scoped first, else
    channel-wide); `advisories` those active at `now` that hit the lane. The caller applies
    the decision: closes `closing`, opens `opening`.
    """
    assessment = assess(health, rules.triggers, advisories=advisories)
    step = _STEPS[state.state]
    return step(_Context(health, state, rules, now, assessment, switch))


@dataclass(frozen=True)
class _Context:
    health: LaneHealth
    state: LaneStatus
    rules: SwitchingRules
    now: datetime
    assessment: Assessment
    switch: ActiveSwitch | None

    @property
    def k(self) -> int:
        return self.rules.evaluation.enter_after_evaluations

    @property
    def managed(self) -> bool:
        """The policy may open (no switch) or change (a lane-scoped managed one) the switch."""
        switch = self.switch
        return switch is None or (switch.kind in MANAGED_KINDS and switch.country is not None)

    def moved(self, state: HealthState, **fields: Any) -> LaneStatus:
        return LaneStatus(state=state, since=self.now, **fields)

    def decision(self, status: LaneStatus, **actions: Any) -> Decision:
        return Decision(status=status, assessment=self.assessment, **actions)


def _share_for(state: HealthState, rules: SwitchingRules) -> float:
    evaluation = rules.evaluation
    return evaluation.full_share if state is HealthState.FAILED else evaluation.partial_share


def _opening(ctx: _Context, target: HealthState, evaluations: int) -> SwitchOpening:
    first = ctx.assessment.breaches[0].trigger if ctx.assessment.breaches else "breach"
    trigger = {
        "rules": ctx.rules.name,
        "from_state": ctx.state.state.value,
        "to_state": target.value,
        "consecutive_evaluations": evaluations,
        "breaches": [b.as_record() for b in ctx.assessment.breaches],
        "health": ctx.health.as_record(),
    }
    reason = f"{target.value}: {ctx.assessment.summary()} for {evaluations} evaluation(s)"
    return SwitchOpening(_share_for(target, ctx.rules), reason, trigger, f"rule:{first}")


def _on_healthy(ctx: _Context) -> Decision:
    if not ctx.assessment.breaching:
        return ctx.decision(replace(ctx.state, breaching_streak=0))
    streak = ctx.state.breaching_streak + 1
    if streak < ctx.k and not ctx.assessment.decisive:
        return ctx.decision(replace(ctx.state, breaching_streak=streak))
    failed = ctx.assessment.severity is Severity.FAILED
    target = HealthState.FAILED if failed else HealthState.DEGRADED
    opening = _opening(ctx, target, streak) if ctx.switch is None else None
    return ctx.decision(ctx.moved(target), opening=opening)


def _widen(ctx: _Context, target: HealthState, evaluations: int) -> dict[str, Any]:
    """Close a narrower managed switch and open one at the target's share."""
    switch = ctx.switch
    wanted = _share_for(target, ctx.rules)
    if not ctx.managed or (switch is not None and switch.share >= wanted):
        return {}
    actions: dict[str, Any] = {"opening": _opening(ctx, target, evaluations)}
    if switch is not None:
        reason = f"widened to {wanted:.0%}: {ctx.assessment.summary()}"
        actions["closing"] = SwitchClosing(switch.switch_id, reason, "rule:escalation")
    return actions


def _on_degraded(ctx: _Context) -> Decision:
    severity = ctx.assessment.severity
    if severity is Severity.CLEAR:
        return ctx.decision(ctx.moved(HealthState.RECOVERING, healthy_since=ctx.now))
    if severity is not Severity.FAILED:
        return ctx.decision(replace(ctx.state, breaching_streak=0))
    streak = ctx.state.breaching_streak + 1
    if streak < ctx.k and not ctx.assessment.decisive:
        return ctx.decision(replace(ctx.state, breaching_streak=streak))
    return ctx.decision(ctx.moved(HealthState.FAILED), **_widen(ctx, HealthState.FAILED, streak))


def _on_failed(ctx: _Context) -> Decision:
    if ctx.assessment.severity is Severity.CLEAR:
        return ctx.decision(ctx.moved(HealthState.RECOVERING, healthy_since=ctx.now))
    return ctx.decision(ctx.state)


def _on_recovering(ctx: _Context) -> Decision:
    severity = ctx.assessment.severity
    if ctx.assessment.breaching:
        failed = severity is Severity.FAILED
        target = HealthState.FAILED if failed else HealthState.DEGRADED
        return ctx.decision(ctx.moved(target), **_widen(ctx, target, 1))
    if severity is Severity.ELEVATED:
        return ctx.decision(replace(ctx.state, healthy_since=None))
    healthy_since = ctx.state.healthy_since or ctx.now
    evaluation = ctx.rules.evaluation
    flowing = ctx.assessment.clear_with_flow
    hold = timedelta(
        hours=evaluation.recovery_hold_hours if flowing else evaluation.silent_recovery_hold_hours
    )
    if ctx.now - healthy_since < hold:
        return ctx.decision(replace(ctx.state, healthy_since=healthy_since))
    closing = None
    if ctx.switch is not None and ctx.managed:
        hours = (ctx.now - healthy_since) / timedelta(hours=1)
        reason = (
            f"recovered: clear readings for {hours:.1f} h (hold {hold / timedelta(hours=1):g} h)"
        )
        closing = SwitchClosing(ctx.switch.switch_id, reason, "rule:recovery_hold")
    return ctx.decision(ctx.moved(HealthState.HEALTHY), closing=closing)


_STEPS = {
    HealthState.HEALTHY: _on_healthy,
    HealthState.DEGRADED: _on_degraded,
    HealthState.FAILED: _on_failed,
    HealthState.RECOVERING: _on_recovering,
}
