"""A simulated peak season driven through the production services.

    scenario ─▶ SelectionRouter (selection engine; optimized: + season plan's ratios as
                quotas) ─▶ simulated network (SimPy)
             ─▶ StoreTracker (ingestion) · StoreMonitor (sweep) · StoreSwitcher (switching)
             · StoreAdvisories (announced disruptions, recorded as advisories)
             ─▶ SeasonRun (per-parcel outcomes) + the store it wrote

Each run writes to the unit of work it is given: use a fresh database per strategy so the
stored shipments of one run can be checked against its report.
"""

from __future__ import annotations

from datetime import timedelta

from tradelane.domain.catalog import Catalogue
from tradelane.monitoring.plan import MonitoringPlan
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.selection.conditions import FxTable
from tradelane.selection.season import default_peak_windows
from tradelane.services.simulation_ports import (
    StoreAdvisories,
    StoreMonitor,
    StoreSwitcher,
    StoreTracker,
)
from tradelane.simulation.model import Progress, Services, simulate
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.running_quotas import RunningQuotas
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.season_plan import season_ratios
from tradelane.simulation.selection_router import SelectionRouter
from tradelane.simulation.strategies import Strategy, StrategyKind
from tradelane.store.uow import UnitOfWork
from tradelane.switching.triggers import SwitchingRules

__all__ = ["network_catalogue", "production_services", "run_season"]


def network_catalogue(catalogue: Catalogue, capacity_scale: float) -> Catalogue:
    """The catalogue as the simulated network has it: daily capacities times the scale, so
    capacity-relative health figures mean the same at any simulated volume."""
    channels = [
        channel.model_copy(
            update={"daily_capacity": max(1, round(channel.daily_capacity * capacity_scale))}
        )
        for channel in catalogue.channels
    ]
    return catalogue.model_copy(update={"channels": channels})


def production_services(
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    uow: UnitOfWork,
    fx: FxTable,
    rules: SwitchingRules,
    strategy: Strategy | None = None,
) -> Services:
    """With the optimized strategy the router keeps the season plan's ratios as quotas."""
    start = scenario.start
    end = start + timedelta(hours=scenario.horizon_hours)
    windows = [w for year in range(start.year, end.year + 1) for w in default_peak_windows(year)]
    quotas = None
    if strategy is not None and strategy.kind == StrategyKind.OPTIMIZED:
        scaled = network_catalogue(catalogue, scenario.capacity_scale)
        plan = season_ratios(scenario, scaled, fx=fx, peak_windows=windows)
        quotas = RunningQuotas(plan)
    router = SelectionRouter(
        catalogue,
        fx=fx,
        stock_by_channel=scenario.stocked_skus(),
        peak_windows=windows,
        quotas=quotas,
    )
    scaled_catalogue = network_catalogue(catalogue, scenario.capacity_scale)
    switcher = StoreSwitcher(uow, scaled_catalogue, rules)
    monitor = StoreMonitor(
        uow, MonitoringPlan.build(MonitoringConfig(), catalogue.channels, windows)
    )
    return Services(
        router=router,
        tracker=StoreTracker(uow),
        monitor=monitor,
        switcher=switcher,
        advisories=StoreAdvisories(uow, scaled_catalogue),
    )


def run_season(
    scenario: Scenario,
    catalogue: Catalogue,
    strategy: Strategy,
    *,
    uow: UnitOfWork,
    fx: FxTable,
    rules: SwitchingRules,
    seed: int | None = None,
    progress: Progress | None = None,
) -> SeasonRun:
    """One season under `strategy`, every port served by the production services."""
    services = production_services(
        scenario, catalogue, uow=uow, fx=fx, rules=rules, strategy=strategy
    )
    return simulate(scenario, catalogue, strategy, services, seed=seed, progress=progress)
