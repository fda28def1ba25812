"""An A/B test of channel mixes: its arms, scope, method and plan (pure; stored as JSON).

    create ─▶ plan: orders per arm for the baseline on-time rate and the minimum detectable
              effect (experiment_results.planned_per_arm)
    orders ─▶ arm: the hash of experiment id + order id against the arm shares in force when
              the order was created (experiment_arms.arm_of); Thompson mode records new
              shares over time, so an order's arm never changes once it exists

Arm 0 is the control; every other arm is compared with it (Bonferroni: α / (arms - 1)).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from tradelane.optimization.experiment_arms import arm_of

__all__ = ["Arm", "Experiment", "ExperimentMethod", "ShareChange", "arm_channels"]


class ExperimentMethod(StrEnum):
    FIXED = "fixed"  # decide once, at the planned sample size
    SEQUENTIAL = "sequential"  # always-valid p-values: look as often as you like
    THOMPSON = "thompson"  # shift share to the arm most likely best on on-time rate


class Arm(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=40)
    channels: tuple[str, ...] = Field(min_length=1)  # the mix, in order of preference


class ShareChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    at: AwareDatetime
    shares: tuple[float, ...]


class Experiment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    arms: tuple[Arm, ...] = Field(min_length=2, max_length=8)
    countries: tuple[str, ...] = ()  # empty: every lane
    method: ExperimentMethod = ExperimentMethod.FIXED
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    power: float = Field(default=0.8, gt=0.5, lt=1)
    baseline_on_time: float = Field(default=0.85, gt=0, lt=1)
    min_effect: float = Field(default=0.05, gt=0, lt=1)  # on-time rate difference to detect
    started_at: AwareDatetime
    stopped_at: AwareDatetime | None = None
    stop_reason: str | None = None
    shares: tuple[ShareChange, ...] = ()  # the first is the split at the start

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [arm.name for arm in self.arms]
        if len(set(names)) != len(names):
            raise ValueError(f"arm names repeat: {', '.join(names)}")
        if self.baseline_on_time + self.min_effect >= 1:
            raise ValueError("baseline_on_time + min_effect must stay below 1")
        for change in self.shares:
            if len(change.shares) != len(self.arms):
                raise ValueError("give one share per arm")
            if min(change.shares) < 0 or abs(sum(change.shares) - 1) > 1e-6:
                raise ValueError("arm shares must be non-negative and sum to 1")
        return self

    @property
    def comparison_alpha(self) -> float:
        return self.alpha / (len(self.arms) - 1)

    def shares_at(self, moment: datetime) -> tuple[float, ...]:
        """The split in force at `moment` (equal shares before any recorded change)."""
        current = tuple(1 / len(self.arms) for _ in self.arms)
        for change in self.shares:
            if change.at <= moment:
                current = change.shares
        return current

    def arm_of(self, order_id: str, created_at: datetime) -> int | None:
        """The arm index of an order created at `created_at`; None outside the run."""
        if created_at < self.started_at or (
            self.stopped_at is not None and created_at >= self.stopped_at
        ):
            return None
        return arm_of(self.id, order_id, self.shares_at(created_at))

    def in_scope(self, country: str | None) -> bool:
        return not self.countries or country in self.countries

    def channels_for(
        self, order_id: str, created_at: datetime, country: str | None
    ) -> tuple[str, ...] | None:
        """The channel mix selection should prefer for this order; None when the order is
        not in the experiment (another lane, before the start, after the stop)."""
        if not self.in_scope(country):
            return None
        arm = self.arm_of(order_id, created_at)
        return None if arm is None else self.arms[arm].channels


def arm_channels(
    experiments: Iterable[Experiment], order_id: str, created_at: datetime, country: str | None
) -> tuple[str, ...] | None:
    """The channel mix of the order's arm in the first of `experiments` that takes it; None
    when none does."""
    for experiment in experiments:
        mix = experiment.channels_for(order_id, created_at, country)
        if mix is not None:
            return mix
    return None
