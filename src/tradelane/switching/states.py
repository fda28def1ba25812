"""The vocabulary switching shares with the store and the selection engine.

A lane is one channel to one destination country. Its health state moves
healthy → degraded → failed → recovering → healthy (see policy.py); a switch moves a share of
a channel's new orders (and of its not-yet-handed-over orders) to a backup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tradelane.domain.catalog import LaneKey

__all__ = ["ActiveSwitch", "HealthState", "LaneKey", "SwitchKind", "SwitchRecord"]


class HealthState(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    FAILED = "failed"
    RECOVERING = "recovering"


class SwitchKind(StrEnum):
    """Who governs a switch: the policy opens and closes `automatic` and `forced` ones
    (a forced switch closes after the same recovery hold as an automatic one); only a person
    releases a `pinned` one; `peak` switches follow the peak calendar."""

    AUTOMATIC = "automatic"
    FORCED = "forced"
    PINNED = "pinned"
    PEAK = "peak"


@dataclass(frozen=True)
class ActiveSwitch:
    """An open switch as the policy and the selection engine see it.

    `country` None covers every lane of the channel; `backup_channel_id` None lets the
    selection engine pick the best eligible backup per order. 0 < share <= 1.
    `peak_key` names the peak event of a `peak` switch (e.g. "black_friday-2026").
    """

    switch_id: int
    channel_id: str
    country: str | None
    share: float
    backup_channel_id: str | None = None
    kind: SwitchKind = SwitchKind.AUTOMATIC
    peak_key: str | None = None

    def covers(self, channel_id: str, country: str) -> bool:
        return self.channel_id == channel_id and self.country in (None, country)


@dataclass(frozen=True)
class SwitchRecord:
    """One row of the audit trail: what moved, why (trigger values), who decided, when."""

    switch_id: int
    channel_id: str
    country: str | None
    backup_channel_id: str | None
    share: float
    kind: SwitchKind
    trigger: Mapping[str, Any]
    reason: str
    actor: str
    started_at: datetime
    ended_at: datetime | None = None
    ended_by: str | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def as_active(self) -> ActiveSwitch:
        peak_key = self.trigger.get("peak_key")
        return ActiveSwitch(
            switch_id=self.switch_id,
            channel_id=self.channel_id,
            country=self.country,
            share=self.share,
            backup_channel_id=self.backup_channel_id,
            kind=self.kind,
            peak_key=str(peak_key) if peak_key is not None else None,
        )
