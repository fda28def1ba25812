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

from tradelane.switching.move_choice import choose_within_budget, pick_slot, price_bands

__all__ = ["ALL_COUNTRIES", "ActiveSwitch", "Switchboard", "pick_slot"]

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
    rescue_budget_share: float = 0.0  # rescues' extra spend <= this share of the labels' spend


class Switchboard:
    def __init__(self) -> None:
        self._active: dict[tuple[int, int], ActiveSwitch] = {}
        self.spent_cents = 0.0  # new orders' labels so far
        self.extra_cents = (
            0.0  # extra price of the moves taken so far (rescues and within the ratio)
        )

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

    def note_spend(self, cents: np.ndarray) -> None:
        """Count new orders' labels: the spend a rescue budget is a share of."""
        self.spent_cents += float(np.sum(cents))

    def _limits(
        self,
        channel: np.ndarray,
        country: np.ndarray,
        choices: np.ndarray,
        cents_now: np.ndarray,
        choice_cents: np.ndarray,
        keeps_promise: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(n, k) masks: route choices the switches on each parcel's channel rule out as
        targets (sharing the switch's cause, or dearer than its price ratio times the
        parcel's label), and those allowed only as a rescue (dearer, but still keeping the
        parcel's promise, `keeps_promise`, within the rescue ratio)."""
        ruled_out = np.zeros(choices.shape, dtype=bool)
        rescue_only = np.zeros(choices.shape, dtype=bool)
        for s in self._active.values():
            hit = (channel == s.channel) & ((s.country == ALL_COUNTRIES) | (country == s.country))
            if s.avoid:
                ruled_out |= hit[:, None] & np.isin(choices, list(s.avoid))
            out, rescue = price_bands(
                choice_cents,
                cents_now,
                keeps_promise,
                max_price_ratio=s.max_price_ratio,
                rescue_price_ratio=s.rescue_price_ratio,
            )
            ruled_out |= hit[:, None] & out
            rescue_only |= hit[:, None] & rescue
        return ruled_out, rescue_only & ~ruled_out

    def _rescue_budget_left(self) -> float:
        share = max((s.rescue_budget_share for s in self._active.values()), default=0.0)
        return share * self.spent_cents - self.extra_cents

    def choose(
        self,
        current: np.ndarray,
        country: np.ndarray,
        usable: np.ndarray,
        named: np.ndarray,
        choices: np.ndarray,
        choice_cents: np.ndarray,
        cents_now: np.ndarray,
        keeps_promise: np.ndarray,
    ) -> np.ndarray:
        """Slot each parcel takes among its `usable` route choices (`named`: the switch's
        backup), -1 for none (pick_slot's order). A rescue, a choice dearer than the price
        ratio, is taken cheapest first while its extra price fits the rescue budget left (its
        share of the labels' spend so far, less the extra price of every move taken so far,
        those within the ratio included); past it the parcel takes its best choice within the
        price ratio."""
        ruled_out, rescue_only = self._limits(
            current, country, choices, cents_now, choice_cents, keeps_promise
        )
        pick, spent = choose_within_budget(
            usable & ~ruled_out,
            named,
            keeps_promise,
            rescue_only,
            choice_cents,
            cents_now,
            self._rescue_budget_left(),
        )
        self.extra_cents += spent
        return pick

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
        usable &= moving[:, None]
        named = (choices == preferred[:, None]) & (preferred[:, None] >= 0)
        return self.choose(
            current, country, usable, named, choices, choice_cents, cents_now, keeps_promise
        )
