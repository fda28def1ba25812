"""Rich tables for the switching commands: switches, lane health, the peak calendar."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table

from tradelane.domain.catalog import Catalogue
from tradelane.switching.health import LaneHealth
from tradelane.switching.peak_settings import PeakPreparation, PeakSettings
from tradelane.switching.peaks import PeakEvent
from tradelane.switching.preparedness import christmas_last_handover
from tradelane.switching.states import LaneKey, SwitchRecord

__all__ = ["cutoff_table", "health_table", "peak_table", "switch_table"]

HEALTH_COLUMNS = (
    "channel",
    "lane",
    "in flight",
    "overdue",
    "delay p50 h",
    "delay p90 h",
    "backlog",
    "backlog h",
    "clearance h",
    "exceptions",
    "capacity used",
)


def _table(title: str, columns: Sequence[str], **options: str) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, **options)  # type: ignore[arg-type]
    return table


def switch_table(records: Sequence[SwitchRecord], title: str) -> Table:
    table = _table(
        title, ("id", "channel", "lane", "share", "backup", "kind", "actor", "started", "ended")
    )
    for r in records:
        ended = f"{r.ended_at:%Y-%m-%d %H:%M} {r.ended_by}" if r.ended_at else "open"
        table.add_row(
            str(r.switch_id),
            r.channel_id,
            r.country or "all",
            f"{r.share:.0%}",
            r.backup_channel_id or "best",
            r.kind.value,
            r.actor,
            f"{r.started_at:%Y-%m-%d %H:%M}",
            ended,
        )
    return table


def health_table(lanes: Mapping[LaneKey, LaneHealth], title: str, channel: str | None) -> Table:
    """Lanes with parcels in flight or a backlog (of one channel if given)."""
    table = _table(title, HEALTH_COLUMNS, justify="right")
    for (channel_id, country), h in sorted(lanes.items()):
        if (channel and channel_id != channel) or not (h.in_flight or h.backlog_parcels):
            continue
        table.add_row(
            channel_id,
            country,
            f"{h.in_flight:,}",
            f"{h.overdue:,}",
            f"{h.delay_p50_hours:.0f}",
            f"{h.delay_p90_hours:.0f}",
            f"{h.backlog_parcels:,}",
            f"{h.backlog_capacity_hours:.1f}",
            f"{h.clearance_hours:.0f}",
            f"{h.exception_rate:.1%}",
            f"{h.capacity_used:.0%}",
        )
    return table


def _prepared(preparation: PeakPreparation) -> str:
    lane = f"/{preparation.country}" if preparation.country else ""
    reserve = preparation.reserved_parcels_per_day
    return (
        f"{preparation.channel_id}{lane} -> {preparation.backup_channel_id or 'best'} "
        f"{preparation.share:.0%}" + (f" (≤{reserve:,}/day)" if reserve else "")
    )


def _scope(event: PeakEvent) -> str:
    if event.markets:
        return ", ".join(sorted(event.markets))
    return f"origin {', '.join(sorted(event.origins))}" if event.origins else "all"


def peak_table(events: Sequence[PeakEvent], settings: PeakSettings, year: int) -> Table:
    columns = ("peak", "day", "window", "scope", "effect", "prepared backups", "source")
    table = _table(f"peak calendar {year} (* = estimate)", columns, overflow="fold")
    for event in events:
        prepared = [_prepared(p) for p in settings.preparations if p.peak == event.kind.value]
        table.add_row(
            event.name + (" *" if event.estimate else ""),
            str(event.day),
            f"{event.starts_on} .. {event.ends_on}",
            _scope(event),
            event.effect.value,
            "\n".join(prepared) or "-",
            event.source,
        )
    return table


def cutoff_table(catalogue: Catalogue, settings: PeakSettings, year: int) -> Table:
    """Last hand-over day per channel lane for delivery by the Christmas deliver-by date."""
    title = f"last hand-over for delivery by {settings.christmas_deliver_by.on(year)}"
    table = _table(title, ("channel", "lane", "p90 days", "peak +%", "last hand-over"))
    for channel in catalogue.channels:
        for lane in channel.lanes:
            t = lane.transit
            last = christmas_last_handover(
                t.p90_days, t.peak_uplift_pct, year=year, settings=settings
            )
            table.add_row(
                channel.id, lane.country, f"{t.p90_days:g}", f"{t.peak_uplift_pct:g}", str(last)
            )
    return table
