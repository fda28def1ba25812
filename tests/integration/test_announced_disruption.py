"""Announced disruptions on the production services: Long Beach congestion that tracking
cannot see for weeks (fast-sea parcels reach the port long after it starts) is announced a
day after it starts; the automated strategy records the advisory and moves new US orders off
the fast-sea lane at the next evaluation, the static desk after its manual lag. Never
announced, nothing moves."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import numpy as np
import pytest

from tradelane.config import Settings
from tradelane.files.rules_file import default_rules
from tradelane.files.scenario_file import read_scenario
from tradelane.selection.conditions import FxTable
from tradelane.services.season import run_season
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import PortCongestion, Scenario
from tradelane.simulation.strategies import Strategy
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

SCALE = 0.02
LANE = ("cn-us-fastsea", "US")
CONGESTION_FROM_H = 48.0
ANNOUNCED_AFTER_H = 24.0  # the kind's default delay


def _scenario(announced: bool) -> Scenario:
    base = read_scenario("ports-and-customs")[0].scaled(SCALE)
    start = base.start + timedelta(hours=CONGESTION_FROM_H)
    fields: dict[str, object] = {} if announced else {"announced_after_hours": None}
    congestion = PortCongestion.model_validate(
        {
            "name": "Long Beach berths",
            "port": "US-LGB",
            "start": start,
            "end": start + timedelta(days=6),
            "severity": 0.7,
            **fields,
        }
    )
    return base.model_copy(update={"days": 8, "drain_days": 2, "disruptions": [congestion]})


@cache
def _run(strategy: str, announced: bool, directory: str) -> SeasonRun:
    engine = make_engine(f"sqlite:///{directory}/{strategy}-{announced}.db")
    migrate(engine)
    settings = Settings()
    return run_season(
        _scenario(announced),
        read_scenario("default")[1],
        Strategy.named(strategy),
        uow=UnitOfWork(engine),
        fx=FxTable(settings.fx_rates, settings.settlement_currency),
        rules=default_rules(),
    )


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("announced"))


def _lane_openings(run: SeasonRun) -> list[float]:
    return [s.at_h for s in run.switches if s.opens and (s.channel_id, s.country) == LANE]


def _on_lane_after(run: SeasonRun, from_h: float) -> int:
    """US orders created after `from_h` that ship on the fast-sea line."""
    o, ids = run.outcomes, np.array(run.channel_ids)
    us = np.array(run.countries)[o.country] == "US"
    return int((us & (o.created_h > from_h) & (ids[o.channel] == LANE[0])).sum())


def test_the_default_delay_of_a_port_congestion_is_a_day() -> None:
    assert _scenario(announced=True).disruptions[0].announced_after_hours == ANNOUNCED_AFTER_H


@pytest.mark.slow
def test_automation_moves_new_orders_off_the_lane_once_the_advisory_is_published(
    directory: str,
) -> None:
    announced, silent = _run("automated", True, directory), _run("automated", False, directory)
    published_h = CONGESTION_FROM_H + ANNOUNCED_AFTER_H
    [opened_h] = _lane_openings(announced)
    assert published_h <= opened_h <= published_h + Strategy.named("automated").control_every_hours
    [switch] = [s for s in announced.switches if s.opens and (s.channel_id, s.country) == LANE]
    assert "advisory sim-1" in switch.reason and "clearance_port US-LGB" in switch.reason
    assert _on_lane_after(silent, opened_h) > 20
    # the rest: parcels whose every backup is dearer than the switch's price ratio allows
    assert _on_lane_after(announced, opened_h) <= _on_lane_after(silent, opened_h) // 2
    assert _lane_openings(silent) == []  # tracking shows nothing wrong within the season


@pytest.mark.slow
def test_the_static_desk_acts_on_the_advisory_after_its_manual_lag(directory: str) -> None:
    run = _run("static_backup", True, directory)
    lag = Strategy.named("static_backup").manual_lag_hours
    published_h = CONGESTION_FROM_H + ANNOUNCED_AFTER_H
    [opened_h] = _lane_openings(run)
    assert published_h + lag <= opened_h <= published_h + lag + 6
    assert _lane_openings(_run("static_backup", False, directory)) == []
