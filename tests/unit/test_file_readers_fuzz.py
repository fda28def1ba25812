"""Property: a corrupted order, catalogue, policy, scenario, inventory, rules or monitoring file
is either read cleanly or refused with a named tradelane error, never another exception."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from datetime import UTC
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import NOW
from tradelane.domain.errors import TradelaneError
from tradelane.domain.orders import Order
from tradelane.files.catalogue_file import catalogue_to_mapping, default_catalogue, load_catalogue
from tradelane.files.inventory_file import read_inventory
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.files.order_file import read_orders, write_orders_csv
from tradelane.files.policy_file import load_policy, policy_to_yaml
from tradelane.files.rules_file import load_rules
from tradelane.files.scenario_file import load_scenario
from tradelane.selection.policy import Policy
from tradelane.simulation.order_stream import generate_orders

HOSTILE = [
    '"', ",", "\n", "\r", ":", "-", "[", "{", "}", "]", " ", "\x00", "\u2028", "²", "_", "e",
    "0", "9", "NaN", "1e309", "-1", "9" * 40, "&a", "*a", "!!", "#", "'", "\\", "\t", "é",
    "9e999999999", "1_0", "1e-320", "0001-01-01T00:00:00+05:00", "1700000000", "S" * 140_000,
    "XYZ", ",,,", '""', "\x85",
]  # fmt: skip
DOCUMENT_READERS: dict[str, Callable[[Path], Any]] = {
    "catalogue.yaml": load_catalogue,
    "policy.yaml": load_policy,
    "scenario.yaml": load_scenario,
    "rules.yaml": load_rules,
    "monitoring.yaml": load_monitoring_config,
}


def _orders_csv() -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        write_orders_csv(generate_orders(4, seed=11, start=NOW), path)
        return path.read_text(encoding="utf-8")


def _seeds() -> dict[str, str]:
    data = files("tradelane.data")
    orders = generate_orders(3, seed=12, start=NOW)
    return {
        "orders.csv": _orders_csv(),
        "orders.jsonl": "\n".join(o.model_dump_json() for o in orders) + "\n",
        "stock.csv": "warehouse,sku,on_hand\nDUS,SKU-1,40\nLAX,SKU-2,7\n",
        "catalogue.yaml": yaml.safe_dump(catalogue_to_mapping(default_catalogue())),
        "policy.yaml": policy_to_yaml(Policy()),
        "scenario.yaml": (data / "scenarios" / "default.yaml").read_text(encoding="utf-8"),
        "rules.yaml": (data / "switching_rules.yaml").read_text(encoding="utf-8"),
        "monitoring.yaml": "defaults:\n  no_departure_hours: 48\n  customs_hold_hours: 72\n",
    }


SEEDS = _seeds()


@st.composite
def corruption_of(draw: st.DrawFn, text: str) -> str:
    """`text` with a few spans replaced by hostile tokens, mostly right after a separator."""
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        if draw(st.booleans()):  # aim at a value: just after the next separator
            found = min((i for i in (text.find(c, at) for c in ",: \n") if i >= 0), default=at)
            at = found + 1
        cut = draw(st.integers(min_value=0, max_value=12))
        text = text[:at] + draw(st.sampled_from(HOSTILE)) + text[at + cut :]
    return text


def _use(order: Order) -> None:
    """What importing does with an order: totals, dates, UTC, a JSON round trip."""
    str(order.declared_value)
    order.promised_by.isoformat()
    order.created_at.astimezone(UTC)
    Order.model_validate_json(order.model_dump_json())


def _read(path: Path) -> None:
    if path.name.startswith("orders"):
        for _, entry in read_orders(path)[1]:
            if isinstance(entry, Order):
                _use(entry)
    elif path.name == "stock.csv":
        read_inventory(path)
    else:
        DOCUMENT_READERS[path.name](path)


@pytest.mark.parametrize("name", sorted(SEEDS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_corrupted_file_is_read_or_refused_with_a_named_error(
    name: str, data: st.DataObject
) -> None:
    text = data.draw(corruption_of(SEEDS[name]))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        with contextlib.suppress(TradelaneError):
            _read(path)


def test_every_uncorrupted_seed_file_reads_cleanly() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in SEEDS.items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            _read(path)


def test_a_yaml_time_that_cannot_exist_is_refused_naming_the_file(tmp_path: Path) -> None:
    from tradelane.domain.errors import ValidationError
    from tradelane.files.errors import read_document

    path = tmp_path / "scenario.yaml"
    path.write_text("name: x\nstart: 2026-11-07T90:00:00Z\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"hour must be in 0\.\.23") as refused:
        read_document(path, what="scenario")
    assert str(path) in str(refused.value)
