"""Alert figures per parcel: first alert time, precision, early-warning recall, lead time;
and each strategy's share of the oracle's gain."""

from __future__ import annotations

import math
import statistics
from dataclasses import replace

import numpy as np

from tests.fakes import StuckParcelMonitor
from tests.seasons import a_season, catalogue, default_runs, services
from tradelane.simulation.model import simulate
from tradelane.simulation.parcels import Fate
from tradelane.simulation.report import oracle_gain_shares, summarize
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.strategies import Strategy


def _missed(run: SeasonRun, i: int) -> bool | None:
    """True: missed its promise; False: on time; None: not decided by the horizon."""
    o = run.outcomes
    fate = Fate(int(o.fate[i]))
    if fate == Fate.UNROUTED or (fate == Fate.IN_FLIGHT and o.promised_h[i] > o.horizon_h):
        return None
    return not (fate == Fate.DELIVERED and o.delivered_h[i] <= o.promised_h[i])


def test_first_alert_time_is_the_earliest_alert_on_any_label_of_the_parcel() -> None:
    run = default_runs()["automated"]
    earliest: dict[int, float] = {}
    for parcel, at_h in zip(run.alerts.parcel, run.alerts.at_h, strict=True):
        earliest[int(parcel)] = min(earliest.get(int(parcel), math.inf), float(at_h))
    first = run.outcomes.first_alert_h
    assert len(earliest) > 0
    assert {i: float(first[i]) for i in range(len(first)) if not math.isnan(first[i])} == earliest
    assert len(run.alerts) == summarize(run).alerts


def test_alert_figures_equal_a_plain_recount_of_the_alerted_parcels() -> None:
    run = default_runs()["automated"]
    o, quality = run.outcomes, summarize(run).alert_quality
    alerted = [i for i in range(len(o)) if not math.isnan(o.first_alert_h[i])]
    judged = [i for i in alerted if _missed(run, i) is not None]
    missed = [i for i in range(len(o)) if _missed(run, i)]
    warned = [i for i in missed if o.first_alert_h[i] < o.promised_h[i]]
    assert quality.alerted_parcels == len(alerted)
    assert quality.precision == sum(1 for i in judged if _missed(run, i)) / len(judged)
    assert quality.early_warning_recall == len(warned) / len(missed)
    assert quality.median_lead_hours == statistics.median(
        float(o.promised_h[i] - o.first_alert_h[i]) for i in warned
    )


def test_a_strategy_that_raises_no_alert_has_no_alert_figures() -> None:
    quality = summarize(default_runs()["primary_only"]).alert_quality
    assert quality.alerted_parcels == 0
    assert quality.precision is quality.early_warning_recall is quality.median_lead_hours is None


def test_share_of_the_oracle_gain_is_the_gain_over_primary_only_divided_by_the_oracle_gain() -> (
    None
):
    base = summarize(default_runs()["primary_only"])
    rates = {"primary_only": 0.60, "automated": 0.66, "static_backup": 0.57, "oracle": 0.68}
    summaries = [replace(base, strategy=k, on_time_in_disruption=v) for k, v in rates.items()]
    shares = oracle_gain_shares(summaries)
    assert shares[0] == 0.0 and shares[3] == 1.0
    assert shares[1] is not None and math.isclose(shares[1], 0.75)
    assert shares[2] is not None and math.isclose(shares[2], -0.375)


def test_without_an_oracle_or_its_gain_no_share_is_shown() -> None:
    base = summarize(default_runs()["primary_only"])
    alone = [replace(base, strategy="primary_only"), replace(base, strategy="automated")]
    assert oracle_gain_shares(alone) == [None, None]
    level = [
        replace(base, strategy=k, on_time_in_disruption=0.7) for k in ("primary_only", "oracle")
    ]
    assert oracle_gain_shares(level) == [None, None]


def _alerted_and_told(
    promise_at_risk: bool, rule: str = "no_departure"
) -> tuple[np.ndarray, np.ndarray]:
    scenario = a_season(scale=0.02)
    ports, tracker = services(scenario)
    monitor = StuckParcelMonitor(tracker, promise_at_risk=promise_at_risk, rule=rule)
    run = simulate(
        scenario, catalogue(), Strategy.named("automated"), replace(ports, monitor=monitor)
    )
    return ~np.isnan(run.outcomes.first_alert_h), run.outcomes.notified


def test_the_buyer_of_a_parcel_whose_alert_puts_its_eta_past_the_promise_is_told() -> None:
    alerted, told = _alerted_and_told(promise_at_risk=True)
    assert alerted.any() and told[alerted].all()


def test_an_alert_that_leaves_the_promise_standing_tells_the_buyer_nothing() -> None:
    alerted, told = _alerted_and_told(promise_at_risk=False)
    assert alerted.any() and not told[alerted].all()


def test_an_early_warning_alone_tells_the_desk_but_not_the_buyer() -> None:
    """Told as if the alerts left the promise standing: only the switches' moves tell."""
    alerted, told = _alerted_and_told(promise_at_risk=True, rule="promise_at_risk")
    _, told_by_moves_only = _alerted_and_told(promise_at_risk=False)
    assert alerted.any() and not told[alerted].all()
    assert np.array_equal(told, told_by_moves_only)
