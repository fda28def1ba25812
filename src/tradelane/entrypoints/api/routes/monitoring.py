"""POST /monitor/sweep, GET /alerts and GET /lanes/health: what the deviation sweep found and
how each lane is doing, as the CLI shows them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict

from tradelane.entrypoints.api.deps import System
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.files.rules_file import default_rules
from tradelane.monitoring.alerts import Alert
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.services.alerts import list_alerts
from tradelane.services.catalogues import active_catalogue
from tradelane.services.channel_health import channel_health
from tradelane.services.sweep import sweep
from tradelane.services.switching import peak_events_around
from tradelane.switching.peaks import active_peaks

router = APIRouter(tags=["monitoring"])


class SweepRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: AwareDatetime | None = None


@router.post("/monitor/sweep")
def post_sweep(request: SweepRequest, system: System) -> dict[str, Any]:
    """Evaluate every active shipment once, like `tradelane monitor sweep`."""
    path = system.settings.monitoring_file
    config = MonitoringConfig() if path is None else load_monitoring_config(path)
    report = sweep(
        config,
        uow=system.uow(),
        now=request.at or system.clock.now(),
        destinations=sorted(system.settings.webhooks),
    )
    return {
        "at": report.at.isoformat(),
        "opened": {rule.value: n for rule, n in report.opened.items()},
        "resolved": {rule.value: n for rule, n in report.resolved.items()},
    }


@router.get("/alerts")
def get_alerts(system: System, limit: int = 100) -> list[dict[str, Any]]:
    """Open and acknowledged alerts, newest first."""
    return [_alert(a) for a in list_alerts(uow=system.uow(), limit=min(limit, 10_000))]


def _alert(alert: Alert) -> dict[str, Any]:
    fields = asdict(alert)
    return {
        k: (v.isoformat() if hasattr(v, "isoformat") else getattr(v, "value", v))
        for k, v in fields.items()
    }


@router.get("/lanes/health")
def get_lane_health(
    system: System, at: AwareDatetime | None = None, channel: str | None = None
) -> list[dict[str, Any]]:
    """Lanes with parcels in flight or a backlog (of one channel if given)."""
    now = at or system.clock.now()
    rules = default_rules()
    lanes = channel_health(
        uow=system.uow(),
        catalogue=active_catalogue(uow=system.uow()).catalogue,
        now=now,
        active_peaks=active_peaks(peak_events_around(now, rules), now.date()),
        stall=rules.triggers.stall_window,
    )
    return [
        h.as_record() | {"channel_id": h.channel_id, "country": h.country}
        for (channel_id, _), h in sorted(lanes.items())
        if (channel is None or channel_id == channel) and (h.in_flight or h.backlog_parcels)
    ]
