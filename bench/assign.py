"""Channel selection throughput: the batch engine vs the scalar reference, same orders.

    python bench/assign.py [--size 1000000] [--channels 40] [--baseline-size 20000]

Orders are generated as columns (the order-stream mix: archetypes, markets, 12 % express) so
a million of them fit in memory without a million pydantic objects. The catalogue is the
default one (`--channels 15`) or, for more channels, variations of it: copies with their own
carrier name, prices scaled 0.85-1.25 and transit scaled 0.9-1.2. Capacity is limited so that
some channels run out mid-batch, and the best-selling SKUs are stocked in DUS and LAX.
The scalar reference decides the first `--baseline-size` orders; the batch engine decides the
same sample too and the two must agree. The last line is the JSON figures line.
"""

from __future__ import annotations

import argparse
import copy
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.config import DEFAULT_FX_TO_USD
from tradelane.domain.catalog import Catalogue
from tradelane.files.catalogue_file import catalogue_to_mapping, default_catalogue
from tradelane.selection.batch import DEFAULT_CHUNK, assign_batch
from tradelane.selection.conditions import FxTable, NetworkConditions, PeakWindow
from tradelane.selection.engine import Selector
from tradelane.selection.facts import goods_mask
from tradelane.selection.order_batch import OrderBatch, epoch_us
from tradelane.selection.policy import Policy
from tradelane.simulation.order_stream import ARCHETYPES, MARKET_SHARES, US_POSTCODES

START = datetime(2026, 11, 23, tzinfo=UTC)
SKUS_PER_ARCHETYPE = 40


def catalogue_of(size: int, seed: int = 11) -> Catalogue:
    """The default catalogue, grown to `size` channels by priced/timed variations."""
    base = catalogue_to_mapping(default_catalogue())
    originals = base["channels"]
    rng = np.random.default_rng(seed)
    channels = list(originals)
    copy = 0
    while len(channels) < size:
        source = originals[copy % len(originals)]
        copy += 1
        channels.append(_variation(source, copy, rng))
    base["channels"] = channels[:size]
    base["name"] = f"bench-{size}"
    return Catalogue.model_validate(base)


def _variation(source: dict[str, Any], number: int, rng: np.random.Generator) -> dict[str, Any]:
    document: dict[str, Any] = copy.deepcopy(source)
    document["id"] = f"{source['id']}-v{number}"
    document["carrier"] = f"{source['carrier']}-v{number}"
    price, days = float(rng.uniform(0.85, 1.25)), float(rng.uniform(0.9, 1.2))
    for tiers in document["rate_card"]["zones"].values():
        for tier in tiers:
            for key in ("first_price", "additional_price", "per_kg_price", "per_item_fee"):
                if key in tier:
                    tier[key] = str(round(Decimal(str(tier[key])) * Decimal(str(price)), 2))
    for lane in document["lanes"]:
        transit = lane["transit"]
        transit["p50_days"] = round(transit["p50_days"] * days, 2)
        transit["p90_days"] = round(transit["p90_days"] * days, 2)
    return document


