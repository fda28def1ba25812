"""What selection answers for one order: primary, ranked backups, and per-channel quotes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tradelane.domain.catalog import Channel, Lane
from tradelane.domain.money import Money
from tradelane.selection.eta import EtaQuote
from tradelane.selection.pricing import PriceQuote
from tradelane.selection.scoring import ScoreBreakdown

__all__ = ["AssignmentRecord", "ChannelQuote", "Choice", "Decision"]


@dataclass(frozen=True, slots=True)
class ChannelQuote:
    """One channel evaluated for one order. `refusals` empty means the channel fits."""

    position: int  # index in the catalogue (breaks score ties)
    channel: Channel
    lane: Lane | None
    refusals: tuple[str, ...]
    price: PriceQuote | None  # None without a lane or a rate tier
    eta: EtaQuote | None  # None without a lane
    score: ScoreBreakdown | None  # None when the channel does not fit

    @property
    def fits(self) -> bool:
        return not self.refusals


@dataclass(frozen=True, slots=True)
class Choice:
    """A chosen channel (primary or backup) with the numbers that chose it.

    `rank_score` is what ranked it: the score total, or for a channel an active switch
    promotes, the score of the channel it replaces (`switched_from`).
    """

    channel_id: str
    price: float  # settlement currency
    on_time_probability: float
    expected_late_days: float
    breakdown: ScoreBreakdown
    rank_score: float
    diversifications: tuple[str, ...] = ()
    switched_from: str | None = None


@dataclass(frozen=True)
class Decision:
    """The assignment of one order. `refusals` (channel id -> reasons) is filled when no
    channel can take the order, so the order is reported with why rather than dropped."""

    order_id: str
    currency: str
    primary: Choice | None
    backups: tuple[Choice, ...] = ()
    refusals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def channel_ids(self) -> tuple[str | None, tuple[str, ...]]:
        """(primary id, backup ids): what the two engines must agree on."""
        primary = None if self.primary is None else self.primary.channel_id
        return primary, tuple(b.channel_id for b in self.backups)


@dataclass(frozen=True)
class AssignmentRecord:
    """An assignment as stored: a Decision flattened, with its explanation and provenance.

    `primary_channel_id` None records an order no channel could take; `reason` says why.
    """

    order_id: str
    primary_channel_id: str | None
    backup_channel_ids: tuple[str, ...]
    cost: Money | None  # of the primary, settlement currency
    on_time_probability: float | None
    score: Mapping[str, Any]  # explain.score_document
    reason: str
    policy_version: str
    catalogue_version_id: int | None
    assigned_at: datetime
    cause: str = "initial"  # initial, switch, manual
