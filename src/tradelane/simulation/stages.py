"""What happens to parcels at each stage, on arrays of parcel rows.

    label ─▶ pickup queue ─(cut-off, capacity)─▶ picked_up ─▶ origin handling
          ─▶ departure queue ─(departure, capacity, cancellations)─▶ departed_origin
          ─▶ line haul (+ port congestion) ─▶ arrived_destination_country (or lost)
          ─▶ customs queue ─(port throughput per hour)─▶ customs_cleared (holds, refusals)
          ─▶ last mile ─▶ out_for_delivery ─▶ delivered (failed attempts, lost)

A re-route moves parcels waiting at the origin hub (picked up, not departed) to another
line's departure queue with a new label. Overseas-warehouse channels pick and pack at
"pickup", hand over to the domestic carrier at "departure" and go straight to the last mile
(no line haul, no customs). Each
transition fixes the parcel's times in `ParcelTable` and schedules its tracking events.
Incident delays are estimates (constants below).
"""

from __future__ import annotations

import numpy as np

from tradelane.domain.shipments import Milestone
from tradelane.simulation.events import EventCalendar
from tradelane.simulation.network import Network
from tradelane.simulation.parcels import Fate, ParcelDraws, ParcelTable
from tradelane.simulation.queues import StageQueue
from tradelane.simulation.scenarios import IncidentRates

__all__ = ["Stages"]

LOST_DECLARED_AFTER_H = 7 * 24.0  # carrier declares a missing parcel lost (estimate)
RETURN_REPORTED_AFTER_H = 14 * 24.0  # a refused parcel is reported returned (estimate)
INSPECTION_MEDIAN_H = 48.0  # customs inspection hold, lognormal sigma 0.5 (estimate)
REDELIVERY_AFTER_H = 24.0  # after a failed delivery attempt (estimate)
OUT_FOR_DELIVERY_LEAD_H = 6.0  # van loaded before delivery (estimate)


