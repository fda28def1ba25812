"""The switches in force during a run, and which parcels they divert to which backup.

A switch on (channel, country) with share s diverts a parcel when the parcel's own switch
draw is below s, so raising s only ever adds parcels and the same parcels move in every
strategy that opens the same switch. The backup is the switch's named backup when the
parcel's route lists it, else the route's first other choice not itself fully switched away,
not sharing the switch's cause (its `avoid` set) and not dearer than the switch's price ratio
times the parcel's own label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["ALL_COUNTRIES", "ActiveSwitch", "Switchboard"]

ALL_COUNTRIES = -1


@dataclass(frozen=True)
class ActiveSwitch:
    channel: int
    country: int  # ALL_COUNTRIES for every lane
    share: float
    backup: int  # -1: each parcel's own first backup
    avoid: frozenset[int] = field(default_factory=frozenset)  # sharing the cause: no target
    max_price_ratio: float = np.inf  # a choice dearer than this x the parcel's label: no target
    rescue_price_ratio: float = np.inf  # ... unless it still keeps the promise, up to this


class Switchboard:
    def __init__(self) -> None:
        self._active: dict[tuple[int, int], ActiveSwitch] = {}

    @property
    def active(self) -> list[ActiveSwitch]:
        return list(self._active.values())

    def set(self, switch: ActiveSwitch) -> None:
        """Open or change a switch; share 0 releases it."""
        key = (switch.channel, switch.country)
        if switch.share <= 0:
            self._active.pop(key, None)
        else:
            self._active[key] = switch

    def share(self, channel: np.ndarray, country: np.ndarray) -> np.ndarray:
        """Share switched away for each (channel, country) pair (the largest that applies)."""
        share = np.zeros(len(channel))
        for s in self._active.values():
            hit = (channel == s.channel) & ((s.country == ALL_COUNTRIES) | (country == s.country))
            share = np.where(hit, np.maximum(share, s.share), share)
        return share

    def preferred_backup(self, channel: np.ndarray, country: np.ndarray) -> np.ndarray:
        preferred = np.full(len(channel), -1, dtype=np.int64)
        for s in self._active.values():
            hit = (channel == s.channel) & ((s.country == ALL_COUNTRIES) | (country == s.country))
            preferred = np.where(hit & (s.backup >= 0), s.backup, preferred)
        return preferred

    def ruled_out(
        self,
        channel: np.ndarray,
        country: np.ndarray,
        choices: np.ndarray,
        cents_now: np.ndarray,
        choice_cents: np.ndarray,
        keeps_promise: np.ndarray,
    ) -> np.ndarray:
        """(n, k): route choices the switches on each parcel's channel rule out as targets:
        sharing the switch's cause, or dearer than its price ratio times the parcel's label
        unless the choice still keeps the parcel's promise (`keeps_promise`, (n, k)) within
        the rescue ratio."""
        ruled_out = np.zeros(choices.shape, dtype=bool)
        for s in self._active.values():
            hit = (channel == s.channel) & ((s.country == ALL_COUNTRIES) | (country == s.country))
            if s.avoid:
                ruled_out |= hit[:, None] & np.isin(choices, list(s.avoid))
            if np.isfinite(s.max_price_ratio):
                dear = choice_cents > s.max_price_ratio * cents_now[:, None]
                rescue = keeps_promise & (choice_cents <= s.rescue_price_ratio * cents_now[:, None])
                ruled_out |= hit[:, None] & dear & ~rescue
        return ruled_out

    def divert(
        self,
        current: np.ndarray,
        country: np.ndarray,
        draw: np.ndarray,
        choices: np.ndarray,
        choice_cents: np.ndarray,
        cents_now: np.ndarray,
        keeps_promise: np.ndarray,
    ) -> np.ndarray:
        """Choice slot each parcel moves to, or -1 to stay on `current`.

        `choices` is (n, k) channel indices of each parcel's route, -1 padded, with their
        prices `choice_cents` and whether each still keeps the promise; `cents_now` is each
        parcel's price on `current`.
        """
        n, slots = choices.shape
        target = np.full(n, -1, dtype=np.int64)
        if not self._active or n == 0:
            return target
        moving = draw < self.share(current, country)
        if not moving.any():
            return target
        preferred = self.preferred_backup(current, country)
        usable = np.zeros((n, slots), dtype=bool)
        for slot in range(slots):
            option = choices[:, slot]
            open_lane = self.share(option, country) < 1.0
            usable[:, slot] = (option >= 0) & (option != current) & open_lane
        usable &= ~self.ruled_out(current, country, choices, cents_now, choice_cents, keeps_promise)
        named = usable & (choices == preferred[:, None]) & (preferred[:, None] >= 0)
        first_named = np.where(named.any(axis=1), named.argmax(axis=1), -1)
        first_usable = np.where(usable.any(axis=1), usable.argmax(axis=1), -1)
        pick = np.where(first_named >= 0, first_named, first_usable)
        return np.where(moving, pick, -1)
