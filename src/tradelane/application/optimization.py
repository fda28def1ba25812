"""The optimization use cases of the application core: channel scorecards, A/B tests of
channel mixes and the allocation ratios (quotas) of each lane.

Mixed into Application (application/__init__.py) so that the CLI and the API reach them
the same way: `system.create_experiment(...)`, `system.allocate(...)`. Each method reads and
writes as the application's tenant and takes an explicit `now`/`as_of` (None: the clock's time).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tradelane.application.base import ApplicationBase
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.optimization.experiment_design import Experiment
from tradelane.optimization.experiment_results import ExperimentResults
from tradelane.optimization.scorecards import Scorecard, ScoreKey
from tradelane.selection.policy import Policy
from tradelane.services.allocate import AllocateCommand, AllocationReport, allocate
from tradelane.services.experiments import (
    create_experiment,
    experiment_status,
    list_experiments,
    stop_experiment,
)
from tradelane.services.scorecards import PeriodUnit, ScoreSource, channel_scorecards

__all__ = ["OptimizationUseCases"]


class OptimizationUseCases(ApplicationBase):
    """Scorecards, experiments and allocation, bound to the host's tenant and clock."""

    def scorecards(
        self,
        by: Sequence[ScoreKey],
        *,
        as_of: datetime | None = None,
        source: ScoreSource = ScoreSource.ALL,
        period: PeriodUnit = PeriodUnit.MONTH,
    ) -> list[Scorecard]:
        """The tenant's scorecards grouped by `by` (channel, lane, period, in that order)."""
        return channel_scorecards(
            uow=self.uow(),
            by=[key for key in ScoreKey if key in by],
            fx=self.fx,
            as_of=self._now(as_of),
            source=source,
            period=period,
        )

    def create_experiment(
        self,
        experiment: Experiment,
        *,
        shares: Sequence[float] = (),
        now: datetime | None = None,
    ) -> Experiment:
        """Store a new experiment, stamped `now` (None: the clock's time); each arm's channels
        must be in the active catalogue (InputErrors naming the arm otherwise); Conflict when
        its id is taken."""
        known = {channel.id for channel in self.catalogue().catalogue.channels}
        unknown = [
            ValidationError(
                "not a channel of the active catalogue", field=f"arms.{i}.channels", value=ch
            )
            for i, arm in enumerate(experiment.arms)
            for ch in arm.channels
            if ch not in known
        ]
        if unknown:
            raise InputErrors("experiment", unknown)
        if shares and len(shares) != len(experiment.arms):
            raise ValidationError("give one share per arm", field="shares", value=list(shares))
        return create_experiment(
            experiment, uow=self.uow(), now=self._now(now), shares=tuple(shares)
        )

    def experiments(self) -> list[Experiment]:
        """The tenant's experiments, oldest first."""
        return list_experiments(uow=self.uow())

    def experiment_status(
        self,
        experiment_id: str,
        *,
        as_of: datetime | None = None,
        rebalance: bool = False,
    ) -> tuple[Experiment, ExperimentResults]:
        """The experiment with its results per arm and against the control at `as_of`."""
        return experiment_status(
            experiment_id,
            uow=self.uow(),
            fx=self.fx,
            as_of=self._now(as_of),
            rebalance=rebalance,
        )

    def stop_experiment(
        self, experiment_id: str, *, reason: str, now: datetime | None = None
    ) -> Experiment:
        return stop_experiment(experiment_id, uow=self.uow(), now=self._now(now), reason=reason)

    def allocation_quotas(self) -> dict[tuple[str, str], float]:
        """(country, channel id) -> the stored share of the tenant's latest allocation."""
        with self.uow() as uow:
            return uow.allocations.quotas()

    def allocate(
        self,
        command: AllocateCommand,
        *,
        policy: Policy | None = None,
        now: datetime | None = None,
    ) -> AllocationReport:
        """Solve the lanes' allocation and store it as quotas when optimal (command.store)."""
        return allocate(
            command,
            uow=self.uow(),
            fx=self.fx,
            policy=policy or self.policy,
            now=self._now(now),
        )
