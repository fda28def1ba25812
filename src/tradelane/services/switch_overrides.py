"""Manual override of switching — force, pin, release — and the read views of switches.

    force   open a switch now (actor: a person); on one lane the policy closes it after the
            recovery hold like an automatic one, so traffic returns once the lane proved
            healthy; a channel-wide forced switch waits for a release
    pin     open a switch only a person ends: the policy never opens, widens or closes a switch
            on a pinned lane
    release end any open switch now; a forced or automatic lane goes back to healthy

Input is checked before anything is written: a bad channel, lane, share or backup changes
nothing. Each override re-assigns the diverted share of orders not yet handed over and tells
those buyers, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import Conflict, ValidationError
from tradelane.domain.geo import country_code
from tradelane.services.ports import Reassigner
from tradelane.services.switch_effects import close_switch, divert_unshipped, open_switch
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import lane_profiles
from tradelane.switching.overrides import SelectionOverrides
from tradelane.switching.policy import LaneStatus
from tradelane.switching.states import HealthState, SwitchKind, SwitchRecord

__all__ = [
    "ManualSwitch",
    "force_switch",
    "get_switch",
    "list_switches",
    "release_switch",
    "selection_overrides",
]


@dataclass(frozen=True)
class ManualSwitch:
    """What a person asks for. `country` None: every lane of the channel; `backup_channel_id`
    None: the selection engine picks each order's best eligible backup."""

    channel_id: str
    country: str | None = None
    share: float = 1.0
    backup_channel_id: str | None = None
    reason: str = ""
    actor: str = ""
    kind: SwitchKind = SwitchKind.FORCED


def _checked(request: ManualSwitch, catalogue: Catalogue) -> ManualSwitch:
    """The request with its country normalised; ValidationError/NotFound on bad input."""
    channel = catalogue.channel(request.channel_id)
    country = country_code(request.country) if request.country is not None else None
    if country is not None and channel.lane_for(country) is None:
        raise ValidationError(
            f"{channel.id} has no lane to {country}", field="country", value=country
        )
    if not 0 < request.share <= 1:
        raise ValidationError(
            "share must be above 0 and at most 1", field="share", value=request.share
        )
    if request.kind not in (SwitchKind.FORCED, SwitchKind.PINNED):
        raise ValidationError(
            "only forced or pinned switches are manual", field="kind", value=request.kind
        )
    if not request.actor.strip() or not request.reason.strip():
        raise ValidationError("say who decides and why", field="actor/reason", value=request.actor)
    backup_id = request.backup_channel_id
    if backup_id is not None:
        backup = catalogue.channel(backup_id)
        if backup.id == channel.id:
            raise ValidationError(
                "a channel cannot back itself up", field="backup", value=backup_id
            )
        if country is not None and backup.lane_for(country) is None:
            raise ValidationError(
                f"{backup.id} has no lane to {country}", field="backup", value=backup_id
            )
    return ManualSwitch(
        channel_id=channel.id,
        country=country,
        share=request.share,
        backup_channel_id=backup_id,
        reason=request.reason.strip(),
        actor=request.actor.strip(),
        kind=request.kind,
    )


def _refuse_a_second_switch(uow: UnitOfWork, request: ManualSwitch) -> None:
    for open_ in uow.switches.open_switches():
        same_scope = (open_.channel_id, open_.country) == (request.channel_id, request.country)
        if same_scope and open_.kind is not SwitchKind.PEAK:
            raise Conflict(
                f"switch #{open_.switch_id} ({open_.kind}) is already open on "
                f"{request.channel_id} {request.country or 'all lanes'}: release it first"
            )


def _open_manual(
    uow: UnitOfWork, request: ManualSwitch, *, now: datetime, destinations: Sequence[str]
) -> SwitchRecord:
    return open_switch(
        uow,
        now=now,
        destinations=destinations,
        channel_id=request.channel_id,
        country=request.country,
        backup_channel_id=request.backup_channel_id,
        share=request.share,
        kind=request.kind,
        trigger={"manual": True, "requested_share": request.share},
        reason=request.reason,
        actor=f"person:{request.actor}",
    )


def force_switch(
    request: ManualSwitch,
    *,
    uow: UnitOfWork,
    catalogue: Catalogue,
    now: datetime,
    reassign: Reassigner,
    destinations: Sequence[str] = (),
) -> SwitchRecord:
    """Open a forced or pinned switch; Conflict if the same scope already has an open one.
    A forced switch marks its lanes failed (full share) or degraded, so the policy's recovery
    hold decides when traffic returns."""
    request = _checked(request, catalogue)
    profiles = lane_profiles(catalogue)
    with uow:
        _refuse_a_second_switch(uow, request)
        record = _open_manual(uow, request, now=now, destinations=destinations)
        if request.kind is SwitchKind.FORCED:
            state = HealthState.FAILED if request.share >= 1 else HealthState.DEGRADED
            scoped = [k for k in profiles if record.as_active().covers(*k)]
            uow.channel_states.save(dict.fromkeys(scoped, LaneStatus(state, since=now)), now=now)
        divert_unshipped(
            uow,
            [record.as_active()],
            reassign=reassign,
            catalogue=catalogue,
            profiles=profiles,
            now=now,
            destinations=destinations,
        )
        uow.commit()
    return record


def release_switch(
    switch_id: int,
    *,
    actor: str,
    reason: str,
    uow: UnitOfWork,
    now: datetime,
    destinations: Sequence[str] = (),
) -> SwitchRecord:
    """End an open switch now. NotFound for an unknown id, Conflict if it already ended."""
    if not actor.strip():
        raise ValidationError("say who releases the switch", field="actor", value=actor)
    with uow:
        current = uow.switches.get(switch_id)
        if not current.is_open:
            raise Conflict(
                f"switch #{switch_id} already ended at {current.ended_at} by {current.ended_by}"
            )
        ending = {"reason": reason.strip() or "released", "released_by": actor.strip()}
        record = close_switch(
            uow,
            switch_id,
            now=now,
            actor=f"person:{actor.strip()}",
            ending=ending,
            destinations=destinations,
        )
        if record.kind in (SwitchKind.FORCED, SwitchKind.AUTOMATIC):
            stored = uow.channel_states.all()
            lanes = [
                k for k in stored if k[0] == record.channel_id and record.country in (None, k[1])
            ]
            healthy = LaneStatus(state=HealthState.HEALTHY, since=now)
            uow.channel_states.save(dict.fromkeys(lanes, healthy), now=now)
        uow.commit()
    return record


def list_switches(
    *, uow: UnitOfWork, include_ended: bool = False, channel_id: str | None = None, limit: int = 200
) -> list[SwitchRecord]:
    """Newest first; only open ones unless `include_ended`."""
    with uow:
        return uow.switches.history(include_ended=include_ended, channel_id=channel_id, limit=limit)


def get_switch(switch_id: int, *, uow: UnitOfWork) -> SwitchRecord:
    with uow:
        return uow.switches.get(switch_id)


def selection_overrides(*, uow: UnitOfWork) -> SelectionOverrides:
    """What the selection engine reads: lane states that are not healthy, and open switches."""
    with uow:
        states = {
            key: status.state
            for key, status in uow.channel_states.all().items()
            if status.state is not HealthState.HEALTHY
        }
        switches = tuple(record.as_active() for record in uow.switches.open_switches())
    return SelectionOverrides(states=states, switches=switches)
