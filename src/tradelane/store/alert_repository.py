"""Alerts: set-based opening and clearing for the sweep, lifecycle updates, listings.

The sweep's statements touch every active shipment at once; none loops in Python:

    resolve_cleared  UPDATE alerts … WHERE not resolved AND NOT breach                  (per rule)
    refresh_eta      UPDATE alerts SET revised ETA, promise risk FROM (shipments ⟕ lanes)
                     WHERE not resolved AND changed
    open_breaching   INSERT INTO alerts SELECT …, revised ETA, risk FROM shipments ⟕ lanes
                     WHERE active AND breach AND NOT EXISTS (a not-resolved alert of the parcel)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    update,
)

from tradelane.domain.errors import Conflict, NotFound
from tradelane.monitoring.alerts import Alert, AlertState, Resolution
from tradelane.monitoring.rules import Rule, RuleId
from tradelane.store.deviation_sql import DeviationSql
from tradelane.store.sql_json import json_object
from tradelane.store.tables import alerts, shipments, sweep_lanes
from tradelane.store.tenancy import tenant_owns
from tradelane.store.types import UTCDateTime

__all__ = ["AlertRepository", "not_resolved"]

SWEEP_LOCK_KEY = 0x7472_6164_656C  # "tradel": PostgreSQL advisory lock held by one sweep
COUNT_ROWS = {"preserve_rowcount": True}  # INSERT … SELECT row counts on every driver
_RESOLVED: ColumnElement[str] = literal_column(
    "'resolved'"
)  # inline, so PostgreSQL matches the partial index


def not_resolved(state: ColumnElement[str]) -> ColumnElement[bool]:
    """`state <> 'resolved'`, written as the partial unique index is."""
    return state != _RESOLVED


class AlertRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def lock_for_sweep(self) -> None:
        """Serialise sweeps until the transaction ends (PostgreSQL: advisory lock; SQLite: take
        the single write lock now, so the reads that follow see no other writer's commits)."""
        if self._c.dialect.name == "postgresql":
            self._c.execute(select(func.pg_advisory_xact_lock(SWEEP_LOCK_KEY)))
        else:
            self._c.execute(update(alerts).where(alerts.c.id < 0).values(state=alerts.c.state))

    def load_lanes(self, sql: DeviationSql) -> None:
        """Write the plan's lanes at the sweep's `now` to `sweep_lanes` (replacing the last)."""
        self._c.execute(delete(sweep_lanes))
        rows = sql.lane_rows()
        if rows:
            self._c.execute(insert(sweep_lanes), rows)

    def last_id(self) -> int:
        return int(self._c.scalar(select(func.coalesce(func.max(alerts.c.id), 0))) or 0)

    def resolve_cleared(self, rule: Rule, sql: DeviationSql) -> list[int]:
        """Resolve (`cleared`) every not-resolved alert of `rule` whose shipment no longer
        breaches it, acknowledged ones included; returns their ids.

        Alerts of active shipments still in the rule's breaching set (read through its partial
        index) are skipped at once; only the rest are looked up one by one and re-evaluated,
        so an inactive shipment that still breaches keeps its alert."""
        still_breaching = _in_breaching_set(rule, sql)
        candidates = (
            select(alerts.c.id, alerts.c.shipment_id)
            .where(alerts.c.rule == rule.id.value, not_resolved(alerts.c.state), ~still_breaching)
            .cte("candidates")
            .prefix_with("MATERIALIZED")  # look shipments up only after the cheap filter
        )
        breach_now = (
            select(sql.breach(rule))
            .select_from(sql.source())
            .where(shipments.c.id == candidates.c.shipment_id)
            .scalar_subquery()
        )
        statement = (
            update(alerts)
            .where(alerts.c.id.in_(select(candidates.c.id).where(~breach_now)))
            .where(not_resolved(alerts.c.state))
            .values(
                state=AlertState.RESOLVED.value,
                resolved_at=sql.now,
                resolution=Resolution.CLEARED.value,
            )
            .returning(alerts.c.id)
        )
        return sorted(self._c.scalars(statement))

    def refresh_eta(self, sql: DeviationSql) -> int:
        """Recompute the revised ETA and promise risk of every not-resolved alert; returns
        how many changed."""
        eta, at_risk = sql.revised_eta()
        held = alerts.alias("held")
        current = (
            select(shipments.c.id.label("shipment_id"), eta.label("eta"), at_risk.label("risk"))
            .select_from(sql.source())
            .where(exists().where(held.c.shipment_id == shipments.c.id, not_resolved(held.c.state)))
            .cte("current_eta")
        )
        statement = (
            update(alerts)
            .where(
                alerts.c.shipment_id == current.c.shipment_id,
                not_resolved(alerts.c.state),
                or_(
                    alerts.c.promise_at_risk != current.c.risk,
                    alerts.c.revised_eta_at.is_distinct_from(current.c.eta),
                ),
            )
            .values(revised_eta_at=current.c.eta, promise_at_risk=current.c.risk)
            .returning(alerts.c.id)  # counted from the rows: WITH … UPDATE has no rowcount here
        )
        return len(self._c.execute(statement).all())

    def open_breaching(self, rule: Rule, sql: DeviationSql) -> int:
        """Open an alert for every active shipment breaching `rule` that has no not-resolved
        alert (of any rule: the desk sees one alert per parcel at a time, carrying its current
        ETA), with its revised ETA; returns how many were opened."""
        rows = self.breaching(rule, sql)
        if rows is None:
            return 0
        target = ["shipment_id", "rule", "state", "opened_at", "detail"]
        target += ["revised_eta_at", "promise_at_risk", "tenant_id"]
        statement = insert(alerts).from_select(target, rows).returning(alerts.c.id)
        return len(self._c.execute(statement).all())

    @staticmethod
    def breaching(rule: Rule, sql: DeviationSql) -> Select[Any] | None:
        """The new alert rows of `rule` at `now` (None: the rule is off everywhere)."""
        latest = sql.latest_cutoff(rule)
        if latest is None:
            return None
        columns = shipments.c
        held = alerts.alias("held")
        already_alerted = exists().where(  # any rule: one alert per parcel at a time
            held.c.shipment_id == columns.id, not_resolved(held.c.state)
        )
        detail = json_object(
            summary=literal(rule.summary, String()),
            window_hours=sql.window_hours(rule),
        )
        eta, at_risk = sql.revised_eta()
        return (
            select(
                columns.id,
                literal(rule.id.value, String()),
                literal(AlertState.OPEN.value, String()),
                literal(sql.now, UTCDateTime()),
                detail,
                eta,
                at_risk,
                columns.tenant_id,  # the alert belongs to its shipment's tenant
            )
            .select_from(sql.source())
            .where(
                columns.is_active,
                columns[rule.anchor.value] <= literal(latest, UTCDateTime()),
                sql.breach(rule),
                ~already_alerted,
            )
        )

    def get(self, alert_id: int) -> Alert:
        found = self._c.execute(_listing().where(alerts.c.id == alert_id)).first()
        if found is None:
            raise NotFound("alert", alert_id)
        return _alert(found)

    def find(
        self,
        *,
        states: Sequence[AlertState] = (),
        rule: RuleId | None = None,
        after_id: int = 0,
        limit: int = 100,
        every_tenant: bool = False,
    ) -> list[Alert]:
        """The open unit of work's tenant's alerts newest first, filtered by state and rule,
        only ids above `after_id`; `every_tenant`: the installation's (the sweep's report)."""
        query = _listing().where(alerts.c.id > after_id)
        if not every_tenant:
            query = query.where(tenant_owns(alerts.c.tenant_id))
        if states:
            query = query.where(alerts.c.state.in_([s.value for s in states]))
        if rule is not None:
            query = query.where(alerts.c.rule == rule.value)
        rows = self._c.execute(query.order_by(alerts.c.id.desc()).limit(limit))
        return [_alert(row) for row in rows]

    def count_by_state(self) -> dict[AlertState, int]:
        """The open unit of work's tenant's alerts per state."""
        query = (
            select(alerts.c.state, func.count())
            .where(tenant_owns(alerts.c.tenant_id))
            .group_by(alerts.c.state)
        )
        return {AlertState(state): int(n) for state, n in self._c.execute(query)}

    def set_state(
        self,
        alert_id: int,
        state: AlertState,
        *,
        expected: AlertState,
        now: datetime,
        resolution: Resolution = Resolution.MANUAL,
    ) -> None:
        """Move the alert to `state` if it is still `expected`; Conflict if it moved meanwhile."""
        values: dict[str, Any] = {"state": state.value}
        if state is AlertState.ACKNOWLEDGED:
            values["acknowledged_at"] = now
        if state is AlertState.RESOLVED:
            values |= {"resolved_at": now, "resolution": resolution.value}
        statement = update(alerts).where(alerts.c.id == alert_id, alerts.c.state == expected.value)
        if self._c.execute(statement.values(**values)).rowcount != 1:
            raise Conflict(f"alert {alert_id} changed meanwhile; look at it again")


def _in_breaching_set(rule: Rule, sql: DeviationSql) -> Any:
    """EXISTS: the alert's shipment is active and breaches `rule` (read via its partial index)."""
    latest = sql.latest_cutoff(rule)
    if latest is None:
        return false()
    still = shipments.alias("still")
    return (
        select(still.c.id)
        .select_from(sql.source(still))
        .where(
            still.c.id == alerts.c.shipment_id,
            still.c.is_active,
            still.c[rule.anchor.value] <= literal(latest, UTCDateTime()),
            sql.breach(rule, still),
        )
        .exists()
    )


def _listing() -> Any:
    return select(
        alerts,
        shipments.c.tracking_number,
        shipments.c.channel_id,
        shipments.c.destination_country,
    ).join_from(alerts, shipments, alerts.c.shipment_id == shipments.c.id)


def _alert(row: Any) -> Alert:
    return Alert(
        id=row.id,
        shipment_id=row.shipment_id,
        tracking_number=row.tracking_number,
        channel_id=row.channel_id,
        destination_country=row.destination_country,
        rule=RuleId(row.rule),
        state=AlertState(row.state),
        opened_at=row.opened_at,
        acknowledged_at=row.acknowledged_at,
        resolved_at=row.resolved_at,
        resolution=Resolution(row.resolution) if row.resolution else None,
        detail=dict(row.detail or {}),
        revised_eta=row.revised_eta_at,
        promise_at_risk=bool(row.promise_at_risk),
    )


def opened_after(
    connection: Connection, *, after_id: int
) -> list[tuple[str, str, str, datetime, bool]]:
    """Alerts with id > `after_id` as (tracking number, channel id, rule, opened at, promise at
    risk), by id."""
    query = (
        select(
            shipments.c.tracking_number,
            shipments.c.channel_id,
            alerts.c.rule,
            alerts.c.opened_at,
            alerts.c.promise_at_risk,
        )
        .select_from(alerts.join(shipments, alerts.c.shipment_id == shipments.c.id))
        .where(alerts.c.id > after_id)
        .order_by(alerts.c.id)
    )
    return [
        (str(number), str(channel), str(rule), opened, bool(at_risk))
        for number, channel, rule, opened, at_risk in connection.execute(query)
    ]
