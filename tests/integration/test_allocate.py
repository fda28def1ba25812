"""`allocate` on the store: the LP's ratios are stored, read back as quotas, and honoured."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.builders import NOW, an_order
from tests.integration.test_assign import priced
from tests.unit.selection.selecting import USD
from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import ValidationError
from tradelane.files.catalogue_file import default_catalogue
from tradelane.optimization.lane_costs import AllocationLimits, LaneFigures
from tradelane.selection.policy import Policy, ShareCaps
from tradelane.services.allocate import AllocateCommand, allocate
from tradelane.services.assign import assign_orders
from tradelane.services.catalogues import install_catalogue
from tradelane.services.order_import import import_orders
from tradelane.simulation.order_stream import generate_orders
from tradelane.store.tables import allocation_ratios, assignments
from tradelane.store.uow import UnitOfWork

QUIET_WEEK = date(2027, 1, 12)  # outside every default peak window
UNCAPPED = Policy(rules=(), share_caps=ShareCaps(channel=None, carrier=None))


def three_lines(uow: UnitOfWork) -> None:
    channels = [priced("cheap", 4, "a"), priced("middle", 6, "b"), priced("dear", 9, "c")]
    install_catalogue(
        Catalogue.model_validate({"name": "three", "channels": channels}),
        source="test",
        uow=uow,
        now=NOW,
    )


def stored_ratios(uow: UnitOfWork) -> dict[tuple[str, str], float]:
    with uow:
        return uow.allocations.quotas()


def test_an_optimal_allocation_is_stored_with_every_lane_fully_shared(uow: UnitOfWork) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    import_orders(generate_orders(600, seed=3, start=NOW), source="t", uow=uow, now=NOW)
    cmd = AllocateCommand(
        start=QUIET_WEEK, history_days=60, limits=AllocationLimits(min_on_time=0.5)
    )
    report = allocate(cmd, uow=uow, fx=USD, policy=Policy(), now=NOW)
    assert report.allocation.optimal and report.stored
    ratios = stored_ratios(uow)
    assert ratios == report.shares
    for country in {c for c, _ in ratios}:
        lane = {ch: s for (c, ch), s in ratios.items() if c == country}
        assert sum(lane.values()) == pytest.approx(1.0, abs=1e-4)
        assert max(lane.values()) <= AllocationLimits().channel_cap + 1e-6


def test_an_infeasible_allocation_names_its_constraints_and_stores_nothing(
    uow: UnitOfWork,
) -> None:
    three_lines(uow)
    cmd = AllocateCommand(
        start=QUIET_WEEK,
        volume_per_day=100,
        countries=("US",),
        limits=AllocationLimits(channel_cap=0.3, carrier_cap=1.0),  # 3 x 30 % < 100 %
    )
    report = allocate(cmd, uow=uow, fx=USD, policy=Policy(), now=NOW)
    assert not report.allocation.optimal and not report.stored
    families = {b.family for b in report.allocation.binding}
    assert families & {"channel_cap", "unplaced"}, report.allocation.binding
    assert {b.lane for b in report.allocation.binding} == {"US"}
    assert stored_ratios(uow) == {}


def test_measured_figures_replace_the_catalogue_prices(uow: UnitOfWork) -> None:
    three_lines(uow)
    limits = AllocationLimits(min_on_time=0.0, channel_cap=0.6, carrier_cap=1.0, warm_share=0)
    cmd = AllocateCommand(start=QUIET_WEEK, volume_per_day=50, countries=("US",), limits=limits)
    plain = allocate(cmd, uow=uow, fx=USD, policy=Policy(), now=NOW).shares
    assert plain[("US", "cheap")] == pytest.approx(0.6)
    measured = {("US", "dear"): LaneFigures(cost_per_parcel=1.0)}
    cmd = AllocateCommand(
        start=QUIET_WEEK, volume_per_day=50, countries=("US",), limits=limits, observed=measured
    )
    shares = allocate(cmd, uow=uow, fx=USD, policy=Policy(), now=NOW).shares
    assert shares[("US", "dear")] == pytest.approx(0.6)


def test_a_lane_without_history_needs_a_volume(uow: UnitOfWork) -> None:
    three_lines(uow)
    with pytest.raises(ValidationError, match="volume-per-day"):
        allocate(AllocateCommand(start=QUIET_WEEK), uow=uow, fx=USD, policy=Policy(), now=NOW)


def test_a_lane_without_history_must_name_a_known_country(uow: UnitOfWork) -> None:
    three_lines(uow)
    cmd = AllocateCommand(start=QUIET_WEEK, volume_per_day=50, countries=("XQ",))
    with pytest.raises(ValidationError, match="unknown ISO 3166 country code") as raised:
        allocate(cmd, uow=uow, fx=USD, policy=Policy(), now=NOW)
    assert raised.value.field == "country" and raised.value.value == "XQ"


def test_assignment_gives_a_channel_at_most_its_stored_share_of_a_lane(uow: UnitOfWork) -> None:
    three_lines(uow)
    with uow:
        uow.allocations.replace(
            {("US", "cheap"): 0.25, ("US", "middle"): 0.5},
            now=NOW,
            horizon_start=NOW,
            horizon_days=7,
        )
        uow.commit()
    sent = [an_order(f"O-{i:03d}", created_at=NOW + timedelta(minutes=i)) for i in range(40)]
    import_orders(sent, source="t", uow=uow, now=NOW)
    assign_orders(uow=uow, now=NOW, fx=USD, policy=UNCAPPED)
    with uow:
        rows = list(uow.connection.execute(select(assignments.c.primary_channel_id)))
        assert uow.connection.execute(select(allocation_ratios)).all()
    mix = [r.primary_channel_id for r in rows]
    assert (mix.count("cheap"), mix.count("middle"), mix.count("dear")) == (10, 20, 10)
