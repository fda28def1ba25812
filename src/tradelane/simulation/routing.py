"""`CheapestEligibleRouter`: the baseline selection the simulator runs before (or beside) the
real selection engine.

Rule: among channels whose lane covers the buyer and whose limits, goods classes and stock
admit the parcel, take the cheapest that delivers within the promise with 80 % confidence
(lognormal through the lane's p50/p90; else the cheapest); backups are the next such
channels of other carriers, preferring another air type. Costs follow the catalogue's rate
cards: chargeable weight, zone tier, fuel and remote-area surcharges, rounded half up to
the cent.

A `Sequence[Order]` is quoted order by order through the domain objects (the readable
reference); an `OrderBatch` is quoted as arrays. A test holds the two to the same routes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from tradelane.domain.catalog import AirType, Catalogue, Channel, Mode
from tradelane.domain.errors import ValidationError
from tradelane.domain.orders import Order
from tradelane.domain.units import chargeable_weight_kg
from tradelane.simulation.order_batch import OrderBatch
from tradelane.simulation.order_stream import OrderColumns
from tradelane.simulation.ports import Route, RouteChoice
from tradelane.simulation.rate_arrays import ChannelArrays, confident_days

__all__ = ["CheapestEligibleRouter", "quote"]

CENT = Decimal("0.01")
MISSES_PROMISE_PENALTY = 1e9  # cents: any channel meeting the promise ranks first
SAME_AIR_PENALTY = 1e12  # cents: a backup on the primary's air type ranks last
QUOTE_CHUNK = 100_000  # orders quoted per vectorized pass (bounds memory)


def quote(channel: Channel, order: Order, *, stock: frozenset[str] = frozenset()) -> Decimal | None:
    """Price of `order` on `channel` in the card's currency, or None when not eligible."""
    postcode = order.destination.postcode
    lane = channel.lane_for(order.destination.country, postcode)
    if lane is None or not order.goods_classes <= channel.accepts:
        return None
    if channel.mode == Mode.OVERSEAS_WAREHOUSE and not set(order.skus) <= stock:
        return None
    if not _within_limits(channel, order):
        return None
    card = channel.rate_card
    chargeable = chargeable_weight_kg(
        order.weight_kg,
        order.parcel,
        divisor_cm3_per_kg=card.volumetric_divisor_cm3_per_kg,
        increment_kg=card.rounding_increment_kg,
    )
    tier = card.tier_for(lane.zone, chargeable)
    if tier is None:
        return None
    price = tier.base_price(chargeable) * (1 + card.fuel_surcharge_pct / 100)
    if lane.is_remote(postcode):
        price += card.remote_area_surcharge
    return price.quantize(CENT, ROUND_HALF_UP)


def _within_limits(channel: Channel, order: Order) -> bool:
    limits, box = channel.limits, order.parcel
    if order.weight_kg > limits.max_weight_kg:
        return False
    value_cap = limits.max_declared_value
    if value_cap is not None and order.declared_value.amount > value_cap.amount:
        return False
    if box is None:
        return True
    checks = (
        (limits.max_side_cm, box.longest_side_cm),
        (limits.max_length_plus_girth_cm, box.length_plus_girth_cm),
        (limits.max_sum_of_sides_cm, box.sum_of_sides_cm),
    )
    return all(cap is None or size <= cap for cap, size in checks)


