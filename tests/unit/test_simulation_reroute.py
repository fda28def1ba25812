"""Re-routing at the origin hub: parcels handed over but not departed move to another line."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from tests.fakes import StuckParcelMonitor, StuckParcelSwitcher, StuckParcelTracker
from tests.seasons import a_season, catalogue
from tradelane.simulation.model import SeasonModel, Services
from tradelane.simulation.routing import CheapestEligibleRouter
from tradelane.simulation.run import SeasonRun
from tradelane.simulation.strategies import Strategy

FEE = Decimal("1.75")


def _run(fee: Decimal | None) -> tuple[SeasonModel, SeasonRun, StuckParcelTracker]:
    scenario = a_season(scale=0.03)
    tracker = StuckParcelTracker()
    router = CheapestEligibleRouter(catalogue(), stock=scenario.stocked_skus())
    switcher = StuckParcelSwitcher(tracker, reroute_fee=fee)
    services = Services(router, tracker, StuckParcelMonitor(tracker), switcher)
    model = SeasonModel(scenario, catalogue(), Strategy.named("automated"), services)
    return model, model.run(), tracker


def _hub_moves(run: SeasonRun) -> np.ndarray:
    """Indices into the run's moves of moves made after the parcel was picked up."""
    moves, o = run.outcomes.moves, run.outcomes
    return np.flatnonzero(o.pickup_h[moves.parcel] <= moves.at_h)


def test_a_switch_with_a_fee_reroutes_parcels_waiting_at_origin_to_a_line_from_the_same_hub() -> (
    None
):
    model, run, _ = _run(FEE)
    moves, o, net = run.outcomes.moves, run.outcomes, model.network
    hub = _hub_moves(run)
    assert len(hub) > 50
    parcel, source = moves.parcel[hub], moves.from_channel[hub]
    target = moves.to_channel[hub]
    assert all(net.origins[a] == net.origins[b] for a, b in zip(source, target, strict=True))
    assert not net.domestic[target].any()
    assert (source != target).all()
    departed = ~np.isnan(o.depart_h[parcel])
    assert departed.mean() > 0.9
    assert (o.depart_h[parcel][departed] >= moves.at_h[hub][departed]).all()


def test_a_rerouted_parcel_pays_its_new_lines_price_plus_the_stated_fee() -> None:
    model, run, _ = _run(FEE)
    moves, table = run.outcomes.moves, model.table
    last_move = {int(p): int(t) for p, t in zip(moves.parcel, moves.to_channel, strict=True)}
    for i in _hub_moves(run)[:200]:
        p = int(moves.parcel[i])
        if last_move[p] != int(moves.to_channel[i]):
            continue  # moved again later
        slot = int(np.flatnonzero(table.choices[p] == table.channel[p])[0])
        assert table.cents[p] == table.choice_cents[p, slot] + int(FEE * 100)


def test_the_old_label_is_voided_so_it_no_longer_counts_as_stuck() -> None:
    _, run, tracker = _run(FEE)
    moves = run.outcomes.moves
    hub = _hub_moves(run)
    voided = {f"TL{int(p) + 1:010d}-0" for p in moves.parcel[hub]}
    assert voided and not voided & set(tracker.picked_up_at)


def test_without_a_fee_a_switch_moves_no_parcel_already_handed_over() -> None:
    _, run, _ = _run(None)
    assert len(run.outcomes.moves.parcel) > 0
    assert len(_hub_moves(run)) == 0
