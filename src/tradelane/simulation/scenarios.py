"""Peak-season scenarios: demand curve, product and market mix, capacities, disruptions.

A scenario is validated twice: on its own (pydantic, unknown keys refused) and against the
catalogue it runs on (`check_against`), so every channel, carrier, port, archetype and
warehouse it names exists. Errors name the path (`disruptions[1].port`) and the value.

Every default number here is an estimate (not sourced): replace it with your own history.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from tradelane.domain.catalog import AirType, Catalogue, Mode
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.geo import CountryCode
from tradelane.simulation.order_stream import ARCHETYPES_BY_NAME, MARKET_SHARES

__all__ = [
    "ANNOUNCED_AFTER_HOURS",
    "CarrierOutage",
    "ChannelCapacity",
    "CustomsCapacity",
    "CustomsSlowdown",
    "Disruption",
    "FlightCancellations",
    "IncidentRates",
    "OrderCurve",
    "PortCongestion",
    "Scenario",
    "Spike",
    "WarehouseOverload",
    "catalogue_ports",
    "check_against",
]

Share = Annotated[float, Field(gt=0, le=1)]
SKUS_PER_ARCHETYPE = 39  # order_stream numbers SKUs 001..039


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Spike(_Model):
    """Demand on `days` days from `date` (UTC) is the baseline times `multiplier`."""

    name: str = Field(min_length=1)
    date: date
    days: int = Field(default=1, ge=1, le=60)
    multiplier: float = Field(gt=0, le=50)


class OrderCurve(_Model):
    baseline_per_day: float = Field(gt=0, le=10_000_000)
    spikes: list[Spike] = Field(default_factory=list)
    archetypes: dict[str, float] | None = None  # archetype -> share; None: order_stream's mix
    markets: dict[CountryCode, float] = Field(default_factory=lambda: dict(MARKET_SHARES))

    @model_validator(mode="after")
    def _shares_positive(self) -> OrderCurve:
        for label, shares in (("archetypes", self.archetypes or {}), ("markets", self.markets)):
            if shares and (min(shares.values()) < 0 or sum(shares.values()) <= 0):
                raise ValueError(f"{label} shares must be >= 0 with a positive sum")
        if not self.markets:
            raise ValueError("markets must name at least one country")
        return self

    def multiplier_on(self, day: date) -> float:
        """Product of the multipliers of every spike covering `day` (1.0 on ordinary days)."""
        factor = 1.0
        for spike in self.spikes:
            if spike.date <= day < spike.date + timedelta(days=spike.days):
                factor *= spike.multiplier
        return factor


class ChannelCapacity(_Model):
    """Capacities of one channel; unset figures come from the catalogue (see network.py)."""

    pickup_per_day: int | None = Field(default=None, gt=0)
    departures_per_day: int | None = Field(default=None, ge=1, le=24)
    parcels_per_departure: int | None = Field(default=None, gt=0)


class CustomsCapacity(_Model):
    parcels_per_day: int = Field(gt=0)


# Hours from a disruption's start until an advisory about it is published, when the scenario
# does not say (estimates): port authorities and customs publish queue reports within a day, a
# carrier its service alert within half a day; airlines cancel flight by flight and a warehouse
# falls behind without a notice, so those are never announced (None).
ANNOUNCED_AFTER_HOURS: dict[str, float | None] = {
    "port_congestion": 24.0,
    "customs_slowdown": 24.0,
    "carrier_outage": 12.0,
    "flight_cancellations": None,
    "warehouse_overload": None,
}


class _Window(_Model):
    name: str = ""
    start: AwareDatetime
    end: AwareDatetime
    severity: Share  # the share of the stage's capacity lost (see each kind)
    # hours after `start` an advisory is published; None: never announced (absent: the kind's
    # ANNOUNCED_AFTER_HOURS)
    announced_after_hours: float | None = Field(default=None, ge=0, le=24 * 366)

    @model_validator(mode="before")
    @classmethod
    def _announcement_default(cls, given: Any) -> Any:
        if isinstance(given, dict) and "announced_after_hours" not in given:
            kind = given.get("kind", cls.model_fields["kind"].default)
            return {**given, "announced_after_hours": ANNOUNCED_AFTER_HOURS.get(kind)}
        return given

    @model_validator(mode="after")
    def _ordered(self) -> _Window:
        if self.end <= self.start:
            raise ValueError(f"end {self.end.isoformat()} is not after start")
        return self

    def active(self, at: datetime) -> bool:
        return self.start <= at < self.end


class FlightCancellations(_Window):
    """Each line-haul departure of the affected channels is cancelled with p = severity."""

    kind: Literal["flight_cancellations"] = "flight_cancellations"
    air_type: AirType = AirType.PASSENGER_BELLY
    channels: list[str] = Field(default_factory=list)  # empty: every channel of the air type


class PortCongestion(_Window):
    """Parcels arriving at `port` wait severity x max_delay_days before customs."""

    kind: Literal["port_congestion"] = "port_congestion"
    port: str = Field(min_length=1)
    max_delay_days: float = Field(default=10.0, gt=0, le=60)


class CustomsSlowdown(_Window):
    """Customs at `port` clears (1 - severity) of its daily throughput."""

    kind: Literal["customs_slowdown"] = "customs_slowdown"
    port: str = Field(min_length=1)


class CarrierOutage(_Window):
    """Pickups and departures of the carrier's channels run at (1 - severity) capacity."""

    kind: Literal["carrier_outage"] = "carrier_outage"
    carrier: str = Field(min_length=1)


