"""The control loop: who watches the channels and how switches reach the parcels.

    every control period (at hh:30)
      automated      AdvisoryBoard.publish / end (announced disruptions due) ─▶
                     Monitor.sweep ─▶ detections · Switcher.evaluate ─▶ apply each change
      static_backup  ManualDesk.review(longest origin wait) ─▶ apply full switches;
                     ManualDesk.read_advisories ─▶ full switches on the lanes they hit
      oracle         (hourly) [lanes plan] every lane a disruption in force hits ─▶ full
                     switch, avoiding every channel one hits (back at its end) ·
                     Oracle.rescue ─▶ relabel waiting parcels · re-route at the hub
      primary_only   nothing

Applying a switch: the switchboard diverts later orders; unshipped parcels on the channel
(labelled, not picked up) that the switch selects move to their backup with a new label and
a notice; with a re-route fee, parcels it selects that wait at the origin hub move to a line
from the same hub (reroute.py); under tradelane, customers of in-flight parcels get a
revised ETA notice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from tradelane.domain.advisories import lanes_hit
from tradelane.domain.errors import NotFound
from tradelane.monitoring.rules import tells_buyer
from tradelane.simulation.announcements import Announcement, advisory_of, announcements
from tradelane.simulation.events import parcel_of
from tradelane.simulation.oracle import RESCUE_EVERY_H
from tradelane.simulation.parcels import Moves, ParcelDraws
from tradelane.simulation.ports import OpenedAlert, SwitchChange
from tradelane.simulation.reroute import HubReroutes, keeps_promise
from tradelane.simulation.run import AlertLog, AppliedSwitch, Detection, DisruptionSpan
from tradelane.simulation.strategies import ManualDesk, StrategyKind
from tradelane.simulation.switchboard import ALL_COUNTRIES, ActiveSwitch

if TYPE_CHECKING:
    from tradelane.simulation.model import SeasonModel

__all__ = ["Control"]

NO_COUNTRY = -2  # a switch for a market the season has no orders to
CONTROL_PHASE_H = 0.5
ORACLE_REASON = "oracle: a known disruption delays it; another line delivers it on time"
ORACLE_LANE_REASON = "oracle: a known disruption is in force on this lane"


class Control:
    def __init__(self, model: SeasonModel, draws: ParcelDraws) -> None:
        self.model = model
        self.draws = draws
        self.switches: list[AppliedSwitch] = []
        self.detections: list[Detection] = []
        self._moves: list[tuple[np.ndarray, int, np.ndarray, float]] = []
        self._alerts: list[tuple[int, float, str]] = []
        self.desk = ManualDesk(model.strategy, len(model.network.channel_ids))
        self.hub = HubReroutes(model)
        self.announced = announcements(model.scenario)
        self._published: set[str] = set()
        self._ended: set[str] = set()
        self._oracle_lanes: set[tuple[str, str]] = set()  # lanes the oracle switched away
        strategy, services = model.strategy, model.services
        if strategy.kind == StrategyKind.AUTOMATED and services.switcher is None:
            raise NotFound("switching service for the automated strategy", "switcher")

    def process(self) -> Generator[simpy.Event, Any, None]:
        model = self.model
        if model.strategy.kind in (StrategyKind.PRIMARY_ONLY, StrategyKind.OPTIMIZED):
            return
        every = model.strategy.control_every_hours if model.oracle is None else RESCUE_EVERY_H
        for moment in np.arange(every + CONTROL_PHASE_H, model.horizon_h, every):
            yield model.env.timeout(float(moment) - model.env.now)
            if model.strategy.kind == StrategyKind.AUTOMATED:
                self._automated(float(moment))
            elif model.oracle is not None:
                self._oracle(float(moment))
            else:
                self._desk(float(moment))

    def _oracle(self, now_h: float) -> None:
        assert self.model.oracle is not None
        if self.model.strategy.switches_hit_lanes:
            self._oracle_switch_lanes(now_h)
        table = self.model.table
        for waiting, slot in self.model.oracle.rescue(now_h):
            fee_cents = self.model.strategy.reroute_fee_cents
            if waiting.at_hub and fee_cents is not None:
                self.hub.reroute(waiting.rows, slot, fee_cents, now_h, ORACLE_REASON)
                continue
            movers, picked = waiting.rows[slot >= 0], slot[slot >= 0]
            target, cents = table.choices[movers, picked], table.choice_cents[movers, picked]
            self.relabel(movers, waiting.channel, target, cents, now_h)

    def _oracle_switch_lanes(self, now_h: float) -> None:
        """What the desk does on an advisory, from the disruption's first hour and whether it
        is ever announced: every lane of the season's markets a disruption in force hits is
        switched fully to backups that no disruption in force touches, and back at its end."""
        model, countries = self.model, self.model.network.countries
        ids = model.network.channel_ids
        in_force = [
            (i, w)
            for i, w in enumerate(model.network.disruptions.windows)
            if w.start_h <= now_h < w.end_h
        ]
        avoid = tuple(sorted({ids[c] for _, w in in_force for c in np.flatnonzero(w.channels)}))
        hit = {
            (channel_id, country)
            for i, w in in_force
            for channel_id, country in lanes_hit(
                advisory_of(model.scenario.disruptions[i], i), model.catalogue
            )
            if country in countries and w.channels[model.network.channel_index[channel_id]]
        }
        at = model.at(now_h)
        for channel_id, country in sorted(hit - self._oracle_lanes):
            change = SwitchChange(
                channel_id, country, 1.0, None, at, ORACLE_LANE_REASON, None, avoid
            )
            self.apply(change, source="oracle", now_h=now_h)
        for channel_id, country in sorted(self._oracle_lanes - hit):
            change = SwitchChange(channel_id, country, 0.0, None, at, "oracle: disruption over")
            self.apply(change, source="oracle", now_h=now_h)
        self._oracle_lanes = hit

    def _automated(self, now_h: float) -> None:
        services, now = self.model.services, self.model.at(now_h)
        self._publish_advisories(now_h)
        if services.monitor is not None:
            self._record_alerts(services.monitor.sweep(now=now), now_h)
        assert services.switcher is not None
        for change in services.switcher.evaluate(now=now):
            self.apply(change, source="switcher", now_h=now_h)

    def _publish_advisories(self, now_h: float) -> None:
        """Publish each advisory announced by `now_h`, and end each whose disruption ended
        (at the disruption's end), on the AdvisoryBoard port."""
        board = self.model.services.advisories
        if board is None:
            return
        for a in self.announced:
            key = a.advisory.id
            if key not in self._published and a.published_h <= now_h:
                board.publish(a.advisory, now=self.model.at(now_h))
                self._published.add(key)
            if key in self._published and key not in self._ended and a.ended_h <= now_h:
                board.end(key, now=self.model.at(a.ended_h))
                self._ended.add(key)

    def _record_alerts(self, opened: Sequence[OpenedAlert], now_h: float) -> None:
        """Log each alert on its parcel (first alert time kept) and count them per channel;
        the buyer of a parcel whose alert tells the buyer (`monitoring.rules.tells_buyer`: a
        deviation from its lane, ETA past the promise) is told, as the sweep's notices do."""
        parcels = np.array([parcel_of(a.tracking_number) for a in opened], dtype=np.int64)
        at_risk = np.array(
            [tells_buyer(a.rule, eta_past_promise=a.promise_at_risk) for a in opened], dtype=bool
        )
        first = self.model.table.first_alert_h
        np.fmin.at(first, parcels, now_h)
        self.model.table.notified[parcels[at_risk]] = True
        self._alerts += [(int(p), now_h, a.rule) for p, a in zip(parcels, opened, strict=True)]
        for channel_id, count in sorted(Counter(a.channel_id for a in opened).items()):
            self.detections.append(Detection(now_h, channel_id, "monitor", count))

    def alert_log(self) -> AlertLog:
        if not self._alerts:
            return AlertLog()
        parcel, at_h, rule = zip(*self._alerts, strict=True)
        return AlertLog(np.array(parcel, dtype=np.int64), np.array(at_h), tuple(rule))

    def _desk(self, now_h: float) -> None:
        ids = self.model.network.channel_ids
        decision = self.desk.review(now_h, self.longest_origin_wait_h(now_h))
        for c in decision.noticed:
            self.detections.append(Detection(now_h, ids[c], "manual desk", 1))
        hours = self.model.strategy.visible_after_hours
        for c, share in [(c, 1.0) for c in decision.switch_on] + [
            (c, 0.0) for c in decision.switch_off
        ]:
            reason = f"parcels waiting over {hours:g} h at origin" if share else "moving again"
            change = SwitchChange(ids[c], None, share, None, self.model.at(now_h), reason)
            self.apply(change, source="manual desk", now_h=now_h)
        on, off = self.desk.read_advisories(now_h, self.announced)
        for announcement, share in [(a, 1.0) for a in on] + [(a, 0.0) for a in off]:
            self._desk_advisory(announcement, share, now_h)

    def _desk_advisory(self, announcement: Announcement, share: float, now_h: float) -> None:
        """The desk switches every lane the advisory hits (of the season's markets) fully to
        its backups, or back."""
        advisory, countries = announcement.advisory, self.model.network.countries
        reason = advisory.describe() if share else f"advisory {advisory.id} ended"
        for channel_id, country in sorted(lanes_hit(advisory, self.model.catalogue)):
            if country in countries:
                at = self.model.at(now_h)
                change = SwitchChange(channel_id, country, share, None, at, reason)
                self.apply(change, source="manual desk", now_h=now_h)

    def longest_origin_wait_h(self, now_h: float) -> np.ndarray:
        """Per channel: hours the longest-waiting parcel has been ready at origin (0 if none)."""
        stages = self.model.stages
        waits = np.zeros(len(stages.pickup))
        for c, (pickup, departure) in enumerate(zip(stages.pickup, stages.departure, strict=True)):
            oldest = (pickup.oldest_ready_h(now_h), departure.oldest_ready_h(now_h))
            known = [h for h in oldest if h is not None]
            waits[c] = now_h - min(known) if known else 0.0
        return waits

    def apply(self, change: SwitchChange, *, source: str, now_h: float) -> None:
        net = self.model.network
        channel = self._index(change.channel_id)
        country = ALL_COUNTRIES
        if change.country is not None:
            known = change.country in net.countries
            country = net.countries.index(change.country) if known else NO_COUNTRY
        backup = -1 if change.backup_id is None else self._index(change.backup_id)
        avoid = frozenset(net.channel_index[c] for c in change.avoid if c in net.channel_index)
        ratio = np.inf if change.max_price_ratio is None else change.max_price_ratio
        rescue = ratio if change.rescue_price_ratio is None else change.rescue_price_ratio
        switch = ActiveSwitch(
            channel, country, change.share, backup, avoid, ratio, rescue, change.rescue_budget_share
        )
        self.model.intake.board.set(switch)
        moved = notified = 0
        if change.share > 0:
            moved = self._move_unshipped(channel, country, now_h)
            if change.reroute_fee is not None:
                fee_cents = int(change.reroute_fee * 100)
                moved += self._reroute_stranded(channel, country, change, fee_cents, now_h)
            if self.model.strategy.notifies_in_flight:
                notified = self._notify_in_flight(channel, country, now_h)
        self.switches.append(
            AppliedSwitch(
                now_h,
                change.channel_id,
                change.country,
                change.share,
                change.backup_id,
                source,
                moved,
                notified,
                change.reason,
            )
        )

    def _index(self, channel_id: str) -> int:
        try:
            return self.model.network.channel_index[channel_id]
        except KeyError:
            raise NotFound("channel in the scenario's catalogue", channel_id) from None

    def _move_unshipped(self, channel: int, country: int, now_h: float) -> int:
        model, table = self.model, self.model.table
        queued = model.stages.pickup[channel].members().copy()
        if country != ALL_COUNTRIES:
            queued = queued[table.country[queued] == country]
        slot = model.intake.board.divert(
            np.full(len(queued), channel),
            table.country[queued],
            self.draws.switch_u[queued],
            table.choices[queued],
            table.choice_cents[queued],
            table.cents[queued],
            keeps_promise(model, queued, table.choices[queued], now_h),
        )
        movers, slot = queued[slot >= 0], slot[slot >= 0]
        target, cents = table.choices[movers, slot], table.choice_cents[movers, slot]
        return self.relabel(movers, channel, target, cents, now_h)

    def relabel(
        self, movers: np.ndarray, channel: int, target: np.ndarray, cents: np.ndarray, now_h: float
    ) -> int:
        """Move parcels waiting for pickup on `channel` to `target` with a new label and a
        notice; returns how many moved."""
        if not len(movers):
            return 0
        model, table = self.model, self.model.table
        model.stages.pickup[channel].remove(movers)
        old_serial = table.serial[movers].copy()
        table.serial[movers] += 1
        table.notified[movers] = True
        model.intake.label(movers, target, cents, now_h)
        self.hub.void_labels(movers, np.full(len(movers), channel), old_serial, 0, now_h, "moved")
        self._moves.append((movers, channel, target, now_h))
        return len(movers)

    def _reroute_stranded(
        self, channel: int, country: int, change: SwitchChange, fee_cents: int, now_h: float
    ) -> int:
        """The switch's share of parcels waiting at the channel's origin hub move at the hub."""
        waiting = self.hub.stranded(channel, country)
        waiting = waiting[self.draws.switch_u[waiting] < change.share]
        backup = -1 if change.backup_id is None else self._index(change.backup_id)
        slot = self.hub.hub_slots(waiting, backup)
        if backup >= 0:  # a named backup was re-scored for this switch: only it, at its price
            slot = np.where(
                self.model.table.choices[waiting, np.maximum(slot, 0)] == backup, slot, -1
            )
        return self.hub.reroute(waiting, slot, fee_cents, now_h, change.reason)

    def _notify_in_flight(self, channel: int, country: int, now_h: float) -> int:
        """Buyers of parcels still waiting at the switched lane's origin whose revised ETA (now
        plus the parcel's own legs after origin) passes their promise: told once, as any buyer
        already told of a move or a delay is not told again."""
        model, t = self.model, self.model.table
        waiting = self.hub.stranded(channel, country)
        if not len(waiting):
            return 0
        legs_h = model.network.leg_hours(
            t.channel[waiting],
            t.country[waiting],
            self.draws.transit_z[waiting],
            t.label_h[waiting],
        )
        late = now_h + legs_h[1:].sum(axis=0) > t.promised_h[waiting]
        newly = waiting[late & ~t.notified[waiting]]
        t.notified[newly] = True
        return len(newly)

    def moves(self) -> Moves:
        """Every move to another channel: before pickup, and re-routes at the origin hub."""
        moves = [(p, np.full(len(p), c), t, at) for p, c, t, at in self._moves] + self.hub.moved
        if not moves:
            empty = np.empty(0, dtype=np.int64)
            return Moves(empty, empty, empty, np.empty(0))
        return Moves(
            parcel=np.concatenate([m[0] for m in moves]),
            from_channel=np.concatenate([m[1] for m in moves]),
            to_channel=np.concatenate([m[2] for m in moves]),
            at_h=np.concatenate([np.full(len(m[0]), m[3]) for m in moves]),
        )

    def disruption_spans(self) -> tuple[DisruptionSpan, ...]:
        ids = self.model.network.channel_ids
        return tuple(
            DisruptionSpan(
                w.name,
                w.kind,
                w.start_h,
                w.end_h,
                w.severity,
                tuple(ids[c] for c in np.flatnonzero(w.channels)),
            )
            for w in self.model.network.disruptions.windows
        )
