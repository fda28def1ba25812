"""Builders with sensible defaults so each test states only what matters to it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tradelane.domain.catalog import Channel
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.domain.units import Dimensions

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Black Friday 2026


def an_order(
    order_id: str = "ORD-1",
    *,
    country: str = "US",
    postcode: str | None = None,
    value: str | Decimal = "25.00",
    weight_kg: float = 0.3,
    dims: tuple[float, float, float] | None = (20, 15, 5),
    goods: tuple[GoodsClass, ...] = (GoodsClass.GENERAL,),
    urgency: Urgency = Urgency.STANDARD,
    promised_days: int = 20,
    sku: str = "SKU-1",
    created_at: datetime = NOW,
    quantity: int = 1,
) -> Order:
    line = OrderLine(
        sku=sku,
        quantity=quantity,
        unit_value=Decimal(str(value)),
        unit_weight_kg=weight_kg,
        dimensions=Dimensions(length_cm=dims[0], width_cm=dims[1], height_cm=dims[2])
        if dims
        else None,
        goods_classes=frozenset(goods),
    )
    return Order(
        order_id=order_id,
        created_at=created_at,
        destination=Address(country=country, postcode=postcode),
        lines=[line],
        urgency=urgency,
        promised_days=promised_days,
    )


def a_channel(channel_id: str = "test-line", **overrides: Any) -> Channel:
    """A per-kg dedicated air line to US and DE; override any field."""
    document: dict[str, Any] = {
        "id": channel_id,
        "name": f"{channel_id} line",
        "carrier": "test-carrier",
        "service": "standard",
        "mode": "dedicated_air",
        "origin": "CN",
        "air_type": "passenger_belly",
        "limits": {"max_weight_kg": 30, "max_side_cm": 120},
        "daily_capacity": 1000,
        "rate_card": {
            "currency": "USD",
            "volumetric_divisor_cm3_per_kg": 6000,
            "rounding_increment_kg": 0.1,
            "zones": {
                "A": [
                    {
                        "style": "per_kg",
                        "from_kg": 0,
                        "to_kg": 30,
                        "per_kg_price": 8,
                        "per_item_fee": 3,
                    }
                ]
            },
        },
        "lanes": [
            {"country": "US", "zone": "A", "transit": {"p50_days": 8, "p90_days": 12}},
            {"country": "DE", "zone": "A", "transit": {"p50_days": 9, "p90_days": 13}},
        ],
    }
    document.update(overrides)
    return Channel.model_validate(document)


def a_tracking_event(
    milestone: str = "in_transit",
    at: datetime = NOW,
    *,
    tracking_number: str = "LT123456789CN",
    carrier: str = "test-carrier",
    country: str | None = None,
    status_code: str | None = None,
    location: str = "",
) -> TrackingEvent:
    """One normalised scan; the status code defaults to the milestone name."""
    return TrackingEvent(
        carrier=carrier,
        tracking_number=tracking_number,
        occurred_at=at,
        milestone=Milestone(milestone),
        status_code=status_code if status_code is not None else milestone,
        location=location,
        country=country,
    )
