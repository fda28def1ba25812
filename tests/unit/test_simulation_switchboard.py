"""The switchboard: which parcels a switch diverts, and to which of their backups."""

from __future__ import annotations

import numpy as np

from tradelane.simulation.switchboard import ALL_COUNTRIES, ActiveSwitch, Switchboard

DRAWS = np.linspace(0.0, 0.99, 100)
CHOICES = np.tile([0, 1, 2, -1], (100, 1))  # primary 0, backups 1 and 2
ON_ZERO = np.zeros(100, dtype=np.int64)
COUNTRY = np.zeros(100, dtype=np.int64)


def _board(*switches: ActiveSwitch) -> Switchboard:
    board = Switchboard()
    for switch in switches:
        board.set(switch)
    return board


def test_a_partial_switch_moves_the_parcels_drawn_below_its_share_and_more_only_adds() -> None:
    third = _board(ActiveSwitch(0, ALL_COUNTRIES, 0.3, -1)).divert(ON_ZERO, COUNTRY, DRAWS, CHOICES)
    half = _board(ActiveSwitch(0, ALL_COUNTRIES, 0.5, -1)).divert(ON_ZERO, COUNTRY, DRAWS, CHOICES)
    assert (third >= 0).sum() == 30 and (half >= 0).sum() == 50
    assert ((third >= 0) <= (half >= 0)).all()


def test_the_named_backup_wins_when_the_route_lists_it() -> None:
    slots = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, 2)).divert(ON_ZERO, COUNTRY, DRAWS, CHOICES)
    assert (CHOICES[np.arange(100), slots] == 2).all()


def test_a_backup_switched_away_itself_is_skipped() -> None:
    board = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1), ActiveSwitch(1, ALL_COUNTRIES, 1.0, -1))
    slots = board.divert(ON_ZERO, COUNTRY, DRAWS, CHOICES)
    assert (CHOICES[np.arange(100), slots] == 2).all()


def test_a_country_switch_leaves_other_markets_alone() -> None:
    country = np.repeat([0, 1], 50)
    slots = _board(ActiveSwitch(0, 1, 1.0, -1)).divert(ON_ZERO, country, DRAWS, CHOICES)
    assert (slots[:50] == -1).all() and (slots[50:] == 1).all()


def test_releasing_a_switch_stops_diverting() -> None:
    board = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1), ActiveSwitch(0, ALL_COUNTRIES, 0.0, -1))
    assert (board.divert(ON_ZERO, COUNTRY, DRAWS, CHOICES) == -1).all()
    assert board.active == []


def test_a_parcel_without_an_open_backup_stays() -> None:
    only_primary = np.tile([0, -1, -1, -1], (100, 1))
    slots = _board(ActiveSwitch(0, ALL_COUNTRIES, 1.0, -1)).divert(
        ON_ZERO, COUNTRY, DRAWS, only_primary
    )
    assert (slots == -1).all()
