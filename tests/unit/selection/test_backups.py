"""Backups do not share the primary's failure mode, and say which ones they avoid."""

from __future__ import annotations

from typing import Any

from tests.builders import a_channel, an_order
from tests.unit.selection.selecting import DEFAULT, decide
from tradelane.domain.catalog import Catalogue
from tradelane.selection.backups import (
    OTHER_AIR_TYPE,
    OTHER_CARRIER,
    OTHER_CLEARANCE_PORT,
    OTHER_MODE,
)
from tradelane.selection.policy import DiversificationWeights, Policy


def line(channel_id: str, price: float, **fields: Any) -> dict[str, Any]:
    """A channel document whose only price is `price` per parcel (per-item fee)."""
    tiers = [
        {"style": "per_kg", "from_kg": 0, "to_kg": 30, "per_kg_price": 0, "per_item_fee": price}
    ]
    card = {"currency": "USD", "volumetric_divisor_cm3_per_kg": 0, "rounding_increment_kg": 0}
    return a_channel(channel_id, rate_card={**card, "zones": {"A": tiers}}, **fields).model_dump()


def catalogue(*channels: dict[str, Any]) -> Catalogue:
    return Catalogue.model_validate({"name": "test", "channels": list(channels)})


def backups_of(cat: Catalogue, policy: Policy | None = None) -> list[tuple[str, tuple[str, ...]]]:
    decision = decide(an_order(), catalogue=cat, policy=policy or Policy(rules=()))
    assert decision.primary is not None and decision.primary.channel_id == "primary"
    return [(b.channel_id, b.diversifications) for b in decision.backups]


def test_another_carrier_is_preferred_over_a_cheaper_line_of_the_same_carrier() -> None:
    cat = catalogue(
        line("primary", 5, carrier="alpha"),
        line("same-carrier", 6, carrier="alpha"),
        line("other-carrier", 9, carrier="beta"),
    )
    assert [b for b, _ in backups_of(cat)] == ["other-carrier", "same-carrier"]
    assert backups_of(cat)[0][1] == (OTHER_CARRIER,)


def test_backups_record_every_diversification_they_provide() -> None:
    cat = catalogue(
        line("primary", 5, carrier="alpha", air_type="passenger_belly", clearance_ports=["LAX"]),
        line(
            "freighter",
            9,
            carrier="beta",
            mode="express",
            air_type="freighter",
            clearance_ports=["CVG"],
        ),
    )
    assert backups_of(cat) == [
        ("freighter", (OTHER_CARRIER, OTHER_MODE, OTHER_AIR_TYPE, OTHER_CLEARANCE_PORT))
    ]


def test_the_second_backup_avoids_the_first_backups_carrier_too() -> None:
    cat = catalogue(
        line("primary", 5, carrier="alpha"),
        line("beta-1", 6, carrier="beta"),
        line("beta-2", 6.5, carrier="beta"),
        line("gamma", 9, carrier="gamma"),
    )
    assert [b for b, _ in backups_of(cat)] == ["beta-1", "gamma"]


def test_without_diversification_weights_backups_are_simply_the_next_cheapest() -> None:
    cat = catalogue(
        line("primary", 5, carrier="alpha"),
        line("same-carrier", 6, carrier="alpha"),
        line("other-carrier", 9, carrier="beta"),
    )
    flat = Policy(
        rules=(),
        diversification=DiversificationWeights(
            other_carrier=0, other_mode=0, other_air_type=0, other_clearance_port=0
        ),
    )
    assert [b for b, _ in backups_of(cat, flat)] == ["same-carrier", "other-carrier"]


def test_the_number_of_backups_follows_the_policy() -> None:
    cat = catalogue(*(line(f"c{i}", 5 + i, carrier=f"k{i}") for i in range(5)))
    decision = decide(an_order(), catalogue=cat, policy=Policy(rules=(), backups=3))
    assert len(decision.backups) == 3


def test_default_backups_of_a_postal_parcel_leave_the_passenger_belly_network() -> None:
    decision = decide(an_order(value="9", weight_kg=0.15, dims=(18, 12, 4)))
    assert decision.primary is not None and decision.primary.channel_id == "epacket-cn"
    first = decision.backups[0]
    assert OTHER_CARRIER in first.diversifications and OTHER_AIR_TYPE in first.diversifications
    assert DEFAULT.channel(first.channel_id).carrier != "china-post"