class CheapestEligibleRouter:
    """The baseline Router port (see module docstring)."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        stock: Mapping[str, frozenset[str]] | None = None,
        backups: int = 2,
        currency: str = "USD",
    ) -> None:
        for ch in catalogue.channels:
            cap = ch.limits.max_declared_value
            if ch.rate_card.currency != currency or (cap is not None and cap.currency != currency):
                raise ValidationError(
                    f"the baseline router prices in {currency} only",
                    field=f"channels.{ch.id}.rate_card.currency",
                    value=ch.rate_card.currency,
                )
        self.catalogue = catalogue
        self.stock = dict(stock or {})
        self.backups = backups
        self.currency = currency
        self._arrays = [
            ChannelArrays(ch, self.stock.get(ch.id, frozenset())) for ch in catalogue.channels
        ]
        carriers = sorted({ch.carrier for ch in catalogue.channels})
        self._carrier = np.array([carriers.index(ch.carrier) for ch in catalogue.channels])
        self._air = np.array([ch.air_type != AirType.NONE for ch in catalogue.channels])
        self._quoted: tuple[OrderColumns, np.ndarray, np.ndarray] | None = None
        self._choices: dict[tuple[int, int], RouteChoice] = {}
        self._air_type = np.array([list(AirType).index(ch.air_type) for ch in catalogue.channels])

    def route(self, orders: Sequence[Order], *, now: datetime) -> list[Route]:
        """Routes for the orders that have an eligible channel, in input order."""
        if isinstance(orders, OrderBatch):
            ranked, cents = self._batch_choices(orders)
            columns, rows = orders.columns, range(orders.start, orders.stop)
            offsets = columns.offset_s[orders.start : orders.stop].tolist()
            created = [columns.start + timedelta(seconds=s) for s in offsets]
            ids = [columns.order_id(i) for i in rows]
            promised_days = columns.promised_days[orders.start : orders.stop].tolist()
        else:
            all_cents, meets = self._scalar_costs(orders)
            ranked = self.rank(all_cents, meets)
            cents = _chosen_cents(all_cents, ranked)
            created = [o.created_at for o in orders]
            ids = [o.order_id for o in orders]
            promised_days = [o.promised_days for o in orders]
        return self._routes(ids, created, promised_days, ranked, cents)

    def _batch_choices(self, batch: OrderBatch) -> tuple[np.ndarray, np.ndarray]:
        """Choices and their cents for the batch's rows.

        Prices do not depend on time, so the whole column set is quoted on first sight in
        chunks (vectorized) and later batches of the same columns are slices of it.
        """
        columns = batch.columns
        if self._quoted is None or self._quoted[0] is not columns:
            ranked, cents = [], []
            for lo in range(0, len(columns), QUOTE_CHUNK):
                hi = min(lo + QUOTE_CHUNK, len(columns))
                chunk_cents, meets = self._batch_costs(columns, lo, hi)
                chunk_ranked = self.rank(chunk_cents, meets)
                ranked.append(chunk_ranked)
                cents.append(_chosen_cents(chunk_cents, chunk_ranked))
            empty = np.empty((0, 1 + self.backups))
            self._quoted = (
                columns,
                np.concatenate(ranked) if ranked else empty.astype(np.int64),
                np.concatenate(cents) if cents else empty,
            )
        rows = slice(batch.start, batch.stop)
        return self._quoted[1][rows], self._quoted[2][rows]

    def rank(self, cents: np.ndarray, meets: np.ndarray) -> np.ndarray:
        """(n, 1 + backups) channel indices: primary then backups, -1 where none."""
        n = len(cents)
        chosen = np.full((n, 1 + self.backups), -1, dtype=np.int64)
        eligible = ~np.isnan(cents)
        score = np.where(eligible, cents + MISSES_PROMISE_PENALTY * ~meets, np.inf)
        chosen[:, 0] = _argmin_or_none(score)
        used_carrier = np.zeros((n, len(self._carrier)), dtype=bool)
        rows = np.flatnonzero(chosen[:, 0] >= 0)
        primary = chosen[rows, 0]
        same_air = np.zeros_like(score)
        same_air[rows] = (self._air_type[None, :] == self._air_type[primary][:, None]) & self._air[
            None, :
        ]
        for slot in range(1, 1 + self.backups):
            previous = chosen[rows, slot - 1]
            keep = previous >= 0
            used_carrier[rows[keep]] |= (
                self._carrier[None, :] == self._carrier[previous[keep]][:, None]
            )
            blocked = used_carrier | ~eligible
            backup_score = np.where(blocked, np.inf, score + SAME_AIR_PENALTY * same_air)
            chosen[:, slot] = _argmin_or_none(backup_score)
        return chosen

    def _routes(
        self,
        ids: list[str],
        created: list[datetime],
        promised_days: list[int],
        ranked: np.ndarray,
        cents: np.ndarray,
    ) -> list[Route]:
        routes = []
        for i, (row, prices) in enumerate(zip(ranked.tolist(), cents.tolist(), strict=True)):
            if row[0] < 0:
                continue
            choices = tuple(
                self._choice(c, int(price)) for c, price in zip(row, prices, strict=True) if c >= 0
            )
            due = created[i] + timedelta(days=promised_days[i])
            routes.append(Route(order_id=ids[i], choices=choices, promised_at=due))
        return routes

    def _choice(self, channel: int, cents: int) -> RouteChoice:
        """Immutable, so one object per (channel, price) serves every order that has it."""
        key = (channel, cents)
        found = self._choices.get(key)
        if found is None:
            cost = Decimal(cents).scaleb(-2)
            found = RouteChoice(self.catalogue.channel_ids[channel], cost, self.currency)
            self._choices[key] = found
        return found

    def _scalar_costs(self, orders: Sequence[Order]) -> tuple[np.ndarray, np.ndarray]:
        cents = np.full((len(orders), len(self.catalogue.channels)), np.nan)
        meets = np.zeros(cents.shape, dtype=bool)
        for i, order in enumerate(orders):
            if order.currency != self.currency:
                raise ValidationError(
                    "order currency differs from the router's",
                    field="currency",
                    value=order.currency,
                )
            for c, ch in enumerate(self.catalogue.channels):
                price = quote(ch, order, stock=self.stock.get(ch.id, frozenset()))
                if price is not None:
                    cents[i, c] = float(price * 100)
                    lane = ch.lane_for(order.destination.country, order.destination.postcode)
                    meets[i, c] = lane is not None and confident_days(lane) <= order.promised_days
        return cents, meets

    def _batch_costs(
        self, columns: OrderColumns, start: int, stop: int
    ) -> tuple[np.ndarray, np.ndarray]:
        cents = np.full((stop - start, len(self._arrays)), np.nan)
        meets = np.zeros(cents.shape, dtype=bool)
        for c, arrays in enumerate(self._arrays):
            cents[:, c], meets[:, c] = arrays.quote_cents(columns, start, stop)
        return cents, meets


def _chosen_cents(cents: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    picked = np.take_along_axis(cents, np.maximum(ranked, 0), axis=1)
    return np.where(ranked >= 0, picked, 0.0)


def _argmin_or_none(score: np.ndarray) -> np.ndarray:
    best = np.argmin(score, axis=1)
    return np.where(np.isfinite(score[np.arange(len(score)), best]), best, -1)
