"""A self-contained HTML report of one scenario under several strategies (Plotly, inlined).

The page records the scenario, its description and the seed, shows the summary table and
three charts: backlog over time per channel, on-time rate by strategy, switch timeline.
Every figure comes from `report.summarize_runs` / `report.backlog_by_channel` on the runs, so
the page can be recomputed from the outcomes. plotly.js is inlined: no network needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tradelane.simulation.report import StrategySummary, backlog_by_channel, summarize_runs
from tradelane.simulation.run import SeasonRun

__all__ = ["SUMMARY_HEADINGS", "html_report", "summary_cells", "switch_spans"]

SUMMARY_HEADINGS = (
    "strategy",
    "orders",
    "on-time",
    "on-time in disruption",
    "share of oracle's gain",
    "delivered cost",
    "cost / parcel",
    "p50 days",
    "p90 days",
    "peak backlog",
    "alerts",
    "alert precision",
    "early-warning recall",
    "median warning lead (h)",
    "time to detect (h)",
    "switches",
    "customers notified",
)
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
    "text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}"
)


def html_report(runs: Sequence[SeasonRun]) -> str:
    """The whole page; `runs` share one scenario and seed (ValueError otherwise)."""
    if not runs or len({(r.scenario.name, r.seed) for r in runs}) != 1:
        raise ValueError("a report compares runs of one scenario and seed")
    summaries = summarize_runs(runs)
    figures = [_backlog_figure(runs), _on_time_figure(summaries), _switch_figure(runs)]
    charts = [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(figures)
    ]
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>tradelane simulation "
        f"{escape(runs[0].scenario.name)}</title><style>{STYLE}</style></head><body>"
        f"{_header(runs)}{_table(summaries)}{''.join(charts)}</body></html>"
    )


def _header(runs: Sequence[SeasonRun]) -> str:
    run = runs[0]
    scenario = run.scenario
    strategies = " ".join(f"--strategy {r.strategy.value}" for r in runs)
    spans = "".join(
        f"<li>{escape(s.name)} ({s.kind}, severity {s.severity:g}): "
        f"{_at(run, s.start_h):%Y-%m-%d %H:%M} to {_at(run, s.end_h):%Y-%m-%d %H:%M} UTC, "
        f"channels {escape(', '.join(s.channel_ids) or '-')}</li>"
        for s in run.disruptions
    )
    return (
        f"<h1>Peak season: {escape(scenario.name)}</h1><p>{escape(scenario.description)}</p>"
        f"<p>Scenario <b>{escape(scenario.name)}</b>, seed <b>{run.seed}</b>, "
        f"{scenario.days} days of orders from {scenario.start:%Y-%m-%d} plus "
        f"{scenario.drain_days} days to drain, capacity scale {scenario.capacity_scale:g}. "
        f"Reproduce: <code>tradelane simulate {escape(scenario.name)} --seed {run.seed} "
        f"{strategies}</code></p><ul>{spans}</ul>"
    )


def _table(summaries: Sequence[StrategySummary]) -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in summary_cells(s)) + "</tr>"
        for s in summaries
    )
    header = "".join(f"<th>{h}</th>" for h in SUMMARY_HEADINGS)
    return f"<h2>Strategies</h2><table><tr>{header}</tr>{rows}</table>"


def summary_cells(s: StrategySummary) -> list[str]:
    """One table row of text, shared by the HTML page and the terminal table."""

    def maybe(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    return [
        s.strategy,
        f"{s.orders:,}",
        f"{s.on_time_rate:.1%}",
        maybe(s.on_time_in_disruption, ".1%"),
        maybe(s.oracle_gain_share, ".0%"),
        f"{s.currency} {s.delivered_cost:,.0f}",
        maybe(None if s.cost_per_delivered is None else float(s.cost_per_delivered), ".2f"),
        maybe(s.p50_days, ".1f"),
        maybe(s.p90_days, ".1f"),
        f"{s.peak_backlog:,}",
        f"{s.alerts:,}",
        maybe(s.alert_quality.precision, ".1%"),
        maybe(s.alert_quality.early_warning_recall, ".1%"),
        maybe(s.alert_quality.median_lead_hours, ".0f"),
        maybe(s.mean_detect_hours, ".0f"),
        f"{s.switches}",
        f"{s.customers_notified:,}",
    ]


def _at(run: SeasonRun, hours: float) -> datetime:
    return run.scenario.start + timedelta(hours=float(hours))


def _backlog_figure(runs: Sequence[SeasonRun]) -> go.Figure:
    fig = make_subplots(
        rows=len(runs),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[r.strategy.value for r in runs],
    )
    for row, run in enumerate(runs, start=1):
        backlog = backlog_by_channel(run.outcomes, len(run.channel_ids))
        times = [_at(run, h + 0.75) for h in range(len(backlog))]
        for c in np.flatnonzero(backlog.max(axis=0) > 0):
            fig.add_trace(
                go.Scatter(
                    x=times,
                    y=backlog[:, c],
                    name=run.channel_ids[c],
                    mode="lines",
                    legendgroup=run.channel_ids[c],
                    showlegend=row == 1,
                ),
                row=row,
                col=1,
            )
    fig.update_layout(
        title="Backlog per channel (labelled, not yet departed origin)",
        height=280 * len(runs) + 120,
    )
    return fig


def _on_time_figure(summaries: Sequence[StrategySummary]) -> go.Figure:
    names = [s.strategy for s in summaries]
    fig = go.Figure()
    fig.add_bar(x=names, y=[s.on_time_rate for s in summaries], name="all orders")
    fig.add_bar(
        x=names,
        y=[s.on_time_in_disruption or 0.0 for s in summaries],
        name="orders created during a disruption",
    )
    fig.update_layout(title="On-time rate by strategy", yaxis_tickformat=".0%", barmode="group")
    return fig


def switch_spans(run: SeasonRun) -> list[tuple[str, float, float]]:
    """(channel[/country], opened_h, released_h or horizon) for every switch of the run."""
    opened: dict[str, float] = {}
    spans = []
    for change in run.switches:
        key = change.channel_id + (f"/{change.country}" if change.country else "")
        if change.opens and key not in opened:
            opened[key] = change.at_h
        elif not change.opens and key in opened:
            spans.append((key, opened.pop(key), change.at_h))
    spans += [(key, start, run.horizon_h) for key, start in opened.items()]
    return spans


def _switch_figure(runs: Sequence[SeasonRun]) -> go.Figure:
    fig = go.Figure()
    for index, run in enumerate(runs):
        for n, (key, start, end) in enumerate(switch_spans(run)):
            fig.add_trace(
                go.Scatter(
                    x=[_at(run, start), _at(run, end)],
                    y=[f"{run.strategy.value}: {key}"] * 2,
                    mode="lines",
                    name=run.strategy.value,
                    legendgroup=run.strategy.value,
                    showlegend=n == 0,
                    line={"width": 12, "color": f"hsl({index * 120 % 360},60%,45%)"},
                )
            )
    for span in runs[0].disruptions:
        fig.add_vrect(
            x0=_at(runs[0], span.start_h),
            x1=_at(runs[0], span.end_h),
            fillcolor="red",
            opacity=0.12,
            line_width=0,
            annotation_text=span.name,
        )
    fig.update_layout(title="Switch timeline (shaded: disruptions)", height=420)
    return fig
