"""The rescue budget rule both the simulator's switchboard and the product's re-assignment
call: rescues cheapest first while their extra price fits, past it the best cheap choice."""

from __future__ import annotations

import numpy as np

from tradelane.switching.move_choice import choose_within_budget

# slot 0: cheap, cannot keep the promise; slot 1: dearer (rescue only), keeps it
USABLE = np.ones((3, 2), dtype=bool)
NAMED = np.zeros((3, 2), dtype=bool)
KEEPS = np.tile([False, True], (3, 1))
RESCUE_ONLY = np.tile([False, True], (3, 1))
CENTS = np.tile([500.0, 1500.0], (3, 1))
NOW = np.full(3, 500.0)


def test_equal_rescues_are_taken_in_row_order_while_their_extra_price_fits() -> None:
    pick, spent = choose_within_budget(USABLE, NAMED, KEEPS, RESCUE_ONLY, CENTS, NOW, 2500.0)
    assert pick.tolist() == [1, 1, 0]
    assert spent == 2000.0


def test_without_budget_every_row_falls_back_to_its_choice_within_the_ratio() -> None:
    pick, spent = choose_within_budget(USABLE, NAMED, KEEPS, RESCUE_ONLY, CENTS, NOW, 0.0)
    assert pick.tolist() == [0, 0, 0]
    assert spent == 0.0


def test_rows_that_need_no_rescue_spend_nothing() -> None:
    keeps = np.ones((3, 2), dtype=bool)
    pick, spent = choose_within_budget(USABLE, NAMED, keeps, RESCUE_ONLY, CENTS, NOW, 0.0)
    assert pick.tolist() == [0, 0, 0]
    assert spent == 0.0


def test_the_cheapest_rescues_are_taken_first_so_the_budget_keeps_the_most_promises() -> None:
    cents = np.array([[500.0, 3500.0], [500.0, 1500.0], [500.0, 1500.0]])
    pick, spent = choose_within_budget(USABLE, NAMED, KEEPS, RESCUE_ONLY, cents, NOW, 2500.0)
    assert pick.tolist() == [0, 1, 1]  # two rescues at 1,000 each, not the first at 3,000
    assert spent == 2000.0


def test_moves_within_the_ratio_spend_the_budget_before_any_rescue() -> None:
    # row 0 moves within the ratio at 300 extra (800 on a 500 label); rows 1-2 need a rescue
    cents = np.array([[800.0, 1500.0], [500.0, 1500.0], [500.0, 1500.0]])
    keeps = np.array([[True, True], [False, True], [False, True]])
    pick, spent = choose_within_budget(USABLE, NAMED, keeps, RESCUE_ONLY, cents, NOW, 1500.0)
    assert pick.tolist() == [0, 1, 0]  # 1,500 - 300 leaves one rescue of 1,000, not two
    assert spent == 1300.0