def orders_of(size: int, seed: int, fx: FxTable) -> OrderBatch:
    """`size` orders over one week as columns, in created_at order."""
    rng = np.random.default_rng(seed)
    countries = list(MARKET_SHARES)
    shares = np.array(list(MARKET_SHARES.values()))
    country = rng.choice(len(countries), size=size, p=shares / shares.sum())
    kinds = np.array([a.share for a in ARCHETYPES])
    kind = rng.choice(len(ARCHETYPES), size=size, p=kinds / kinds.sum())
    z = rng.standard_normal((size, 3))
    value_median = np.array([a.value_usd[0] for a in ARCHETYPES])[kind]
    value_sigma = np.array([a.value_usd[1] for a in ARCHETYPES])[kind]
    weight_median = np.array([a.weight_kg[0] for a in ARCHETYPES])[kind]
    weight_sigma = np.array([a.weight_kg[1] for a in ARCHETYPES])[kind]
    value = np.round(value_median * np.exp(value_sigma * z[:, 0]), 2)
    weight = np.round(np.maximum(0.03, weight_median * np.exp(weight_sigma * z[:, 1])), 3)
    scale = (weight / weight_median) ** (1 / 3) * np.exp(0.1 * z[:, 2])
    box = np.array([a.box_cm for a in ARCHETYPES])[kind] * scale[:, None]
    box = np.maximum(2.0, np.round(box, 1))
    sides = -np.sort(-box, axis=1)
    express = (rng.random(size) < 0.12) | ((kind == 6) & (z[:, 2] > 0.5))
    offsets = np.sort(rng.uniform(0, 7 * 86_400e6, size=size)).astype(np.int64)
    locations = [(c, None) for c in countries] + [("US", p) for p in US_POSTCODES]
    us = countries.index("US")
    location = np.where(
        country == us, len(countries) + rng.integers(0, len(US_POSTCODES), size), country
    )
    sku_vocab = [f"{a.name}-{k:03d}" for a in ARCHETYPES for k in range(SKUS_PER_ARCHETYPE)]
    sku = kind * SKUS_PER_ARCHETYPE + np.minimum(
        rng.geometric(0.15, size) - 1, SKUS_PER_ARCHETYPE - 1
    )
    goods = np.array([goods_mask(frozenset(a.goods)) for a in ARCHETYPES])[kind]
    return OrderBatch(
        order_ids=[f"ORD-{i + 1:08d}" for i in range(size)],
        created_us=epoch_us(START) + offsets,
        location=location.astype(np.int32),
        locations=locations,
        weight_kg=weight,
        volume_cm3=box[:, 0] * box[:, 1] * box[:, 2],
        longest_side_cm=sides[:, 0],
        length_plus_girth_cm=sides[:, 0] + 2 * (sides[:, 1] + sides[:, 2]),
        sum_of_sides_cm=box[:, 0] + box[:, 1] + box[:, 2],
        value=value * fx.ratio("USD"),
        declared=value,
        currency=np.zeros(size, dtype=np.int16),
        currencies=["USD"],
        goods=goods.astype(np.int32),
        urgent=express,
        promised_days=np.where(express, 6, 20).astype(np.int16),
        sku_offsets=np.arange(size + 1, dtype=np.int64),
        sku_codes=sku.astype(np.int32),
        sku_vocab=sku_vocab,
    )


def conditions_for(catalogue: Catalogue, size: int, batch: OrderBatch) -> NetworkConditions:
    best_sellers = frozenset(
        batch.sku_vocab[c] for c in np.bincount(batch.sku_codes).argsort()[::-1][:40].tolist()
    )
    capacity = {ch.id: ch.daily_capacity * max(1, size // 20_000) for ch in catalogue.channels}
    stock = dict.fromkeys(best_sellers, max(1, size // 4_000))  # units: run out mid-batch
    return NetworkConditions(
        capacity_left=capacity,
        inventory={"DUS": stock, "LAX": stock},
        peak_windows=[PeakWindow("black-friday", START.date(), START.date())],
    )


def measure(catalogue: Catalogue, batch: OrderBatch, args: argparse.Namespace) -> dict[str, Any]:
    """Batch engine on the whole batch, scalar reference on its first orders, same answers."""
    fx = FxTable(DEFAULT_FX_TO_USD, "USD")
    conditions = conditions_for(catalogue, len(batch), batch)
    selector = Selector.prepare(catalogue, Policy(), fx, conditions)
    result, seconds = timed(lambda: assign_batch(batch, selector, chunk_size=args.chunk))
    sample = [batch.facts(i) for i in range(min(args.baseline_size, len(batch)))]
    decisions, base_seconds = timed(lambda: selector.assign_facts(sample))
    check = assign_batch(OrderBatch.from_facts(sample), selector)
    mismatches = sum(check.channel_ids(i) != d.channel_ids for i, d in enumerate(decisions))
    rate, base_rate = len(batch) / seconds, len(sample) / base_seconds
    print(
        f"{len(catalogue.channels)} channels: batch {len(batch):,} orders in {seconds:.2f} s "
        f"({rate:,.0f}/s, {int((result.primary >= 0).sum()):,} assigned); scalar "
        f"{len(sample):,} in {base_seconds:.2f} s ({base_rate:,.0f}/s); ratio "
        f"{rate / base_rate:.1f}; disagreements on the sample: {mismatches}"
    )
    return {
        "channels": len(catalogue.channels),
        "seconds": round(seconds, 3),
        "per_second": round(rate),
        "baseline_orders": len(sample),
        "baseline_per_second": round(base_rate),
        "ratio": round(rate / base_rate, 1),
        "mismatches": mismatches,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=40)
    parser.add_argument("--baseline-size", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    args = parser.parse_args()
    batch = orders_of(args.size, seed=1, fx=FxTable(DEFAULT_FX_TO_USD, "USD"))
    default = measure(default_catalogue(), batch, args)
    target = measure(catalogue_of(args.channels), batch, args)
    report(
        {
            "bench": "assign",
            "orders": args.size,
            "backups": Policy().backups,
            **target,
            "default_catalogue": default,
        }
    )


if __name__ == "__main__":
    main()
