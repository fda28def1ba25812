"""Every figure of a simulation report as one JSON document, for scripts.

    {"scenario": ..., "seed": ..., "scale": ..., "orders": ..., "currency": ...,
     "disruptions": [{name, kind, start, end, severity, channels}, ...],
     "strategies": [{"strategy": ..., every StrategySummary figure}, ...]}

Figures are those of `report.summarize_runs` (definitions in simulation/report.py): rates
and shares are fractions (0.731, not 73.1), money is a decimal string in `currency`, hours
and days are numbers, a figure that does not apply is null. Times are ISO 8601 UTC.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from tradelane.simulation.report import StrategySummary, summarize_runs
from tradelane.simulation.run import SeasonRun

__all__ = ["report_document", "report_json", "strategy_figures"]


def report_json(runs: Sequence[SeasonRun], *, scale: float) -> str:
    return json.dumps(report_document(runs, scale=scale), indent=2)


def report_document(runs: Sequence[SeasonRun], *, scale: float) -> dict[str, Any]:
    """The document; `runs` share one scenario and seed (ValueError otherwise)."""
    if not runs or len({(r.scenario.name, r.seed) for r in runs}) != 1:
        raise ValueError("a report compares runs of one scenario and seed")
    first = runs[0]
    start = first.scenario.start
    return {
        "scenario": first.scenario.name,
        "seed": first.seed,
        "scale": scale,
        "orders": len(first.outcomes),
        "currency": first.currency,
        "disruptions": [
            {
                "name": span.name,
                "kind": span.kind,
                "start": (start + timedelta(hours=span.start_h)).isoformat(),
                "end": (start + timedelta(hours=span.end_h)).isoformat(),
                "severity": span.severity,
                "channels": list(span.channel_ids),
            }
            for span in first.disruptions
        ],
        "strategies": [strategy_figures(s) for s in summarize_runs(runs)],
    }


def strategy_figures(s: StrategySummary) -> dict[str, Any]:
    """One strategy's figures, named as in the report."""
    quality = s.alert_quality
    cost = s.cost_per_delivered
    return {
        "strategy": s.strategy,
        "orders": s.orders,
        "shipped": s.shipped,
        "delivered": s.delivered,
        "lost": s.lost,
        "returned": s.returned,
        "in_flight": s.in_flight,
        "unrouted": s.unrouted,
        "on_time_rate": s.on_time_rate,
        "on_time_in_disruption": s.on_time_in_disruption,
        "oracle_gain_share": s.oracle_gain_share,
        "delivered_cost": str(s.delivered_cost),
        "cost_per_delivered": None if cost is None else str(cost),
        "p50_days": s.p50_days,
        "p90_days": s.p90_days,
        "peak_backlog": s.peak_backlog,
        "peak_backlog_at_h": s.peak_backlog_at_h,
        "alerts": s.alerts,
        "alerted_parcels": quality.alerted_parcels,
        "alert_precision": quality.precision,
        "early_warning_recall": quality.early_warning_recall,
        "median_warning_lead_hours": quality.median_lead_hours,
        "detect_hours": list(s.detect_hours),
        "mean_detect_hours": s.mean_detect_hours,
        "switches": s.switches,
        "customers_notified": s.customers_notified,
    }
