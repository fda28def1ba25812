"""Orders as columns for the batch engine: one NumPy array per fact, rows in decision order.

Rows must be sorted by (created_at, order id) — the order in which capacity is consumed.
`from_facts` sorts; callers that build columns themselves (the store, benchmarks) must too.
Destinations are interned as `locations` (country, postcode) and SKUs as `sku_vocab` with a
CSR layout (`sku_offsets[i]:sku_offsets[i+1]` are row i's entries in `sku_codes`, and
the units of each entry in `sku_units`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.errors import ValidationError
from tradelane.domain.goods import Urgency
from tradelane.selection.facts import GOODS_BITS, ParcelFacts, goods_mask

__all__ = ["EPOCH", "MAX_PROMISE_DAYS", "OrderBatch", "epoch_us"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_DAY = 86_400_000_000
MAX_PROMISE_DAYS = 120  # Order.promised_days is 1..120
T = TypeVar("T")


def epoch_us(moment: datetime) -> int:
    """Microseconds since 1970-01-01 UTC of an aware datetime."""
    return (moment - EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True, eq=False)
class OrderBatch:
    order_ids: Sequence[str]
    created_us: NDArray[np.int64]
    location: NDArray[np.int32]
    locations: Sequence[tuple[str, str | None]]
    weight_kg: NDArray[np.float64]
    volume_cm3: NDArray[np.float64]
    longest_side_cm: NDArray[np.float64]
    length_plus_girth_cm: NDArray[np.float64]
    sum_of_sides_cm: NDArray[np.float64]
    value: NDArray[np.float64]  # declared value in the settlement currency
    declared: NDArray[np.float64]  # declared value in the order currency (for display)
    currency: NDArray[np.int16]
    currencies: Sequence[str]
    goods: NDArray[np.int32]
    urgent: NDArray[np.bool_]
    promised_days: NDArray[np.int16]
    sku_offsets: NDArray[np.int64]
    sku_codes: NDArray[np.int32]
    sku_vocab: Sequence[str]
    sku_units: NDArray[np.int64] | None = None  # beside sku_codes; None: one unit each

    def __post_init__(self) -> None:
        n = len(self.order_ids)
        columns = (self.created_us, self.location, self.weight_kg, self.value, self.goods)
        if any(len(c) != n for c in columns) or len(self.sku_offsets) != n + 1:
            raise ValidationError("order batch columns differ in length", field="columns")
        if n > 1 and bool(np.any(np.diff(self.created_us) < 0)):
            raise ValidationError("order batch rows are not in created_at order", field="rows")
        if self.sku_units is not None and len(self.sku_units) != len(self.sku_codes):
            raise ValidationError("order batch sku units differ in length", field="sku_units")
        if n and not 1 <= int(self.promised_days.min()) <= int(self.promised_days.max()) <= 120:
            raise ValidationError("promised_days must be 1..120", field="promised_days")

    def __len__(self) -> int:
        return len(self.order_ids)

    @property
    def day(self) -> NDArray[np.int64]:
        """UTC calendar day of each order, as days since 1970-01-01."""
        return self.created_us // US_PER_DAY

    @property
    def units(self) -> NDArray[np.int64]:
        """Units of each `sku_codes` entry the order takes."""
        if self.sku_units is None:
            return np.ones(len(self.sku_codes), dtype=np.int64)
        return self.sku_units

    @classmethod
    def from_facts(cls, facts: Sequence[ParcelFacts]) -> OrderBatch:
        """Columns of `facts`, sorted by (created_at, order id)."""
        rows = sorted(facts, key=lambda f: (f.created_at, f.order_id))
        locations = _Interner[tuple[str, str | None]]()
        currencies, skus = _Interner[str](), _Interner[str]()
        codes = [[skus.code(s) for s in f.skus] for f in rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(c) for c in codes])

        def floats(name: str) -> NDArray[np.float64]:
            return np.array([getattr(f, name) for f in rows], dtype=np.float64)

        return cls(
            order_ids=[f.order_id for f in rows],
            created_us=np.array([epoch_us(f.created_at) for f in rows], dtype=np.int64),
            location=np.array(
                [locations.code((f.country, f.postcode)) for f in rows], dtype=np.int32
            ),
            locations=locations.values,
            weight_kg=floats("weight_kg"),
            volume_cm3=floats("volume_cm3"),
            longest_side_cm=floats("longest_side_cm"),
            length_plus_girth_cm=floats("length_plus_girth_cm"),
            sum_of_sides_cm=floats("sum_of_sides_cm"),
            value=floats("value"),
            declared=np.array([float(f.declared_value) for f in rows], dtype=np.float64),
            currency=np.array([currencies.code(f.currency) for f in rows], dtype=np.int16),
            currencies=currencies.values,
            goods=np.array([goods_mask(f.goods) for f in rows], dtype=np.int32),
            urgent=np.array([f.urgent for f in rows], dtype=np.bool_),
            promised_days=np.array([f.promised_days for f in rows], dtype=np.int16),
            sku_offsets=offsets,
            sku_codes=np.array([c for row in codes for c in row], dtype=np.int32),
            sku_vocab=skus.values,
            sku_units=np.array([u for f in rows for u in f.units], dtype=np.int64),
        )

    def facts(self, row: int) -> ParcelFacts:
        """Row `row` as ParcelFacts (declared value shown from its float column)."""
        country, postcode = self.locations[int(self.location[row])]
        mask = int(self.goods[row])
        start, end = int(self.sku_offsets[row]), int(self.sku_offsets[row + 1])
        return ParcelFacts(
            order_id=self.order_ids[row],
            created_at=EPOCH + timedelta(microseconds=int(self.created_us[row])),
            country=country,
            postcode=postcode,
            weight_kg=float(self.weight_kg[row]),
            volume_cm3=float(self.volume_cm3[row]),
            longest_side_cm=float(self.longest_side_cm[row]),
            length_plus_girth_cm=float(self.length_plus_girth_cm[row]),
            sum_of_sides_cm=float(self.sum_of_sides_cm[row]),
            declared_value=Decimal(repr(float(self.declared[row]))),
            currency=self.currencies[int(self.currency[row])],
            value=float(self.value[row]),
            goods=frozenset(g for g, bit in GOODS_BITS.items() if mask & bit),
            urgency=Urgency.EXPRESS if self.urgent[row] else Urgency.STANDARD,
            promised_days=int(self.promised_days[row]),
            skus=tuple(self.sku_vocab[int(c)] for c in self.sku_codes[start:end]),
            units=tuple(int(u) for u in self.units[start:end]),
        )


class _Interner(Generic[T]):
    """Assigns small integer codes to values in first-seen order."""

    def __init__(self) -> None:
        self.values: list[T] = []
        self._codes: dict[T, int] = {}

    def code(self, value: T) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found