class WarehouseOverload(_Window):
    """The overseas warehouse picks and packs (1 - severity) of its daily capacity."""

    kind: Literal["warehouse_overload"] = "warehouse_overload"
    channel: str = Field(min_length=1)


Disruption = Annotated[
    FlightCancellations | PortCongestion | CustomsSlowdown | CarrierOutage | WarehouseOverload,
    Field(discriminator="kind"),
]


class IncidentRates(_Model):
    """Per-parcel probabilities of incidents in normal operation (all estimates)."""

    lost_in_line_haul: float = Field(default=0.002, ge=0, le=0.5)
    lost_in_last_mile: float = Field(default=0.001, ge=0, le=0.5)
    customs_inspection: float = Field(default=0.03, ge=0, le=1)
    refused_at_customs: float = Field(default=0.002, ge=0, le=0.5)
    failed_delivery_attempt: float = Field(default=0.04, ge=0, le=1)
    customs_hold_after_hours: float = Field(default=24.0, gt=0)


class PeakSeason(_Model):
    """Labels created in [start, end) take the lanes' peak transit uplift."""

    start: AwareDatetime
    end: AwareDatetime


class Scenario(_Model):
    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    seed: int = Field(ge=0)
    start: AwareDatetime
    days: int = Field(default=30, ge=1, le=366)
    drain_days: int = Field(default=45, ge=0, le=366)
    catalogue: str = "default"  # "default" or a catalogue file relative to the scenario
    orders: OrderCurve
    peak_season: PeakSeason | None = None
    capacity_scale: float = Field(default=1.0, gt=0)
    channels: dict[str, ChannelCapacity] = Field(default_factory=dict)
    customs: dict[str, CustomsCapacity] = Field(default_factory=dict)
    warehouse_stock: dict[str, dict[str, Share]] = Field(default_factory=dict)
    incidents: IncidentRates = Field(default_factory=IncidentRates)
    disruptions: list[Disruption] = Field(default_factory=list)

    @property
    def horizon_hours(self) -> float:
        return float((self.days + self.drain_days) * 24)

    def hourly_order_rates(self) -> np.ndarray:
        """Expected orders in each hour of the order window (flat within a day: estimate)."""
        per_day = [
            self.orders.baseline_per_day
            * self.orders.multiplier_on((self.start + timedelta(days=d)).date())
            for d in range(self.days)
        ]
        return np.repeat(np.array(per_day) / 24.0, 24)

    def stocked_skus(self) -> dict[str, frozenset[str]]:
        """SKUs each overseas warehouse holds: the first `share` of each archetype's numbers."""
        return {
            channel: frozenset(
                f"{kind}-{number:03d}"
                for kind, share in kinds.items()
                for number in range(1, round(share * SKUS_PER_ARCHETYPE) + 1)
            )
            for channel, kinds in self.warehouse_stock.items()
        }

    def scaled(self, factor: float) -> Scenario:
        """The same season with demand and every capacity multiplied by `factor`."""
        curve = self.orders.model_copy(
            update={"baseline_per_day": self.orders.baseline_per_day * factor}
        )
        return self.model_copy(
            update={"orders": curve, "capacity_scale": self.capacity_scale * factor}
        )


