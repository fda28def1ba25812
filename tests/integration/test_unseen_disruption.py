"""Switching on a disruption no packaged scenario has: Cainiao stops collecting for six days
after Singles' Day (another kind, date, severity and carrier than the packaged ones), run on
the production services. The mechanism must find the stop from the lane's own flow, name the
carrier as the cause, send no traffic to a channel sharing it, and lift on-time delivery at no
more than the stated cost."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest

from tradelane.config import Settings
from tradelane.files.rules_file import default_rules
from tradelane.files.scenario_file import read_scenario
from tradelane.selection.conditions import FxTable
from tradelane.services.season import run_season
from tradelane.simulation.report import StrategySummary, summarize
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.scenarios import CarrierOutage, Scenario
from tradelane.simulation.strategies import Strategy
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

SCALE = 0.03
STOP = CarrierOutage(
    name="Cainiao collection stop",
    carrier="cainiao",
    start=datetime(2026, 11, 14, tzinfo=UTC),
    end=datetime(2026, 11, 20, tzinfo=UTC),
    severity=0.9,
    announced_after_hours=None,  # no advisory: the lane's own flow must show it
)


def _scenario() -> Scenario:
    scenario = read_scenario("calm-peak")[0].scaled(SCALE)
    return scenario.model_copy(update={"name": "unseen-cainiao-stop", "disruptions": [STOP]})


@cache
def _run(strategy: str, directory: str) -> SeasonRun:
    engine = make_engine(f"sqlite:///{directory}/{strategy}.db")
    migrate(engine)
    settings = Settings()
    return run_season(
        _scenario(),
        read_scenario("default")[1],
        Strategy.named(strategy),
        uow=UnitOfWork(engine),
        fx=FxTable(settings.fx_rates, settings.settlement_currency),
        rules=default_rules(),
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SeasonRun]:
    directory = str(tmp_path_factory.mktemp("unseen"))
    return {s: _run(s, directory) for s in ("primary_only", "automated")}


def _summary(runs: dict[str, SeasonRun], strategy: str) -> StrategySummary:
    return summarize(runs[strategy])


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="known gap (issue 10): the collection stop (10 % of pickups go on) is switched "
    "72.5 h after it starts, not within 48 h; at this scale the pickup-flow drop is not "
    "significant on day one and the pickup-silence share needs 36 h",
)
def test_the_collection_stop_is_switched_within_two_days_naming_the_carrier(
    runs: dict[str, SeasonRun],
) -> None:
    run = runs["automated"]
    start_h = (STOP.start - run.scenario.start).total_seconds() / 3600
    opened = [s for s in run.switches if s.opens and s.channel_id == "cainiao-standard"]
    assert opened
    assert min(s.at_h for s in opened) - start_h <= 48
    assert any("cause carrier cainiao" in s.reason for s in opened)


@pytest.mark.slow
def test_no_parcel_moves_from_cainiao_to_a_channel_of_the_same_carrier(
    runs: dict[str, SeasonRun],
) -> None:
    run = runs["automated"]
    moves = run.outcomes.moves
    ids = np.array(run.channel_ids)
    moved_off = ids[moves.from_channel] == "cainiao-standard"
    assert moved_off.sum() > 0
    assert not (ids[moves.to_channel][moved_off] == "cainiao-standard").any()


@pytest.mark.slow
def test_automation_lifts_on_time_in_the_disruption_at_no_more_than_five_percent_cost(
    runs: dict[str, SeasonRun],
) -> None:
    automated, primary = _summary(runs, "automated"), _summary(runs, "primary_only")
    assert automated.on_time_in_disruption is not None
    assert primary.on_time_in_disruption is not None
    assert automated.on_time_in_disruption > primary.on_time_in_disruption
    assert automated.cost_per_delivered is not None and primary.cost_per_delivered is not None
    assert automated.cost_per_delivered <= primary.cost_per_delivered * 105 / 100
