"""Repositories of switching: lane states and the switches audit trail, each tenant's own (read
and written as the open unit of work's tenant). They never commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tradelane.domain.errors import NotFound
from tradelane.store.tables import channel_states, switches
from tradelane.store.tenancy import tenant_owns
from tradelane.switching.policy import LaneStatus
from tradelane.switching.states import HealthState, LaneKey, SwitchKind, SwitchRecord

__all__ = ["ChannelStateRepository", "SwitchRepository"]


class ChannelStateRepository:
    """Lane states; a lane without a row is healthy with nothing remembered."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def all(self) -> dict[LaneKey, LaneStatus]:
        return {
            (row.channel_id, row.country): LaneStatus(
                state=HealthState(row.state),
                since=row.since,
                breaching_streak=row.breaching_streak,
                healthy_since=row.healthy_since,
            )
            for row in self._c.execute(
                select(channel_states).where(tenant_owns(channel_states.c.tenant_id))
            )
        }

    def save(self, statuses: Mapping[LaneKey, LaneStatus], *, now: datetime) -> None:
        """Insert or replace the rows of `statuses` (a missing `since` is stored as `now`)."""
        if not statuses:
            return
        rows = [
            {
                "channel_id": channel_id,
                "country": country,
                "state": status.state.value,
                "since": status.since or now,
                "breaching_streak": status.breaching_streak,
                "healthy_since": status.healthy_since,
                "updated_at": now,
            }
            for (channel_id, country), status in statuses.items()
        ]
        dialect = postgresql if self._c.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(channel_states)
        keys = ("state", "since", "breaching_streak", "healthy_since", "updated_at")
        statement = statement.on_conflict_do_update(
            index_elements=["tenant_id", "channel_id", "country"],
            set_={key: statement.excluded[key] for key in keys},
        )
        self._c.execute(statement, rows)


def _owned() -> Select[Any]:
    """The open unit of work's tenant's switches."""
    return select(switches).where(tenant_owns(switches.c.tenant_id))


def _record(row: Any) -> SwitchRecord:
    return SwitchRecord(
        switch_id=row.id,
        channel_id=row.channel_id,
        country=row.country,
        backup_channel_id=row.backup_channel_id,
        share=row.share,
        kind=SwitchKind(row.kind),
        trigger=row.trigger,
        reason=row.reason,
        actor=row.actor,
        started_at=row.started_at,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
    )


class SwitchRepository:
    """The switches audit trail: rows are opened and ended, never deleted or rewritten."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def open(
        self,
        *,
        channel_id: str,
        country: str | None,
        backup_channel_id: str | None,
        share: float,
        kind: SwitchKind,
        trigger: Mapping[str, Any],
        reason: str,
        actor: str,
        started_at: datetime,
    ) -> SwitchRecord:
        values = {
            "channel_id": channel_id,
            "country": country,
            "backup_channel_id": backup_channel_id,
            "share": share,
            "kind": kind.value,
            "trigger": dict(trigger),
            "reason": reason,
            "actor": actor[:100],
            "started_at": started_at,
        }
        row = self._c.execute(insert(switches).values(**values).returning(switches)).one()
        return _record(row)

    def close(
        self,
        switch_id: int,
        *,
        ended_at: datetime,
        ended_by: str,
        ending: Mapping[str, Any] | None = None,
    ) -> SwitchRecord:
        """End an open switch; `ending` (why, with the figures) is added to its trigger record
        under "ending", next to the opening values. NotFound when no open switch has that id."""
        current = self.get(switch_id)
        if not current.is_open:
            raise NotFound("open switch", switch_id)
        trigger = {**current.trigger, "ending": dict(ending)} if ending else dict(current.trigger)
        self._c.execute(
            update(switches)
            .where(switches.c.id == switch_id, switches.c.ended_at.is_(None))
            .values(ended_at=ended_at, ended_by=ended_by[:100], trigger=trigger)
        )
        return self.get(switch_id)

    def get(self, switch_id: int) -> SwitchRecord:
        row = self._c.execute(_owned().where(switches.c.id == switch_id)).first()
        if row is None:
            raise NotFound("switch", switch_id)
        return _record(row)

    def open_switches(self) -> list[SwitchRecord]:
        query = _owned().where(switches.c.ended_at.is_(None)).order_by(switches.c.id)
        return [_record(row) for row in self._c.execute(query)]

    def history(
        self, *, include_ended: bool = True, channel_id: str | None = None, limit: int = 200
    ) -> list[SwitchRecord]:
        """Newest first."""
        query = _owned().order_by(switches.c.id.desc()).limit(limit)
        if not include_ended:
            query = query.where(switches.c.ended_at.is_(None))
        if channel_id is not None:
            query = query.where(switches.c.channel_id == channel_id)
        return [_record(row) for row in self._c.execute(query)]
