"""Report figures are the outcomes' figures; switching off a disrupted channel pays."""

from __future__ import annotations

import math
import re
import statistics
from decimal import Decimal

import numpy as np
import pytest

from tests.seasons import a_season, default_runs, run_season
from tradelane.reports.season_html import html_report, switch_spans
from tradelane.simulation.parcels import Fate
from tradelane.simulation.report import backlog_by_channel, summarize
from tradelane.simulation.run import SeasonRun

STRATEGIES = ("primary_only", "static_backup", "automated")


def _plain_on_time(run: SeasonRun) -> float:
    o = run.outcomes
    decided = on_time = 0
    for i in range(len(o)):
        fate = Fate(int(o.fate[i]))
        if fate == Fate.UNROUTED:
            continue
        if fate != Fate.IN_FLIGHT or o.promised_h[i] <= o.horizon_h:
            decided += 1
            on_time += fate == Fate.DELIVERED and o.delivered_h[i] <= o.promised_h[i]
    return on_time / decided


def _plain_peak_backlog(run: SeasonRun) -> int:
    """Hour by hour, parcels labelled and not departed at hh:45 (a move to a backup keeps a
    parcel waiting, so across channels its wait runs from first label to departure)."""
    o, hours = run.outcomes, int(run.horizon_h)
    per_hour = [0] * hours
    for i in range(len(o)):
        if o.fate[i] == Fate.UNROUTED:
            continue
        start, end = float(o.first_label_h[i]), float(o.depart_h[i])
        first = max(0, math.ceil(start - 0.75))
        stop = hours if math.isnan(end) else min(hours, math.ceil(end - 0.75))
        for hour in range(first, stop):
            per_hour[hour] += 1
    return max(per_hour)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_summary_figures_equal_a_plain_recount_of_the_outcomes(strategy: str) -> None:
    run = default_runs()[strategy]
    summary, o = summarize(run), run.outcomes
    delivered = [i for i in range(len(o)) if o.fate[i] == Fate.DELIVERED]
    days = [(o.delivered_h[i] - o.created_h[i]) / 24 for i in delivered]
    assert summary.on_time_rate == pytest.approx(_plain_on_time(run), abs=1e-12)
    assert summary.delivered == len(delivered)
    assert summary.delivered_cost == sum(Decimal(int(o.cents[i])) / 100 for i in delivered)
    assert summary.p50_days == pytest.approx(statistics.median(days))
    assert summary.p90_days == pytest.approx(
        statistics.quantiles(days, n=10, method="inclusive")[8]
    )
    assert summary.peak_backlog == _plain_peak_backlog(run)
    assert summary.switches == sum(1 for s in run.switches if s.share > 0)
    assert summary.customers_notified == int(o.notified.sum())
    assert summary.alerts == sum(d.alerts for d in run.detections if d.source == "monitor")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_backlog_from_outcomes_equals_what_the_live_queues_held(strategy: str) -> None:
    run = default_runs()[strategy]
    assert np.array_equal(
        backlog_by_channel(run.outcomes, len(run.channel_ids)), run.sampled_backlog
    )


def test_switching_off_the_disrupted_channels_beats_primary_only_on_the_default_season() -> None:
    runs = {name: summarize(run) for name, run in default_runs().items()}
    primary, manual, automated = (runs[s] for s in STRATEGIES)
    # stated margins: 2.5 points on every order, 5 points on orders placed during the disruption
    assert automated.on_time_rate >= primary.on_time_rate + 0.025
    assert automated.on_time_in_disruption is not None and primary.on_time_in_disruption
    assert automated.on_time_in_disruption >= primary.on_time_in_disruption + 0.05
    assert manual.on_time_rate > primary.on_time_rate
    assert automated.peak_backlog < primary.peak_backlog
    (auto_detect,), (manual_detect,) = automated.detect_hours, manual.detect_hours
    assert auto_detect is not None and manual_detect is not None and auto_detect < manual_detect
    assert primary.detect_hours == (None,) and primary.switches == 0


def test_html_report_records_scenario_and_seed_and_needs_no_network() -> None:
    runs = list(default_runs().values())
    page = html_report(runs)
    assert "default" in page and f"--seed {runs[0].seed}" in page
    assert all(name in page for name in STRATEGIES)
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert page.count("Plotly.newPlot") == 3 and len(page) > 1_000_000  # plotly.js inlined


def test_html_report_refuses_runs_of_different_seeds() -> None:
    scenario = a_season(scale=0.01)
    with pytest.raises(ValueError, match="one scenario and seed"):
        html_report([run_season(scenario), run_season(scenario, seed=scenario.seed + 1)])


def test_switch_spans_pair_each_opening_with_its_release() -> None:
    run = default_runs()["static_backup"]
    spans = switch_spans(run)
    assert len(spans) == summarize(run).switches
    assert all(start < end <= run.horizon_h for _, start, end in spans)
