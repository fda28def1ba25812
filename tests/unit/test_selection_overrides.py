"""What the selection engine reads from switching."""

from __future__ import annotations

from tradelane.switching.overrides import SelectionOverrides, diverts
from tradelane.switching.states import ActiveSwitch, HealthState, SwitchKind

ORDERS = [f"ORD-{i:06d}" for i in range(20_000)]


def test_a_partial_share_diverts_that_share_of_orders_stably() -> None:
    moved = [o for o in ORDERS if diverts(o, 0.3)]
    assert abs(len(moved) / len(ORDERS) - 0.3) < 0.015
    assert moved == [o for o in ORDERS if diverts(o, 0.3)]


def test_a_wider_share_keeps_every_order_a_narrower_one_moved() -> None:
    narrow = {o for o in ORDERS if diverts(o, 0.3)}
    wide = {o for o in ORDERS if diverts(o, 0.6)}
    assert narrow < wide
    assert all(diverts(o, 1.0) for o in ORDERS) and not any(diverts(o, 0.0) for o in ORDERS)


def test_diversion_uses_the_widest_switch_covering_the_lane() -> None:
    lane = ActiveSwitch(1, "epacket-cn", "US", 0.3)
    channel = ActiveSwitch(2, "epacket-cn", None, 1.0, "dhl-express-cn", SwitchKind.FORCED)
    other = ActiveSwitch(3, "cn-eu-truck", "DE", 1.0)
    overrides = SelectionOverrides(
        states={("epacket-cn", "US"): HealthState.DEGRADED}, switches=(lane, channel, other)
    )
    assert overrides.switches_for("epacket-cn", "US") == (channel, lane)
    assert overrides.diverted_share("epacket-cn", "DE") == 1.0
    assert overrides.diversion("ORD-1", "epacket-cn", "US") == channel
    assert overrides.state("epacket-cn", "US") is HealthState.DEGRADED
    assert overrides.state("cn-eu-truck", "DE") is HealthState.HEALTHY


def test_no_switch_means_every_order_stays() -> None:
    overrides = SelectionOverrides()
    assert overrides.diverted_share("epacket-cn", "US") == 0.0
    assert all(overrides.diversion(o, "epacket-cn", "US") is None for o in ORDERS[:100])
