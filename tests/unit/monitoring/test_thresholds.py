"""Rule windows per channel and lane: layering, and the scope list the SQL is built from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradelane.monitoring.rules import RuleId
from tradelane.monitoring.thresholds import (
    MonitoringConfig,
    Scope,
    ThresholdOverride,
    Thresholds,
)

CONFIG = MonitoringConfig(
    defaults=Thresholds(no_departure_hours=48),
    overrides=(
        ThresholdOverride(country="BR", customs_hold_hours=168),
        ThresholdOverride(channel_id="cn-eu-truck", no_arrival_hours=480),
        ThresholdOverride(channel_id="cn-eu-truck", country="DE", no_arrival_hours=400),
        ThresholdOverride(channel_id="wh-duisburg", disabled=frozenset({RuleId.NO_DEPARTURE})),
    ),
)


def test_defaults_are_the_strategy_windows() -> None:
    defaults = Thresholds()
    assert [defaults.window(r) for r in RuleId] == [
        timedelta(hours=48),
        timedelta(days=7),
        timedelta(hours=72),
        timedelta(days=5),
        timedelta(0),  # promise at risk: from hand-over on
        timedelta(0),
    ]


def test_the_most_specific_override_wins_and_the_rest_is_inherited() -> None:
    truck_de = CONFIG.thresholds_for("cn-eu-truck", "DE")
    truck_br = CONFIG.thresholds_for("cn-eu-truck", "BR")
    assert truck_de.no_arrival_hours == 400
    assert (truck_br.no_arrival_hours, truck_br.customs_hold_hours) == (480, 168)
    assert CONFIG.thresholds_for("epacket-cn", "BR").customs_hold_hours == 168
    assert CONFIG.thresholds_for(None, None) == CONFIG.defaults


def test_a_switched_off_rule_has_no_window() -> None:
    warehouse = CONFIG.thresholds_for("wh-duisburg", "DE")
    assert warehouse.window(RuleId.NO_DEPARTURE) is None
    assert warehouse.window(RuleId.LATE_DELIVERY) == timedelta(0)


def test_an_override_must_name_a_channel_or_a_country() -> None:
    with pytest.raises(ValueError, match="channel_id, a country or both"):
        ThresholdOverride(no_departure_hours=1)


def test_two_overrides_of_the_same_scope_are_refused() -> None:
    twice = ThresholdOverride(country="US", no_departure_hours=1)
    with pytest.raises(ValueError, match="two overrides"):
        MonitoringConfig(overrides=(twice, twice))


def _first_matching(scopes: list[Scope], channel: str | None, country: str | None) -> Scope:
    return next(
        s
        for s in scopes
        if s.channel_id in (None, channel)
        and s.country in (None, country)
        and (s.channel_id is None or channel is not None)
        and (s.country is None or country is not None)
    )


@given(
    channel=st.sampled_from([None, "cn-eu-truck", "wh-duisburg", "epacket-cn"]),
    country=st.sampled_from([None, "DE", "BR", "US"]),
)
def test_the_first_matching_scope_holds_the_layered_thresholds(
    channel: str | None, country: str | None
) -> None:
    scope = _first_matching(CONFIG.scopes(), channel, country)
    assert scope.thresholds == CONFIG.thresholds_for(channel, country)


def test_without_overrides_there_is_one_default_scope() -> None:
    assert MonitoringConfig().scopes() == [Scope(None, None, Thresholds())]
