"""What a switch does once decided, inside the caller's unit of work (never commits).

    open_switch / close_switch ─▶ switches row (audit) + `switch.opened` / `switch.closed` events
                                  (written at once, or gathered for `announce` to write together)
    divert_unshipped           ─▶ reassign port for orders not handed over (the diverted share)
                                  + "shipping via backup channel" notices
    notify_in_flight           ─▶ "delay detected, new ETA" / "customs hold" notices

Events go to the outbox once per webhook destination (the system's and the tenant's
subscriptions'), as Standard Webhooks bodies; customer
notices (`customer.notice`) are rendered when written, so the text the seller's system sends the
buyer is the text stored, with the order id to address it. No destination, no message: the
switch itself is still stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from tradelane.domain.catalog import Catalogue
from tradelane.notifications.notices import NoticeKind, by_day, notice_event, switch_cause
from tradelane.notifications.subscriptions import SWITCH_CLOSED, SWITCH_OPENED
from tradelane.services.ports import Reassigner
from tradelane.store.parcels import InFlightParcel, UnshippedOrder
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import LaneHealth, LaneProfile
from tradelane.switching.overrides import SelectionOverrides
from tradelane.switching.states import ActiveSwitch, LaneKey, SwitchKind, SwitchRecord

__all__ = [
    "Event",
    "announce",
    "close_switch",
    "divert_unshipped",
    "notify_in_flight",
    "open_switch",
]

IN_FLIGHT_TRIGGERS = frozenset({"lane_delay_hours", "clearance_hours"})
Event = tuple[str, dict[str, Any]]


def _switch_event(topic: str, record: SwitchRecord) -> Event:
    return topic, {
        "switch_id": record.switch_id,
        "channel_id": record.channel_id,
        "country": record.country,
        "backup_channel_id": record.backup_channel_id,
        "share": record.share,
        "kind": record.kind.value,
        "actor": record.actor,
        "reason": record.reason,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
        "ended_by": record.ended_by,
        "trigger": dict(record.trigger),
    }


def open_switch(
    uow: UnitOfWork,
    *,
    now: datetime,
    destinations: Sequence[str],
    announced: list[Event] | None = None,
    **fields: Any,
) -> SwitchRecord:
    """Store a switch (fields as `SwitchRepository.open`) and announce it: to the outbox, or
    appended to `announced` for the caller to write with others (`announce`)."""
    record = uow.switches.open(started_at=now, **fields)
    _announce(uow, _switch_event(SWITCH_OPENED, record), now, destinations, announced)
    return record


def close_switch(
    uow: UnitOfWork,
    switch_id: int,
    *,
    now: datetime,
    actor: str,
    ending: Mapping[str, Any],
    destinations: Sequence[str],
    announced: list[Event] | None = None,
) -> SwitchRecord:
    """End a switch (NotFound if it is not open) and announce it, as `open_switch` does."""
    record = uow.switches.close(switch_id, ended_at=now, ended_by=actor, ending=ending)
    _announce(uow, _switch_event(SWITCH_CLOSED, record), now, destinations, announced)
    return record


def announce(
    uow: UnitOfWork, events: Sequence[Event], *, now: datetime, destinations: Sequence[str]
) -> None:
    """Write switch events gathered by `open_switch` / `close_switch` to the outbox at once,
    in their order."""
    if events:
        uow.outbox.add_events(events, destinations=destinations, now=now)


def _announce(
    uow: UnitOfWork,
    event: Event,
    now: datetime,
    destinations: Sequence[str],
    announced: list[Event] | None,
) -> None:
    if announced is None:
        uow.outbox.add_events([event], destinations=destinations, now=now)
    else:
        announced.append(event)


def _notice(
    kind: NoticeKind, *, order_id: str, country: str, switch_id: int, **context: Any
) -> Event:
    """A switch's notice to one buyer: its cause is the switch (notifications/notices.py)."""
    return notice_event(
        kind,
        order_id=order_id,
        country=country,
        cause=switch_cause(switch_id),
        switch_id=switch_id,
        **context,
    )


