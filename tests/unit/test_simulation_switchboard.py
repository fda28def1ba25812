"""The switchboard: which parcels a switch diverts, and to which of their backups."""

from __future__ import annotations

import numpy as np

from tradelane.simulation.switchboard import ALL_COUNTRIES, ActiveSwitch, Switchboard

DRAWS = np.linspace(0.0, 0.99, 100)
CHOICES = np.tile([0, 1, 2, -1], (100, 1))  # primary 0, backups 1 and 2
ON_ZERO = np.zeros(100, dtype=np.int64)
COUNTRY = np.zeros(100, dtype=np.int64)


CENTS = np.tile([500, 600, 2500, 0], (100, 1))  # backup 2 costs five times the primary
NO_PROMISE_KEPT = np.zeros((100, 4), dtype=bool)


class _Board(Switchboard):
    def divert_all(
        self,
        current: np.ndarray,
        country: np.ndarray,
        draws: np.ndarray,
        choices: np.ndarray,
        keeps_promise: np.ndarray = NO_PROMISE_KEPT,
    ) -> np.ndarray:
        """Divert parcels priced as CENTS, each on its primary's price."""
        cents = CENTS[: len(choices)]
        return self.divert(current, country, draws, choices, cents, cents[:, 0], keeps_promise)


def _board(*switches: ActiveSwitch) -> _Board:
    board = _Board()
    for switch in switches:
        board.set(switch)
    return board


def test_a_partial_switch_moves_the_parcels_drawn_below_its_share_and_more_only_adds() -> None:
    third = _board(ActiveSwitch(0, ALL_COUNTRIES, 0.3, -1)).divert_all(
        ON_ZERO, COUNTRY, DRAWS, CHOICES
    )
    half = _board(ActiveSwitch(0, ALL_COUNTRIES, 0.5, -1)).divert_all(
        ON_ZERO, COUNTRY, DRAWS, CHOICES
    )
    assert (third >= 0).sum() == 30 and (half >= 0).sum() == 50
    assert ((third >= 0) <= (half >= 0)).all()


def test_the_named_backup_wins_when_the_route_lists_it() -> None:
    slots = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, 2)).divert_all(
        ON_ZERO, COUNTRY, DRAWS, CHOICES
    )
    assert (CHOICES[np.arange(100), slots] == 2).all()


def test_a_backup_switched_away_itself_is_skipped() -> None:
    board = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1), ActiveSwitch(1, ALL_COUNTRIES, 1.0, -1))
    slots = board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES)
    assert (CHOICES[np.arange(100), slots] == 2).all()


def test_a_country_switch_leaves_other_markets_alone() -> None:
    country = np.repeat([0, 1], 50)
    slots = _board(ActiveSwitch(0, 1, 1.0, -1)).divert_all(ON_ZERO, country, DRAWS, CHOICES)
    assert (slots[:50] == -1).all() and (slots[50:] == 1).all()


def test_releasing_a_switch_stops_diverting() -> None:
    board = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1), ActiveSwitch(0, ALL_COUNTRIES, 0.0, -1))
    assert (board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES) == -1).all()
    assert board.active == []


def test_a_parcel_without_an_open_backup_stays() -> None:
    only_primary = np.tile([0, -1, -1, -1], (100, 1))
    slots = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1)).divert_all(
        ON_ZERO, COUNTRY, DRAWS, only_primary
    )
    assert (slots == -1).all()


def test_a_backup_sharing_the_switchs_cause_is_never_a_target() -> None:
    avoid = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1, frozenset({1})))
    slots = avoid.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES)
    assert (CHOICES[np.arange(100), slots] == 2).all()


RESCUE = ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1, frozenset({1}), 2.0, 6.0, 0.05)
EXTRA_CENTS = 2500 - 500  # a rescue onto backup 2


def _kept_on_backup_2(rows: int) -> np.ndarray:
    kept = NO_PROMISE_KEPT.copy()
    kept[:rows, 2] = True
    return kept


def test_a_backup_dearer_than_the_price_ratio_is_skipped_unless_it_alone_keeps_the_promise() -> (
    None
):
    capped = ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1, frozenset({1}), 2.0, 2.0, 0.05)
    assert (_board(capped).divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES) == -1).all()
    board = _board(RESCUE)
    board.note_spend(np.full(100, 50 * EXTRA_CENTS / 0.05 / 100))
    slots = board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES, _kept_on_backup_2(50))
    assert (slots[:50] == 2).all() and (slots[50:] == -1).all()


def test_rescues_stop_when_their_extra_price_uses_up_the_budget_share_of_the_spend() -> None:
    board = _board(RESCUE)
    board.note_spend(np.array([10 * EXTRA_CENTS / 0.05]))  # room for ten rescues
    kept = _kept_on_backup_2(100)
    first = board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES, kept)
    assert (first[:10] == 2).all() and (first[10:] == -1).all()
    assert board.extra_cents == 10 * EXTRA_CENTS
    assert (board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES, kept) == -1).all()
    board.note_spend(np.array([EXTRA_CENTS / 0.05]))  # new orders' spend makes room for one
    assert (board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES, kept) == 2).sum() == 1


def test_without_a_budget_a_dearer_backup_is_no_target_even_if_it_keeps_the_promise() -> None:
    board = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1, frozenset({1}), 2.0, 6.0))
    board.note_spend(np.full(100, 1e9))
    kept = _kept_on_backup_2(100)
    assert (board.divert_all(ON_ZERO, COUNTRY, DRAWS, CHOICES, kept) == -1).all()


def test_a_backup_that_keeps_the_promise_wins_over_an_earlier_one_that_cannot() -> None:
    slots = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1)).divert_all(
        ON_ZERO, COUNTRY, DRAWS, CHOICES, _kept_on_backup_2(30)
    )
    assert (slots[:30] == 2).all() and (slots[30:] == 1).all()


def test_a_backup_within_the_price_ratio_wins_over_a_rescue_when_both_keep_the_promise() -> None:
    rescue_first = np.tile([0, 2, 1, -1], (100, 1))  # the dear backup listed before the cheap
    cents = np.tile([500, 2500, 600, 0], (100, 1))
    both_keep = np.tile([False, True, True, False], (100, 1))
    board = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1, frozenset(), 2.0, 6.0, 0.05))
    board.note_spend(np.full(100, 1e9))
    slots = board.divert(ON_ZERO, COUNTRY, DRAWS, rescue_first, cents, cents[:, 0], both_keep)
    assert (slots == 2).all()
    assert board.extra_cents == 100 * (600 - 500)  # no rescue; the moves' own extra counts
