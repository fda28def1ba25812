"""What one simulated season hands back: outcomes per parcel and the run's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tradelane.simulation.parcels import Outcomes
from tradelane.simulation.scenarios import Scenario
from tradelane.simulation.strategies import StrategyKind

__all__ = ["AlertLog", "AppliedSwitch", "Detection", "DisruptionSpan", "SeasonRun"]


@dataclass(frozen=True)
class AppliedSwitch:
    """A switch change as the run applied it (hours after the scenario start)."""

    at_h: float
    channel_id: str
    country: str | None
    share: float  # 0.0: released
    backup_id: str | None
    source: str  # "switcher" or "manual desk"
    moved: int  # unshipped orders moved to a backup by this change
    notified_in_flight: int  # customers of in-flight parcels newly told a revised ETA
    reason: str = ""

    @property
    def opens(self) -> bool:
        return self.share > 0


@dataclass(frozen=True)
class Detection:
    """Trouble on a channel became known: alerts opened by the monitor, or staff noticed."""

    at_h: float
    channel_id: str
    source: str  # "monitor" or "manual desk"
    alerts: int  # alerts opened (1 for a desk sighting)


@dataclass(frozen=True, eq=False)
class AlertLog:
    """Every alert the monitor opened in a run: the parcel, when (hours), and the rule."""

    parcel: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    at_h: np.ndarray = field(default_factory=lambda: np.empty(0))
    rule: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.parcel)


@dataclass(frozen=True)
class DisruptionSpan:
    name: str
    kind: str
    start_h: float
    end_h: float
    severity: float
    channel_ids: tuple[str, ...]  # channels whose parcels it can touch


@dataclass(frozen=True, eq=False)
class SeasonRun:
    scenario: Scenario
    seed: int
    strategy: StrategyKind
    channel_ids: tuple[str, ...]
    countries: tuple[str, ...]
    outcomes: Outcomes
    switches: tuple[AppliedSwitch, ...]
    detections: tuple[Detection, ...]
    disruptions: tuple[DisruptionSpan, ...]
    sampled_backlog: np.ndarray  # (hours, channels): live queue lengths at hh:45
    events_emitted: int
    unrouted: int
    currency: str  # of every cost in `outcomes.cents`
    alerts: AlertLog = field(default_factory=AlertLog)

    @property
    def horizon_h(self) -> float:
        return self.outcomes.horizon_h
