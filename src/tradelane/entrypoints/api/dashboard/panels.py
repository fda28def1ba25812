"""The dashboard's optimization panels for one tenant: scorecards per channel, and the
experiments (running first, then the latest stopped) each with its current result."""

from __future__ import annotations

from dataclasses import dataclass

from tradelane.bootstrap import Application
from tradelane.optimization.experiment_design import Experiment
from tradelane.optimization.experiment_results import ExperimentResults
from tradelane.optimization.scorecards import Scorecard, ScoreKey

__all__ = ["SHOWN_EXPERIMENTS", "ExperimentPanel", "experiment_panels", "scorecard_panel"]

SHOWN_EXPERIMENTS = 10


@dataclass(frozen=True)
class ExperimentPanel:
    experiment: Experiment
    results: ExperimentResults

    @property
    def state(self) -> str:
        return "running" if self.experiment.stopped_at is None else "stopped"


def scorecard_panel(app: Application) -> list[Scorecard]:
    """One scorecard per channel over the tenant's shipments and imported history."""
    return app.scorecards([ScoreKey.CHANNEL])


def experiment_panels(app: Application) -> list[ExperimentPanel]:
    """Running experiments, then stopped ones, newest start first (at most SHOWN_EXPERIMENTS)."""
    found = sorted(
        app.experiments(), key=lambda e: (e.stopped_at is not None, -e.started_at.timestamp())
    )
    now = app.clock.now()
    return [
        ExperimentPanel(*app.experiment_status(e.id, as_of=now)) for e in found[:SHOWN_EXPERIMENTS]
    ]
