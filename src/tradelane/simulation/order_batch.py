"""A lazy `Sequence[Order]` over a slice of `OrderColumns`.

Ports receive ordinary sequences of domain orders; array-minded consumers (the baseline
router) read `columns` and `indices` instead and never build the objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np

from tradelane.domain.errors import NotFound
from tradelane.domain.orders import Order
from tradelane.simulation.order_stream import OrderColumns

__all__ = ["OrderBatch"]


class OrderBatch(Sequence[Order]):
    """Orders `start` .. `stop - 1` of `columns`; each `Order` is built on first access."""

    def __init__(self, columns: OrderColumns, start: int, stop: int) -> None:
        if not 0 <= start <= stop <= len(columns):
            raise ValueError(f"order slice {start}:{stop} outside 0:{len(columns)}")
        self.columns = columns
        self.start = start
        self.stop = stop

    @property
    def indices(self) -> np.ndarray:
        return np.arange(self.start, self.stop)

    def __len__(self) -> int:
        return self.stop - self.start

    @overload
    def __getitem__(self, item: int) -> Order: ...

    @overload
    def __getitem__(self, item: slice) -> Sequence[Order]: ...

    def __getitem__(self, item: int | slice) -> Order | Sequence[Order]:
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        position = item + len(self) if item < 0 else item
        if not 0 <= position < len(self):
            raise IndexError(item)
        return self.columns.order(self.start + position)

    def __iter__(self) -> Iterator[Order]:
        return (self.columns.order(i) for i in range(self.start, self.stop))

    def index_of(self, order_id: str) -> int:
        """Row of `order_id` in `columns`; NotFound when the id is not in this batch."""
        head, _, number = order_id.rpartition("-")
        row = int(number) - 1 if head == self.columns.prefix and number.isdigit() else -1
        if not self.start <= row < self.stop:
            raise NotFound("order in batch", order_id)
        return row
