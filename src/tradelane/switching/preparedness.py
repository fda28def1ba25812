"""Peak-season preparedness: pre-activated backups, earlier cut-offs, last hand-over dates.

peak calendar + preparations + open peak switches ─▶ plan_peak_switches(today)
    ─▶ open a `peak` switch when a prepared peak's window opens (lead days early),
       capped to the backup capacity reserved for it; close it when the window ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tradelane.switching.capacity import share_within_reserve
from tradelane.switching.peak_settings import PeakPreparation, PeakSettings
from tradelane.switching.peaks import PeakEvent
from tradelane.switching.states import ActiveSwitch, SwitchKind

__all__ = [
    "PeakClosing",
    "PeakOpening",
    "christmas_last_handover",
    "effective_cutoff_local",
    "plan_peak_switches",
]


@dataclass(frozen=True)
class PeakOpening:
    preparation: PeakPreparation
    event: PeakEvent
    share: float
    reason: str
    trigger: dict[str, Any]


@dataclass(frozen=True)
class PeakClosing:
    switch_id: int
    reason: str


def _events_for(prep: PeakPreparation, events: Iterable[PeakEvent], today: date) -> list[PeakEvent]:
    return [
        e
        for e in events
        if e.kind.value == prep.peak
        and e.is_active(today, lead_days=prep.lead_days)
        and (prep.country is None or not e.markets or prep.country in e.markets)
    ]


def _opening(prep: PeakPreparation, event: PeakEvent, parcels_per_day: float) -> PeakOpening:
    share = share_within_reserve(
        prep.share,
        reserved_parcels_per_day=prep.reserved_parcels_per_day,
        lane_parcels_per_day=parcels_per_day,
    )
    trigger = {
        "peak_key": event.key,
        "peak": event.name,
        "window": [event.starts_on.isoformat(), event.ends_on.isoformat()],
        "lead_days": prep.lead_days,
        "asked_share": prep.share,
        "reserved_parcels_per_day": prep.reserved_parcels_per_day,
        "lane_parcels_last_24h": parcels_per_day,
    }
    reason = f"{event.name} {event.starts_on}..{event.ends_on}: pre-arranged backup capacity"
    return PeakOpening(prep, event, share, reason, trigger)


def plan_peak_switches(
    events: Sequence[PeakEvent],
    preparations: Sequence[PeakPreparation],
    open_switches: Iterable[ActiveSwitch],
    *,
    today: date,
    parcels_per_day: Mapping[tuple[str, str | None], float],
) -> tuple[list[PeakOpening], list[PeakClosing]]:
    """Peak switches to open (prepared peak active, none open yet) and to close (peak over).

    `parcels_per_day[(channel, country)]` is the lane's recent daily volume, with
    `(channel, None)` for the whole channel; it caps the share to the reserved capacity.
    """
    wanted: dict[tuple[str, str, str | None], PeakOpening] = {}
    for prep in preparations:
        for event in _events_for(prep, events, today):
            volume = parcels_per_day.get((prep.channel_id, prep.country), 0.0)
            wanted[(event.key, prep.channel_id, prep.country)] = _opening(prep, event, volume)
    closings: list[PeakClosing] = []
    running: set[tuple[str, str, str | None]] = set()
    for switch in open_switches:
        if switch.kind is not SwitchKind.PEAK:
            continue
        key = (switch.peak_key or "", switch.channel_id, switch.country)
        if key in wanted:
            running.add(key)
        else:
            closings.append(PeakClosing(switch.switch_id, f"peak window over ({key[0]})"))
    openings = [opening for key, opening in wanted.items() if key not in running]
    return openings, closings


def effective_cutoff_local(
    cutoff_local: str, active: Iterable[PeakEvent], settings: PeakSettings
) -> str:
    """The daily hand-over cut-off ("HH:MM") brought forward by the largest advance any active
    peak asks for; never before midnight."""
    advance = max(
        (settings.cutoff_advance_hours.get(e.kind.value, 0.0) for e in active), default=0.0
    )
    hours, minutes = (int(part) for part in cutoff_local.split(":"))
    moved = max(0, hours * 60 + minutes - round(advance * 60))
    return f"{moved // 60:02d}:{moved % 60:02d}"


def christmas_last_handover(
    p90_days: float, peak_uplift_pct: float, *, year: int, settings: PeakSettings
) -> date:
    """Last day to hand a parcel to a lane for delivery by the Christmas deliver-by date:
    deliver-by minus the lane's p90 transit stretched by its peak uplift, rounded up."""
    transit_days = math.ceil(p90_days * (1 + peak_uplift_pct / 100))
    return settings.christmas_deliver_by.on(year) - timedelta(days=transit_days)
