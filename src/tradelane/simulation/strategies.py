"""The strategies a season is run under, and the manual desk of the static-backup strategy.

| strategy      | monitor | switching                                                       |
| primary_only  | no      | none: every order ships on its primary                          |
| static_backup | no      | a person switches a channel to its backups a fixed lag after    |
|               |         | its parcels visibly stop moving, and back after the same lag;   |
|               |         | the lanes an advisory hits, the same lag after its publication  |
|               |         | (and back the same lag after it ends)                           |
| automated     | yes     | the Switcher port (tradelane's switching) every control period, |
|               |         | advisories published to its store as they are announced        |
| oracle        | no      | knows every disruption from its start: routes new orders and    |
|               |         | waiting parcels around it (simulation/oracle.py), in its lanes  |
|               |         | plan also switching the lanes it hits fully from its first hour |
|               |         | to its end; the better plan is kept (oracle_plans.py): a bound   |
| optimized     | no      | none; routes by the allocation LP's ratios as running quotas on  |
|               |         | each lane (simulation/running_quotas.py, services/season_plan.py)|
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from tradelane.domain.errors import ValidationError
from tradelane.simulation.announcements import Announcement

__all__ = ["DeskDecision", "ManualDesk", "Strategy", "StrategyKind"]


class StrategyKind(StrEnum):
    PRIMARY_ONLY = "primary_only"
    STATIC_BACKUP = "static_backup"
    AUTOMATED = "automated"
    ORACLE = "oracle"
    OPTIMIZED = "optimized"


@dataclass(frozen=True)
class Strategy:
    kind: StrategyKind
    control_every_hours: float = 6.0
    visible_after_hours: float = 48.0  # parcels still this long before staff notice: estimate
    manual_lag_hours: float = 48.0  # from noticing to a switch in place (and back): estimate
    # fee per parcel re-routed at the origin hub, in cents of the route currency (None: no
    # re-routes); the switching rules' default (data/switching_rules.yaml)
    reroute_fee_cents: int | None = 150
    # the oracle's plan: also switch every lane a disruption in force hits fully to untouched
    # backups (the desk's advisory move without its lags); `oracle_plans` runs both plans
    switches_hit_lanes: bool = False

    def __post_init__(self) -> None:
        if self.control_every_hours <= 0:
            raise ValidationError(
                "must be positive", field="control_every_hours", value=self.control_every_hours
            )

    @classmethod
    def named(cls, name: str) -> Strategy:
        try:
            return cls(StrategyKind(name))
        except ValueError:
            choices = ", ".join(k.value for k in StrategyKind)
            raise ValidationError(
                f"unknown strategy (choose from {choices})", field="strategy", value=name
            ) from None

    @property
    def monitors(self) -> bool:
        return self.kind == StrategyKind.AUTOMATED

    @property
    def notifies_in_flight(self) -> bool:
        """tradelane tells customers of in-flight parcels a revised ETA when it switches."""
        return self.kind == StrategyKind.AUTOMATED


@dataclass(frozen=True)
class DeskDecision:
    noticed: list[int]  # channels whose trouble staff noticed now
    switch_on: list[int]  # channels switched fully to their backups now
    switch_off: list[int]  # channels switched back now


@dataclass
class ManualDesk:
    """A person watching how long parcels have waited at each channel's origin."""

    strategy: Strategy
    channels: int
    noticed_h: np.ndarray = field(init=False)
    calm_since_h: np.ndarray = field(init=False)
    switched: np.ndarray = field(init=False)
    acted_on: set[str] = field(default_factory=set)  # advisories switched for
    released: set[str] = field(default_factory=set)  # ... and switched back after their end

    def __post_init__(self) -> None:
        self.noticed_h = np.full(self.channels, np.nan)
        self.calm_since_h = np.full(self.channels, np.nan)
        self.switched = np.zeros(self.channels, dtype=bool)

    def review(self, now_h: float, longest_wait_h: np.ndarray) -> DeskDecision:
        """Decide from each channel's longest origin wait (hours) at `now_h`."""
        lag = self.strategy.manual_lag_hours
        visible = longest_wait_h > self.strategy.visible_after_hours
        noticed = visible & np.isnan(self.noticed_h)
        self.noticed_h[noticed] = now_h
        self.calm_since_h[visible] = np.nan
        calming = ~visible & np.isnan(self.calm_since_h) & self.switched
        self.calm_since_h[calming] = now_h
        on = visible & ~self.switched & (now_h - self.noticed_h >= lag)
        off = self.switched & ~visible & (now_h - self.calm_since_h >= lag)
        self.switched[on], self.switched[off] = True, False
        self.noticed_h[off | (~visible & ~self.switched)] = np.nan
        return DeskDecision(
            noticed=np.flatnonzero(noticed).tolist(),
            switch_on=np.flatnonzero(on).tolist(),
            switch_off=np.flatnonzero(off).tolist(),
        )

    def read_advisories(
        self, now_h: float, published: Sequence[Announcement]
    ) -> tuple[list[Announcement], list[Announcement]]:
        """The advisories to switch for now (published a manual lag ago) and those to switch
        back (ended a manual lag ago), each once."""
        lag = self.strategy.manual_lag_hours
        on = [
            a
            for a in published
            if a.published_h + lag <= now_h and a.advisory.id not in self.acted_on
        ]
        self.acted_on |= {a.advisory.id for a in on}
        off = [
            a
            for a in published
            if a.advisory.id in self.acted_on
            and a.advisory.id not in self.released
            and max(a.ended_h, a.published_h) + lag <= now_h
        ]
        self.released |= {a.advisory.id for a in off}
        return on, off
