"""Experiment arms in assignment: an order in a running A/B test is decided on its arm's mix.

    a day's orders ─▶ arm mix per order (the first stored experiment that takes it)
                   ─▶ per mix: `decide` on the catalogue's channels of that mix
                   ─▶ orders no channel of their mix could take, and orders in no experiment:
                      `decide` on the whole catalogue, last
Selection ranks the channels of the mix by its usual scores (order of preference in the arm is
not a tie-break). An order its mix cannot carry falls back to every channel, so an experiment
never leaves an order unassigned; results stay intention-to-treat (services/experiments.py).
Each call of `decide` must draw on what earlier calls used (capacity, stock).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tradelane.domain.catalog import Catalogue
from tradelane.optimization.experiment_design import Experiment, arm_channels
from tradelane.selection.decision import AssignmentRecord
from tradelane.selection.facts import ParcelFacts

__all__ = ["decide_with_arms"]

Decide = Callable[[Catalogue, list[ParcelFacts]], list[AssignmentRecord]]


def decide_with_arms(
    facts: Sequence[ParcelFacts],
    catalogue: Catalogue,
    experiments: Sequence[Experiment],
    decide: Decide,
) -> list[AssignmentRecord]:
    """Records of `facts`: orders of an experiment arm on its mix first, then the rest."""
    by_mix: dict[tuple[str, ...], list[ParcelFacts]] = {}
    for f in facts if experiments else ():
        mix = arm_channels(experiments, f.order_id, f.created_at, f.country)
        if mix is not None:
            by_mix.setdefault(mix, []).append(f)
    records: list[AssignmentRecord] = []
    for mix, group in by_mix.items():
        channels = [ch for ch in catalogue.channels if ch.id in mix]
        if channels:
            arm_catalogue = catalogue.model_copy(update={"channels": channels})
            records += [r for r in decide(arm_catalogue, group) if r.primary_channel_id]
    decided = {r.order_id for r in records}
    rest = [f for f in facts if f.order_id not in decided]
    return records + (decide(catalogue, rest) if rest else [])
