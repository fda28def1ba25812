"""Order batches keep decision order and the facts they were built from."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from tests.builders import NOW, an_order
from tests.unit.selection.selecting import USD
from tradelane.domain.errors import ValidationError
from tradelane.selection.facts import facts_of
from tradelane.selection.order_batch import OrderBatch


def test_rows_are_sorted_by_created_at_then_order_id() -> None:
    orders = [
        an_order("B", created_at=NOW),
        an_order("C", created_at=NOW - timedelta(hours=1)),
        an_order("A", created_at=NOW),
    ]
    batch = OrderBatch.from_facts([facts_of(o, USD) for o in orders])
    assert list(batch.order_ids) == ["C", "A", "B"]


def test_a_row_reads_back_as_the_facts_it_was_built_from() -> None:
    facts = facts_of(an_order(postcode="99501", value="12.5", sku="X-1"), USD)
    assert OrderBatch.from_facts([facts]).facts(0) == facts


def test_columns_out_of_decision_order_are_refused() -> None:
    orders = [an_order("A", created_at=NOW), an_order("B", created_at=NOW + timedelta(hours=1))]
    batch = OrderBatch.from_facts([facts_of(o, USD) for o in orders])
    with pytest.raises(ValidationError, match="not in created_at order"):
        replace(batch, created_us=np.ascontiguousarray(batch.created_us[::-1]))