def _diverted(
    uow: UnitOfWork, moving: tuple[ActiveSwitch, ...]
) -> list[tuple[ActiveSwitch, list[UnshippedOrder]]]:
    """Orders not yet handed over on the switches' scopes that fall in their share, by switch."""
    overrides = SelectionOverrides(switches=moving)
    groups: dict[int, tuple[ActiveSwitch, list[UnshippedOrder]]] = {}
    for order in uow.lane_parcels.unshipped({(s.channel_id, s.country) for s in moving}):
        switch = overrides.diversion(order.order_id, order.channel_id, order.country)
        if switch is not None:
            groups.setdefault(switch.switch_id, (switch, []))[1].append(order)
    return list(groups.values())


def divert_unshipped(
    uow: UnitOfWork,
    switches: Iterable[ActiveSwitch],
    *,
    reassign: Reassigner,
    catalogue: Catalogue,
    profiles: Mapping[LaneKey, LaneProfile],
    now: datetime,
    destinations: Sequence[str],
) -> tuple[int, int]:
    """Re-assign the diverted share of orders not yet handed over on switched lanes; notify
    each moved buyer. Peak switches move new orders only. Returns (orders moved, notices)."""
    names = {channel.id: channel.name for channel in catalogue.channels}
    messages: list[Event] = []
    moved_count = 0
    moving = tuple(s for s in switches if s.kind is not SwitchKind.PEAK)
    for switch, group in _diverted(uow, moving):
        moved = reassign([o.order_id for o in group], away_from=switch, uow=uow, now=now)
        moved_count += len(moved)
        for order in (o for o in group if o.order_id in moved):
            backup = moved[order.order_id]
            profile = profiles.get((backup, order.country))
            eta = by_day(now + timedelta(hours=profile.p90_hours)) if profile else None
            messages.append(
                _notice(
                    NoticeKind.BACKUP_CHANNEL,
                    order_id=order.order_id,
                    country=order.country,
                    switch_id=switch.switch_id,
                    channel_name=names.get(backup, backup),
                    eta=eta.isoformat() if eta else None,
                )
            )
    written = uow.outbox.add_events(messages, destinations=destinations, now=now)
    return moved_count, len(messages) if written else 0


def _revised_eta(
    parcel: InFlightParcel, profile: LaneProfile, health: LaneHealth, *, now: datetime
) -> date:
    """Hand-over + the lane's p90 transit + its current median delay, and never sooner than a
    day from now (an estimate, stated to the buyer as "by" that day)."""
    expected = parcel.started_at + timedelta(hours=profile.p90_hours + health.delay_p50_hours)
    return by_day(max(expected, now + timedelta(days=1)))


def _still_on_time(parcel: InFlightParcel, eta: date) -> bool:
    return parcel.promised_at is not None and eta <= by_day(parcel.promised_at)


def notify_in_flight(
    uow: UnitOfWork,
    opened: Sequence[tuple[SwitchRecord, LaneHealth, frozenset[str]]],
    *,
    profiles: Mapping[LaneKey, LaneProfile],
    now: datetime,
    destinations: Sequence[str],
) -> int:
    """Tell buyers of parcels in flight on newly switched lanes whose revised ETA breaks their
    promise: a lane delay reaches every such parcel (customs template for parcels held in
    customs), a clearance slowdown those held in customs. Returns the notices written."""
    wanted = {
        (record.channel_id, record.country or ""): (record, health, triggers)
        for record, health, triggers in opened
        if triggers & IN_FLIGHT_TRIGGERS
    }
    messages: list[Event] = []
    for parcel in uow.lane_parcels.in_flight(sorted(wanted)):
        key = (parcel.channel_id, parcel.country)
        record, health, triggers = wanted[key]
        eta = _revised_eta(parcel, profiles[key], health, now=now)
        if parcel.order_id is None or _still_on_time(parcel, eta):
            continue  # a buyer hears of a delay only when it breaks the promise
        if parcel.in_customs:
            kind = NoticeKind.CUSTOMS_HOLD
        elif "lane_delay_hours" in triggers:
            kind = NoticeKind.DELAY
        else:
            continue
        messages.append(
            _notice(
                kind,
                order_id=parcel.order_id,
                country=parcel.country,
                switch_id=record.switch_id,
                tracking_number=parcel.tracking_number,
                eta=eta.isoformat(),
            )
        )
    written = uow.outbox.add_events(messages, destinations=destinations, now=now)
    return len(messages) if written else 0
