"""A simulated season on the production services: the report agrees with the store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from tradelane.config import Settings
from tradelane.files.rules_file import default_rules
from tradelane.files.scenario_file import read_scenario
from tradelane.selection.conditions import FxTable
from tradelane.services.season import run_season
from tradelane.simulation.parcels import Fate
from tradelane.simulation.report import summarize
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.strategies import Strategy
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.tables import alerts, shipments, switches
from tradelane.store.uow import UnitOfWork

SCALE = 0.01  # about 1,100 orders: a few seconds per season


def _season(engine: Engine, strategy: str, *, scale: float = SCALE) -> SeasonRun:
    scenario, catalogue = read_scenario("default")
    settings = Settings()
    return run_season(
        scenario.scaled(scale),
        catalogue,
        Strategy.named(strategy),
        uow=UnitOfWork(engine),
        fx=FxTable(settings.fx_rates, settings.settlement_currency),
        rules=default_rules(),
    )


def _count(engine: Engine, *where: object) -> int:
    with engine.connect() as connection:
        query = select(func.count()).select_from(shipments).where(*where)  # type: ignore[arg-type]
        return int(connection.scalar(query) or 0)


@pytest.mark.slow
def test_report_figures_equal_those_recomputed_from_stored_shipments(engine: Engine) -> None:
    run = _season(engine, "automated")
    summary = summarize(run)
    delivered = shipments.c.status == "delivered"
    on_time = delivered & (shipments.c.delivered_at <= shipments.c.promised_at)
    assert _count(engine, delivered) == summary.delivered
    assert _count(engine, shipments.c.status == "lost") == summary.lost
    outcomes = run.outcomes
    delivered_on_time = (outcomes.fate == Fate.DELIVERED) & (
        outcomes.delivered_h <= outcomes.promised_h
    )
    assert _count(engine, on_time) == int(delivered_on_time.sum()) > 0
    with engine.connect() as connection:
        stored_switches = int(connection.scalar(select(func.count()).select_from(switches)) or 0)
        stored_alerts = int(connection.scalar(select(func.count()).select_from(alerts)) or 0)
    assert stored_switches >= summary.switches > 0
    assert stored_alerts == summary.alerts
    assert summary.delivered_cost > Decimal(0)


@pytest.mark.slow
def test_every_simulated_order_is_accounted_for_in_the_store(sqlite_engine: Engine) -> None:
    run = _season(sqlite_engine, "primary_only")
    s = summarize(run)
    assert s.delivered + s.lost + s.returned + s.in_flight + s.unrouted == s.orders
    labelled = _count(sqlite_engine)
    assert labelled >= s.shipped  # moved orders keep their first, voided label


@pytest.mark.slow
def test_automated_switching_beats_primary_only_on_the_default_scenario(
    sqlite_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Same seed, same orders: the production sweep + switching must lift on-time delivery,
    above all for orders placed while passenger-belly flights are cancelled."""
    automated = summarize(_season(sqlite_engine, "automated", scale=0.02))
    other = make_engine(f"sqlite:///{tmp_path_factory.mktemp('primary') / 'season.db'}")
    migrate(other)
    primary_only = summarize(_season(other, "primary_only", scale=0.02))
    assert automated.orders == primary_only.orders
    assert automated.on_time_rate >= primary_only.on_time_rate + 0.005
    assert automated.on_time_in_disruption is not None
    assert primary_only.on_time_in_disruption is not None
    assert automated.on_time_in_disruption >= primary_only.on_time_in_disruption + 0.02