class Stages:
    def __init__(
        self,
        network: Network,
        table: ParcelTable,
        draws: ParcelDraws,
        rates: IncidentRates,
        calendar: EventCalendar,
    ) -> None:
        self.network, self.table, self.draws = network, table, draws
        self.rates, self.calendar = rates, calendar
        channels, ports = len(network.channel_ids), len(network.ports)
        self.pickup = [StageQueue() for _ in range(channels)]
        self.departure = [StageQueue() for _ in range(channels)]
        self.customs = [StageQueue() for _ in range(ports)]
        self._hold_frontier_h = np.full(ports, -np.inf)

    def _emit(self, milestone: Milestone, ids: np.ndarray, time_h: np.ndarray | float) -> None:
        t = self.table
        if len(ids):
            self.calendar.schedule(milestone, ids, time_h, t.channel[ids], t.serial[ids])

    def _legs_h(self, ids: np.ndarray) -> np.ndarray:
        """(4, n): origin handling, line haul, customs processing, last mile hours."""
        t = self.table
        return self.network.leg_hours(
            t.channel[ids], t.country[ids], self.draws.transit_z[ids], t.label_h[ids]
        )

    def label(self, ids: np.ndarray, channel: np.ndarray, cents: np.ndarray, now_h: float) -> None:
        """Create a label on `channel` for each parcel and queue it for pickup."""
        t = self.table
        t.channel[ids], t.cents[ids], t.label_h[ids] = channel, cents, now_h
        fresh = ids[np.isnan(t.first_label_h[ids])]
        t.first_label_h[fresh] = now_h
        self._emit(Milestone.INFO_RECEIVED, ids, now_h)
        for c in np.unique(channel):
            members = ids[channel == c]
            self.pickup[c].push(members, np.full(len(members), now_h))

    def reroute(self, ids: np.ndarray, target: np.ndarray, cents: np.ndarray, now_h: float) -> None:
        """Move parcels waiting at their channel's origin hub (picked up, not departed) onto
        `target` channels with a new label costing `cents`: the new line takes them over at
        the hub now (`info_received` and `picked_up` on the new label) and they depart with
        it after its origin handling. The caller has checked they are waiting at origin."""
        t = self.table
        for c in np.unique(t.channel[ids]):
            self.departure[c].remove(ids[t.channel[ids] == c])
        t.serial[ids] += 1
        t.channel[ids], t.cents[ids], t.label_h[ids] = target, cents, now_h
        self._emit(Milestone.INFO_RECEIVED, ids, now_h)
        self._emit(Milestone.PICKED_UP, ids, now_h)
        ready = now_h + self._legs_h(ids)[0]
        for c in np.unique(target):
            self.departure[c].push(ids[target == c], ready[target == c])

    def pick_up(self, c: int, now_h: float, limit: int) -> int:
        t = self.table
        ids = self.pickup[c].take(now_h, limit)
        if not len(ids):
            return 0
        t.pickup_h[ids] = now_h
        self._emit(Milestone.PICKED_UP, ids, now_h)
        self.departure[c].push(ids, now_h + self._legs_h(ids)[0])
        return len(ids)

    def depart(self, c: int, now_h: float, limit: int) -> int:
        t, net = self.table, self.network
        ids = self.departure[c].take(now_h, limit)
        if not len(ids):
            return 0
        t.depart_h[ids] = now_h
        self._emit(Milestone.DEPARTED_ORIGIN, ids, now_h)
        if net.domestic[c]:
            self._last_mile(ids, np.full(len(ids), now_h))
            return len(ids)
        legs_h = self._legs_h(ids)
        ports = net.port_of[c, t.country[ids]]
        arrive = now_h + legs_h[1]
        arrive = arrive + net.disruptions.congestion_delay_h(ports, arrive)
        lost = self.draws.lost_line_haul_u[ids] < self.rates.lost_in_line_haul
        self._end(ids[lost], arrive[lost] + LOST_DECLARED_AFTER_H, Fate.LOST, Milestone.LOST)
        ids, arrive, ports, customs_h = ids[~lost], arrive[~lost], ports[~lost], legs_h[2][~lost]
        t.arrive_h[ids] = arrive
        self._emit(Milestone.ARRIVED_DESTINATION_COUNTRY, ids, arrive)
        ready = arrive + customs_h
        for p in np.unique(ports):
            self.customs[p].push(ids[ports == p], ready[ports == p])
        return len(ids)

    def clear(self, p: int, now_h: float, limit: int) -> int:
        t, draws, rates = self.table, self.draws, self.rates
        if not len(self.customs[p]):
            return 0
        self._flag_waiting_holds(p, now_h)
        ids = self.customs[p].take(now_h, limit)
        if not len(ids):
            return 0
        refused = draws.refused_u[ids] < rates.refused_at_customs
        self._end(ids[refused], now_h + RETURN_REPORTED_AFTER_H, Fate.RETURNED, Milestone.RETURNED)
        ids = ids[~refused]
        inspected = draws.inspection_u[ids] < rates.customs_inspection
        newly_held = ids[inspected & ~t.held[ids]]
        t.held[newly_held] = True
        self._emit(Milestone.CUSTOMS_HOLD, newly_held, now_h)
        delay = INSPECTION_MEDIAN_H * np.exp(0.5 * draws.extra_z[ids])
        cleared = np.where(inspected, now_h + delay, now_h)
        t.cleared_h[ids] = cleared
        self._emit(Milestone.CUSTOMS_CLEARED, ids, cleared)
        self._last_mile(ids, cleared)
        return len(ids)

    def _flag_waiting_holds(self, p: int, now_h: float) -> None:
        """Parcels waiting past the hold threshold get one `customs_hold` scan, now."""
        queue, t = self.customs[p], self.table
        ids, ready = queue.ready(now_h - self.rates.customs_hold_after_hours)
        waiting = ids[ready >= self._hold_frontier_h[p]]
        waiting = waiting[~t.held[waiting]]
        t.held[waiting] = True
        self._emit(Milestone.CUSTOMS_HOLD, waiting, now_h)
        self._hold_frontier_h[p] = now_h - self.rates.customs_hold_after_hours

    def _last_mile(self, ids: np.ndarray, start_h: np.ndarray) -> None:
        t, draws, rates = self.table, self.draws, self.rates
        last_mile_h = self._legs_h(ids)[3]
        attempt = start_h + last_mile_h
        lead = np.minimum(OUT_FOR_DELIVERY_LEAD_H, last_mile_h / 2)
        lost = draws.lost_last_mile_u[ids] < rates.lost_in_last_mile
        self._end(ids[lost], attempt[lost] + LOST_DECLARED_AFTER_H, Fate.LOST, Milestone.LOST)
        keep = ~lost
        ids, attempt, lead = ids[keep], attempt[keep], lead[keep]
        self._emit(Milestone.OUT_FOR_DELIVERY, ids, attempt - lead)
        failed = draws.failed_attempt_u[ids] < rates.failed_delivery_attempt
        self._emit(Milestone.EXCEPTION, ids[failed], attempt[failed])
        delivered = np.where(failed, attempt + REDELIVERY_AFTER_H, attempt)
        t.delivered_h[ids] = delivered
        self._end(ids, delivered, Fate.DELIVERED, Milestone.DELIVERED)

    def _end(
        self, ids: np.ndarray, at_h: np.ndarray | float, fate: Fate, milestone: Milestone
    ) -> None:
        self.table.end_h[ids] = at_h
        self.table.fate[ids] = fate
        self._emit(milestone, ids, at_h)
