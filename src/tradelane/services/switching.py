"""Evaluate switching over every channel lane and act on it, in one transaction.

peak calendar ─▶ active peaks (peak-uplifted transit profiles; prepared backups)
shipments + assignments ─▶ measure_lanes ─▶ LaneHealth per lane
advisories active at now ─▶ lanes they hit (advisories.py): a decisive `advisory` breach each,
    their cause the advisory's scope
troubled lanes ─▶ shared causes (causes.py) ─▶ each opened switch names its cause and a backup
    re-scored now among channels not sharing it (backup_choice.py), and the re-route fee
channel_states + open switches ─▶ policy.decide per lane
    ─▶ changed lane states · switches closed / opened (audit rows + ops messages)
    ─▶ peak switches opened / closed (pre-activation)
    ─▶ "delay / customs hold" notices to buyers of parcels in flight on newly switched lanes
    ─▶ orders not yet handed over: the diverted share re-assigned (Reassigner port),
       "shipping via backup channel" notices
─▶ one commit: states, switches, re-assignments and outbox messages land together or not
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tradelane.domain.advisories import Advisory
from tradelane.domain.catalog import Catalogue
from tradelane.services.channel_health import measure_lanes
from tradelane.services.ports import Reassigner
from tradelane.services.switch_effects import (
    Event,
    announce,
    close_switch,
    divert_unshipped,
    notify_in_flight,
    open_switch,
)
from tradelane.store.uow import UnitOfWork
from tradelane.switching.advisories import advised_lanes, advisory_causes
from tradelane.switching.backup_choice import choose_backup
from tradelane.switching.causes import SharedCause, lane_causes
from tradelane.switching.health import LaneHealth, LaneProfile, lane_profiles
from tradelane.switching.peaks import PeakEvent, active_peaks, peak_calendar
from tradelane.switching.policy import Decision, LaneStatus, decide
from tradelane.switching.preparedness import plan_peak_switches
from tradelane.switching.states import (
    ActiveSwitch,
    HealthState,
    LaneKey,
    SwitchKind,
    SwitchRecord,
)
from tradelane.switching.triggers import Assessment, Evaluation, SwitchingRules

__all__ = ["EvaluationReport", "evaluate_switching", "peak_events_around"]


@dataclass
class EvaluationReport:
    evaluated_at: datetime
    lanes: int = 0
    states: Counter[HealthState] = field(default_factory=Counter)
    transitions: list[tuple[LaneKey, HealthState, HealthState]] = field(default_factory=list)
    opened: list[SwitchRecord] = field(default_factory=list)
    closed: list[SwitchRecord] = field(default_factory=list)
    reassigned: int = 0
    notices: int = 0
    active_peaks: list[str] = field(default_factory=list)


def peak_events_around(now: datetime, rules: SwitchingRules) -> list[PeakEvent]:
    """Peaks whose window can be open at `now`: this year's, and the neighbouring year's around
    New Year (a Chinese New Year window with its lead days can start in December)."""
    years = {now.year}
    if now.month == 12:
        years.add(now.year + 1)
    if now.month == 1:
        years.add(now.year - 1)
    return [event for year in sorted(years) for event in peak_calendar(year, rules.peaks)]


def evaluate_switching(
    *,
    uow: UnitOfWork,
    catalogue: Catalogue,
    rules: SwitchingRules,
    now: datetime,
    reassign: Reassigner,
    destinations: Sequence[str] = (),
) -> EvaluationReport:
    """One evaluation of every catalogue lane at `now`; commits once, or not at all.
    Customer notices and switch events go to the outbox once per webhook destination."""
    events = peak_events_around(now, rules)
    active = active_peaks(events, now.date())
    profiles = lane_profiles(catalogue, active_peaks=active)
    report = EvaluationReport(evaluated_at=now, active_peaks=[e.key for e in active])
    with uow:
        health = measure_lanes(uow.connection, profiles, now=now, stall=rules.triggers.stall_window)
        advised = advised_lanes(uow.advisories.active(now), catalogue)
        act = _Acting(uow, now, tuple(destinations), report)
        opened = _apply_policy(act, catalogue, profiles, health, rules, advised)
        _apply_peaks(act, events, health, rules)
        announce(uow, act.announced, now=now, destinations=destinations)
        report.notices += notify_in_flight(
            uow, opened, profiles=profiles, now=now, destinations=destinations
        )
        switches = [record.as_active() for record in uow.switches.open_switches()]
        report.reassigned, notices = divert_unshipped(
            uow,
            switches,
            reassign=reassign,
            catalogue=catalogue,
            profiles=profiles,
            now=now,
            destinations=destinations,
        )
        report.notices += notices
        uow.commit()
    return report


def _governing(records: Sequence[SwitchRecord]) -> dict[tuple[str, str | None], ActiveSwitch]:
    """Non-peak open switches by (channel, country|None), the widest per scope."""
    found: dict[tuple[str, str | None], ActiveSwitch] = {}
    for record in records:
        if record.kind is SwitchKind.PEAK:
            continue
        scope = (record.channel_id, record.country)
        known = found.get(scope)
        if known is None or record.share > known.share:
            found[scope] = record.as_active()
    return found


@dataclass(frozen=True)
class _Acting:
    """One evaluation's way of acting: its transaction, time, event destinations and report;
    the switch events it gathers (`announced`) are written together once it has acted."""

    uow: UnitOfWork
    now: datetime
    destinations: tuple[str, ...]
    report: EvaluationReport
    announced: list[Event] = field(default_factory=list)

    def open(self, **fields: Any) -> SwitchRecord:
        record = open_switch(
            self.uow,
            now=self.now,
            destinations=self.destinations,
            announced=self.announced,
            **fields,
        )
        self.report.opened.append(record)
        return record

    def close(self, switch_id: int, *, actor: str, ending: Mapping[str, Any]) -> None:
        record = close_switch(
            self.uow,
            switch_id,
            now=self.now,
            actor=actor,
            ending=ending,
            destinations=self.destinations,
            announced=self.announced,
        )
        self.report.closed.append(record)


@dataclass(frozen=True)
class _Targets:
    """Where a switch opened in this evaluation sends its traffic: the troubled lanes, their
    shared causes, and a backup re-scored now among channels not sharing the cause."""

    catalogue: Catalogue
    profiles: Mapping[LaneKey, LaneProfile]
    health: Mapping[LaneKey, LaneHealth]
    causes: Mapping[LaneKey, SharedCause]
    evaluation: Evaluation

    @classmethod
    def of(
        cls,
        catalogue: Catalogue,
        profiles: Mapping[LaneKey, LaneProfile],
        health: Mapping[LaneKey, LaneHealth],
        rules: SwitchingRules,
        states: Mapping[LaneKey, LaneStatus],
        advised: Mapping[LaneKey, Sequence[Advisory]],
        assessments: Mapping[LaneKey, Assessment],
    ) -> _Targets:
        """Causes inferred from readings (each lane's assessment of this evaluation),
        overridden on advised lanes by their advisory's."""
        troubled = [
            key
            for key in health
            if key in advised
            or assessments[key].breaching
            or states.get(key, LaneStatus()).state in (HealthState.DEGRADED, HealthState.FAILED)
        ]
        minimum = rules.triggers.min_stall_sample_parcels
        busy = [k for k, lane in health.items() if lane.stall_sample >= minimum]
        causes = {
            **lane_causes(catalogue, troubled, busy=busy),
            **advisory_causes({k: v for k, v in advised.items() if k in health}, catalogue),
        }
        return cls(catalogue, profiles, health, causes, rules.evaluation)

    def opening_fields(self, key: LaneKey, trigger: Mapping[str, Any]) -> dict[str, Any]:
        """Backup, trigger (with cause, backup score and re-route fee) and reason additions."""
        cause = self.causes.get(key) or SharedCause("channel", key[0], frozenset({key[0]}), 1, 1)
        backup = choose_backup(
            key,
            catalogue=self.catalogue,
            profiles=self.profiles,
            health=self.health,
            excluded=cause.channels,
            troubled=self.causes.keys(),
            max_price_ratio=self.evaluation.max_backup_price_ratio,
        )
        fee = self.evaluation.reroute_fee
        extra: dict[str, Any] = {
            "cause": cause.as_record(),
            "max_price_ratio": self.evaluation.max_backup_price_ratio,
        }
        if self.evaluation.rescue_price_ratio is not None:
            extra["rescue_price_ratio"] = self.evaluation.rescue_price_ratio
            extra["rescue_budget_share"] = self.evaluation.rescue_budget_share
        if backup is not None:
            extra["backup"] = backup.as_record()
        if fee is not None:
            extra["reroute_fee"] = f"{fee:.2f}"
        named = f"; backup {backup.channel_id}" if backup else "; no eligible backup"
        return {
            "backup_channel_id": backup.channel_id if backup else None,
            "trigger": {**trigger, **extra},
            "reason_suffix": f"; cause {cause.describe()}{named}",
        }


def _apply_policy(
    act: _Acting,
    catalogue: Catalogue,
    profiles: Mapping[LaneKey, LaneProfile],
    health: Mapping[LaneKey, LaneHealth],
    rules: SwitchingRules,
    advised: Mapping[LaneKey, Sequence[Advisory]],
) -> list[tuple[SwitchRecord, LaneHealth, frozenset[str]]]:
    """Decide every lane (each assessed once: the decisions' assessments also name the
    troubled lanes the switches' targets avoid); store changed states and switch changes.
    Returns the switches opened on lanes that had none (their buyers in flight are told)."""
    uow, report = act.uow, act.report
    stored = uow.channel_states.all()
    governing = _governing(uow.switches.open_switches())
    decisions = {
        key: decide(
            lane,
            stored.get(key, LaneStatus()),
            rules,
            now=act.now,
            switch=governing.get(key) or governing.get((key[0], None)),
            advisories=advised.get(key, ()),
        )
        for key, lane in health.items()
    }
    assessments = {key: decision.assessment for key, decision in decisions.items()}
    targets = _Targets.of(catalogue, profiles, health, rules, stored, advised, assessments)
    changed: dict[LaneKey, LaneStatus] = {}
    opened: list[tuple[SwitchRecord, LaneHealth, frozenset[str]]] = []
    for key, decision in decisions.items():
        lane, before = health[key], stored.get(key, LaneStatus())
        report.lanes += 1
        report.states[decision.status.state] += 1
        if decision.status != before:
            changed[key] = decision.status
        if decision.status.state is not before.state:
            report.transitions.append((key, before.state, decision.status.state))
        record = _act(act, key, lane, decision, targets)
        if record is not None and decision.closing is None:
            triggers = frozenset(b.trigger for b in decision.assessment.breaches)
            opened.append((record, lane, triggers))
    uow.channel_states.save(changed, now=act.now)
    return opened


def _act(
    act: _Acting, key: LaneKey, lane: LaneHealth, decision: Decision, targets: _Targets
) -> SwitchRecord | None:
    if decision.closing is not None:
        closing = decision.closing
        ending = {
            "reason": closing.reason,
            "state": decision.status.state.value,
            "health": lane.as_record(),
        }
        act.close(closing.switch_id, actor=closing.actor, ending=ending)
    if decision.opening is None:
        return None
    opening = decision.opening
    fields = targets.opening_fields(key, opening.trigger)
    return act.open(
        channel_id=key[0],
        country=key[1],
        backup_channel_id=fields["backup_channel_id"],
        share=opening.share,
        kind=SwitchKind.AUTOMATIC,
        trigger=fields["trigger"],
        reason=opening.reason + fields["reason_suffix"],
        actor=opening.actor,
    )


def _daily_volume(health: Mapping[LaneKey, LaneHealth]) -> dict[tuple[str, str | None], float]:
    """Parcels handed over in the last 24 h per lane, and per channel under (channel, None)."""
    volume: dict[tuple[str, str | None], float] = {}
    for (channel_id, country), lane in health.items():
        volume[(channel_id, country)] = lane.handed_over_24h
        volume[(channel_id, None)] = volume.get((channel_id, None), 0) + lane.handed_over_24h
    return volume


def _apply_peaks(
    act: _Acting,
    events: Sequence[PeakEvent],
    health: Mapping[LaneKey, LaneHealth],
    rules: SwitchingRules,
) -> None:
    openings, closings = plan_peak_switches(
        events,
        rules.peaks.preparations,
        [record.as_active() for record in act.uow.switches.open_switches()],
        today=act.now.date(),
        parcels_per_day=_daily_volume(health),
    )
    for closing in closings:
        act.close(closing.switch_id, actor="rule:peak_window", ending={"reason": closing.reason})
    for opening in openings:
        prep = opening.preparation
        act.open(
            channel_id=prep.channel_id,
            country=prep.country,
            backup_channel_id=prep.backup_channel_id,
            share=opening.share,
            kind=SwitchKind.PEAK,
            trigger=opening.trigger,
            reason=opening.reason,
            actor=f"rule:peak:{prep.peak}",
        )
