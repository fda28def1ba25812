"""What each strategy did about the season's disruptions, read from its run (never scripted).

per disruption ─▶ first detection and first switch after its start, per strategy
per run        ─▶ switches opened, orders moved before pickup, parcels re-routed at the hub,
                  buyers told, the shared cause the switches named
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from rich.table import Table

from tradelane.simulation.run import SeasonRun

__all__ = ["story_table"]

CAUSE = re.compile(r"cause (\w+ [^:;]+):")


def _first_switch_h(run: SeasonRun, start_h: float, channels: tuple[str, ...]) -> float | None:
    times = [
        s.at_h - start_h
        for s in run.switches
        if s.opens and s.at_h >= start_h and s.channel_id in channels
    ]
    return min(times) if times else None


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} h"


def _causes(run: SeasonRun) -> str:
    named = Counter(m.group(1) for s in run.switches if (m := CAUSE.search(s.reason)))
    return ", ".join(cause for cause, _ in named.most_common(2)) or "-"


def story_table(runs: list[SeasonRun]) -> Table:
    """One column per strategy: how fast it reacted and what it moved."""
    table = Table(title="what each strategy did")
    table.add_column("")
    for run in runs:
        table.add_column(run.strategy.value, justify="right")
    first = runs[0]
    for span in first.disruptions:
        table.add_row(
            f"first switch after {span.name}",
            *(_hours(_first_switch_h(run, span.start_h, span.channel_ids)) for run in runs),
        )
    rows: dict[str, list[str]] = {
        "switches opened": [],
        "moved before pickup": [],
        "re-routed at the origin hub": [],
        "buyers told": [],
        "cause named": [],
    }
    for run in runs:
        o, moves = run.outcomes, run.outcomes.moves
        at_hub = int((o.pickup_h[moves.parcel] <= moves.at_h).sum())
        rows["switches opened"].append(str(sum(s.opens for s in run.switches)))
        rows["moved before pickup"].append(f"{len(moves.parcel) - at_hub:,}")
        rows["re-routed at the origin hub"].append(f"{at_hub:,}")
        rows["buyers told"].append(f"{int(np.count_nonzero(o.notified)):,}")
        rows["cause named"].append(_causes(run))
    for heading, cells in rows.items():
        table.add_row(heading, *cells)
    return table
