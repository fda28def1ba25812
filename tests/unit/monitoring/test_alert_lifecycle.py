"""Alerts move open -> acknowledged -> resolved and never back."""

from __future__ import annotations

import pytest

from tradelane.domain.errors import Conflict
from tradelane.monitoring.alerts import AlertState, transition

OPEN, ACK, RESOLVED = AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.RESOLVED


@pytest.mark.parametrize(("current", "target"), [(OPEN, ACK), (OPEN, RESOLVED), (ACK, RESOLVED)])
def test_allowed_steps_move_the_alert(current: AlertState, target: AlertState) -> None:
    assert transition(7, current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [(ACK, ACK), (ACK, OPEN), (RESOLVED, ACK), (RESOLVED, RESOLVED), (RESOLVED, OPEN)],
)
def test_other_steps_are_a_conflict_naming_the_alert(
    current: AlertState, target: AlertState
) -> None:
    with pytest.raises(Conflict, match=f"alert 7 is {current.value}"):
        transition(7, current, target)