def check_against(scenario: Scenario, catalogue: Catalogue, *, where: str) -> None:
    """InputErrors naming every channel, carrier, port, archetype or market that is unknown."""
    errors = [*_unknown_names(scenario, catalogue), *_unserved_markets(scenario, catalogue)]
    if errors:
        raise InputErrors(where, [e.located(where) for e in errors])


def catalogue_ports(catalogue: Catalogue) -> set[str]:
    """Customs ports the simulator models: each cross-border lane's clearance port, or its
    country when the lane names none (overseas-warehouse channels clear no customs)."""
    return {
        lane.clearance_port or lane.country
        for channel in catalogue.channels
        if channel.mode != Mode.OVERSEAS_WAREHOUSE
        for lane in channel.lanes
    }


def _unknown_names(scenario: Scenario, catalogue: Catalogue) -> list[ValidationError]:
    ids, ports = set(catalogue.channel_ids), catalogue_ports(catalogue)
    warehouses = {c.id for c in catalogue.channels if c.mode == Mode.OVERSEAS_WAREHOUSE}
    carriers = {c.carrier for c in catalogue.channels}
    found: list[ValidationError] = []

    def need(ok: bool, message: str, field: str, value: object) -> None:
        if not ok:
            found.append(ValidationError(message, field=field, value=value))

    for name in scenario.channels:
        need(name in ids, "unknown channel", f"channels.{name}", name)
    for port in scenario.customs:
        need(port in ports, "unknown clearance port", f"customs.{port}", port)
    for name, stock in scenario.warehouse_stock.items():
        need(name in warehouses, "not an overseas-warehouse channel", "warehouse_stock", name)
        for kind in stock:
            need(kind in ARCHETYPES_BY_NAME, "unknown archetype", f"warehouse_stock.{name}", kind)
    for kind in scenario.orders.archetypes or {}:
        need(kind in ARCHETYPES_BY_NAME, "unknown archetype", "orders.archetypes", kind)
    for i, event in enumerate(scenario.disruptions):
        at = f"disruptions[{i}]"
        if isinstance(event, FlightCancellations):
            for name in event.channels:
                need(name in ids, "unknown channel", f"{at}.channels", name)
        elif isinstance(event, PortCongestion | CustomsSlowdown):
            need(event.port in ports, "unknown clearance port", f"{at}.port", event.port)
        elif isinstance(event, CarrierOutage):
            need(event.carrier in carriers, "unknown carrier", f"{at}.carrier", event.carrier)
        else:
            need(event.channel in warehouses, "not a warehouse", f"{at}.channel", event.channel)
    return found


def _unserved_markets(scenario: Scenario, catalogue: Catalogue) -> list[ValidationError]:
    served = {lane.country for ch in catalogue.channels for lane in ch.lanes}
    return [
        ValidationError("no channel of the catalogue serves it", field="orders.markets", value=c)
        for c in scenario.orders.markets
        if c not in served
    ]
