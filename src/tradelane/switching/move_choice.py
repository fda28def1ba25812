"""Which line a parcel moved off a switched line takes: the one rule the simulator's
switchboard (arrays of parcels) and the product's re-assignment (one order, one row) share.

    price bands   a choice dearer than max_price_ratio x the parcel's current price is ruled
                  out, unless it keeps the promise within rescue_price_ratio: a rescue
    tiers         within the ratio and keeps the promise ─▶ rescue ─▶ within the ratio
                  ─▶ any usable choice; the switch's named backup first at each tier
    budget        the moves' whole extra price (over each parcel's current price) is
                  spent from one budget: moves within the ratio first (always taken: a
                  backup within the ratio is no extravagance), then rescues cheapest extra
                  price first (ties in row order) while they fit what is left: every rescue
                  keeps one promise, so the cheapest keep the most; the others take their
                  best choice within the ratio (`choose_within_budget`, the one definition
                  both callers use)
"""

from __future__ import annotations

import numpy as np

__all__ = ["choose_within_budget", "pick_slot", "price_bands"]


def price_bands(
    choice_cents: np.ndarray,
    cents_now: np.ndarray,
    keeps_promise: np.ndarray,
    *,
    max_price_ratio: float,
    rescue_price_ratio: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(n, k) masks of choices ruled out as targets by price (dearer than the ratio times the
    parcel's current price `cents_now`, and no rescue) and of those allowed only as a rescue
    (dearer, but keeping the promise within the rescue ratio)."""
    if not np.isfinite(max_price_ratio):
        none = np.zeros(choice_cents.shape, dtype=bool)
        return none, none
    dear = choice_cents > max_price_ratio * cents_now[:, None]
    rescue = keeps_promise & (choice_cents <= rescue_price_ratio * cents_now[:, None])
    return dear & ~rescue, dear & rescue


def pick_slot(
    usable: np.ndarray, named: np.ndarray, keeps_promise: np.ndarray, rescue_only: np.ndarray
) -> np.ndarray:
    """Per row of (n, k) masks, the slot a moved parcel takes, -1 for none: a usable choice
    within the price ratio that still keeps the promise first, else a rescue (dearer, keeps
    it), else the named backup, else the route's first usable choice; the named backup
    before the route's order at each step. A move onto a line that cannot make the promise
    while another usable one can is no rescue."""
    cheap = usable & ~rescue_only
    tiers = (cheap & keeps_promise, usable & keeps_promise, cheap, usable)
    pick = np.full(len(usable), -1, dtype=np.int64)
    for mask in (m for tier in tiers for m in (tier & named, tier)):
        first = np.where(mask.any(axis=1), mask.argmax(axis=1), -1)
        pick = np.where(pick >= 0, pick, first)
    return pick


def choose_within_budget(
    usable: np.ndarray,
    named: np.ndarray,
    keeps_promise: np.ndarray,
    rescue_only: np.ndarray,
    choice_cents: np.ndarray,
    cents_now: np.ndarray,
    budget_left: float,
) -> tuple[np.ndarray, float]:
    """Slot per row by `pick_slot`, with the budget applied: the extra price (choice price
    less `cents_now`, when positive) of the moves within the price ratio is spent first;
    rescues (choices allowed only as a rescue) are then taken cheapest extra price first, ties
    in row order, while their sum fits what `budget_left` has left; a rescue past it falls
    back to the row's best choice within the price ratio. Returns the slots and the whole
    extra price spent (which may exceed `budget_left` through moves within the ratio)."""
    pick = pick_slot(usable, named, keeps_promise, rescue_only)
    extra = _row_extra(pick, choice_cents, cents_now)
    rescued = (pick >= 0) & rescue_only[np.arange(len(pick)), np.maximum(pick, 0)]
    if rescued.any():
        left = budget_left - float(extra[~rescued].sum())
        order = np.argsort(np.where(rescued, extra, np.inf), kind="stable")
        affordable = np.zeros(len(pick), dtype=bool)
        affordable[order] = rescued[order] & (np.cumsum(extra[order]) <= left)
        fallback = pick_slot(usable & ~rescue_only, named, keeps_promise, rescue_only)
        pick = np.where(rescued & ~affordable, fallback, pick)
        extra = _row_extra(pick, choice_cents, cents_now)
    return pick, float(extra.sum())


def _row_extra(pick: np.ndarray, choice_cents: np.ndarray, cents_now: np.ndarray) -> np.ndarray:
    """Per row, the extra price of its pick over its current price (0 when cheaper, or when
    the row does not move: `pick` -1)."""
    extra = choice_cents[np.arange(len(pick)), np.maximum(pick, 0)] - cents_now
    return np.where(pick >= 0, np.maximum(extra, 0.0), 0.0)
