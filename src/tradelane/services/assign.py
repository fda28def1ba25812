"""Assign orders to channels: primary + ranked backups, explained, stored with provenance.

    store ─▶ orders still `new`, active catalogue, stock, channel states, active switches
          ─▶ per order day: capacity that day's orders already use ─▶ batch engine (orders of
             a running experiment on their arm's channels first: arm_assignment.py)
          ─▶ explanation per order ─▶ assignment rows + order status, in one transaction
Daily capacity is counted per order day (UTC date of created_at): an order ships on the day it
is placed, so a week of orders draws on seven days of capacity. Warehouse stock is counted for
the whole run: units on hand less those reserved by earlier assignments, drawn down by every
order of every day that is assigned to the warehouse. Orders no channel can take get
a row with no primary and the reasons; they stay `new` and are tried again on the next run.
An order that cannot be decided at all (its currency is not in the FX table) never stops the
batch: it is skipped, left `new`, and named in the report with the reason.
`assign_order_file` decides a file's orders without storing them (capacity not limited).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol, TypeVar

from tradelane.domain.catalog import Catalogue, TransitProfile
from tradelane.domain.errors import InputErrors, NotFound, ValidationError
from tradelane.domain.goods import GoodsClass, Urgency
from tradelane.domain.orders import Order
from tradelane.domain.units import Dimensions
from tradelane.files.order_file import read_orders
from tradelane.selection.batch import BatchResult, assign_batch
from tradelane.selection.conditions import FxTable, NetworkConditions, take_units
from tradelane.selection.decision import AssignmentRecord
from tradelane.selection.engine import Selector
from tradelane.selection.explain import explain, score_document
from tradelane.selection.facts import ParcelFacts, facts_of, parcel_measures, sku_units
from tradelane.selection.order_batch import OrderBatch
from tradelane.selection.policy import Policy
from tradelane.selection.pricing import to_money
from tradelane.selection.season import default_peak_windows
from tradelane.selection.summary import ChannelMix, channel_mix
from tradelane.services.arm_assignment import decide_with_arms
from tradelane.store.assignment_repository import OrderFactsRow
from tradelane.store.uow import UnitOfWork

__all__ = [
    "AssignReport",
    "assign_order_file",
    "assign_orders",
    "capacity_left_on",
    "decidable",
    "facts_from_row",
    "network_conditions",
    "records_of",
]

Progress = Callable[[int, int, str], None]
SHOWN_UNASSIGNED = 20


def _silent(_done: int, _total: int, _stage: str) -> None:
    return None


@dataclass
class AssignReport:
    orders: int
    currency: str
    policy_version: str
    catalogue_version_id: int | None
    mix: list[ChannelMix] = field(default_factory=list)
    unassigned: list[tuple[str, str]] = field(default_factory=list)  # first few: id, reason
    skipped: list[tuple[str, str]] = field(default_factory=list)  # not decided: id, reason

    @property
    def assigned(self) -> int:
        return sum(m.orders for m in self.mix if m.channel_id is not None)

    @property
    def unassigned_count(self) -> int:
        return sum(m.orders for m in self.mix if m.channel_id is None)


def facts_from_row(
    row: OrderFactsRow, fx: FxTable, lines: Sequence[tuple[str, int]] | None = None
) -> ParcelFacts:
    """The same facts `facts_of` computes from the Order the row was stored from, given the
    order's (sku, quantity) lines (None: one unit of each of the row's SKUs)."""
    skus, units = sku_units(lines if lines is not None else ((s, 1) for s in row.skus.split()))
    dims = None
    if row.length_cm is not None and row.width_cm is not None and row.height_cm is not None:
        dims = Dimensions(length_cm=row.length_cm, width_cm=row.width_cm, height_cm=row.height_cm)
    volume, longest, girth, sides = parcel_measures(dims)
    return ParcelFacts(
        order_id=row.order_id,
        created_at=row.created_at,
        country=row.country,
        postcode=row.postcode,
        weight_kg=row.weight_kg,
        volume_cm3=volume,
        longest_side_cm=longest,
        length_plus_girth_cm=girth,
        sum_of_sides_cm=sides,
        declared_value=row.declared_value,
        currency=row.currency,
        value=fx.to_settlement(float(row.declared_value), row.currency),
        goods=frozenset(GoodsClass(g) for g in row.goods_classes.split(",") if g),
        urgency=Urgency(row.urgency),
        promised_days=row.promised_days,
        skus=skus,
        units=units,
    )


def network_conditions(
    uow: UnitOfWork, *, now: datetime, catalogue: Catalogue | None = None
) -> NetworkConditions:
    """What the store knows of the network now, capacity not limited (inside an open uow);
    the stored allocation ratios become quotas.

    Stock is each warehouse's units on hand less those reserved by assigned orders at the
    warehouse channels of `catalogue` (None: the active catalogue)."""
    year = now.astimezone(UTC).year
    if catalogue is None:
        stored = uow.catalogues.latest()
        catalogue = None if stored is None else stored.catalogue
    channels = [] if catalogue is None else catalogue.channels
    warehouse_of = {ch.id: ch.warehouse for ch in channels if ch.warehouse is not None}
    return NetworkConditions(
        channel_states=uow.network.channel_states(),
        switches=uow.network.active_switches(now),
        inventory=uow.inventory.available(warehouse_of),
        peak_windows=[w for y in (year - 1, year, year + 1) for w in default_peak_windows(y)],
        quotas=uow.allocations.quotas(),
    )


def capacity_left_on(uow: UnitOfWork, catalogue: Catalogue, day: date) -> dict[str, int]:
    """Parcels each channel can still take for orders created on `day` (UTC)."""
    start = datetime.combine(day, time(), tzinfo=UTC)
    used = uow.assignments.primaries_of_orders_created(start, start + timedelta(days=1))
    return {ch.id: ch.daily_capacity - used.get(ch.id, 0) for ch in catalogue.channels}


def records_of(
    result: BatchResult,
    *,
    catalogue_version_id: int | None,
    now: datetime,
    progress: Progress = _silent,
) -> list[AssignmentRecord]:
    """One explained record per batch row."""
    selector = result.network.selector
    records = []
    for row in range(len(result.batch)):
        facts = result.batch.facts(row)
        decision = result.decision(row, facts)
        primary = decision.primary
        records.append(
            AssignmentRecord(
                order_id=decision.order_id,
                primary_channel_id=None if primary is None else primary.channel_id,
                backup_channel_ids=tuple(b.channel_id for b in decision.backups),
                cost=None if primary is None else to_money(primary.price, decision.currency),
                on_time_probability=None if primary is None else primary.on_time_probability,
                score=score_document(decision, selector.policy),
                reason=explain(
                    decision, facts, selector.catalogue, selector.policy, selector.conditions
                ),
                policy_version=selector.policy.version,
                catalogue_version_id=catalogue_version_id,
                assigned_at=now,
            )
        )
        if row % 5_000 == 4_999:
            progress(row + 1, len(result.batch), "explaining")
    return records


def assign_orders(
    *,
    uow: UnitOfWork,
    now: datetime,
    fx: FxTable,
    policy: Policy,
    limit: int | None = None,
    limit_capacity: bool = True,
    progress: Progress = _silent,
    predicted: tuple[Mapping[tuple[str, str], TransitProfile], str] | None = None,
) -> AssignReport:
    """Assign every stored order still `new` (up to `limit`), in one transaction.

    `predicted`: transit profiles from an ETA model per (channel, country) and its name, used
    on those lanes instead of the catalogue's (services.eta.transit_overrides)."""
    with uow:
        stored = uow.catalogues.latest()
        if stored is None:
            raise NotFound("catalogue", "active (run `tradelane init` first)")
        rows = list(uow.assignments.orders_to_assign(limit=limit))
        lines = uow.assignments.units_of([row.order_id for row in rows])
        facts, skipped = decidable(
            rows, lambda row: facts_from_row(row, fx, lines.get(row.order_id))
        )
        base = network_conditions(uow, now=now, catalogue=stored.catalogue)
        if predicted is not None:
            base = replace(base, transit_overrides=predicted[0], eta_source=predicted[1])
        records: list[AssignmentRecord] = []
        stock = {w: dict(units) for w, units in base.inventory.items()}
        run = _Run(policy, fx, base, stored.version_id, now, stock=stock)
        experiments = uow.experiments.all()
        for day, todays in _by_day(facts):
            run.capacity = capacity_left_on(uow, stored.catalogue, day) if limit_capacity else None
            records += decide_with_arms(todays, stored.catalogue, experiments, run.decide)
            progress(len(records), len(facts), "deciding and explaining")
        progress(len(records), len(records), "storing")
        uow.assignments.add_many(records, now=now)
        selector = Selector.prepare(stored.catalogue, policy, fx, base)
        report = _report(records, selector, stored.version_id, skipped)
        uow.commit()
    return report


class _Identified(Protocol):
    @property
    def order_id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def decidable(
    items: Iterable[_Item], to_facts: Callable[[_Item], ParcelFacts]
) -> tuple[list[ParcelFacts], list[tuple[str, str]]]:
    """Facts of every item that has them, and (order id, reason) of each that has none."""
    facts: list[ParcelFacts] = []
    skipped: list[tuple[str, str]] = []
    for item in items:
        try:
            facts.append(to_facts(item))
        except ValidationError as exc:
            skipped.append((item.order_id, f"{exc.message} ({exc.field}: {exc.value!r})"))
    return facts, skipped


@dataclass
class _Run:
    """Decides batches in sequence: each draws on the capacity and stock earlier ones used."""

    policy: Policy
    fx: FxTable
    base: NetworkConditions
    version_id: int | None
    now: datetime
    stock: Mapping[str, Mapping[str, int]]
    capacity: dict[str, int] | None = None

    def decide(self, catalogue: Catalogue, facts: list[ParcelFacts]) -> list[AssignmentRecord]:
        conditions = replace(self.base, capacity_left=self.capacity, inventory=self.stock)
        selector = Selector.prepare(catalogue, self.policy, self.fx, conditions)
        result = assign_batch(OrderBatch.from_facts(facts), selector)
        records = records_of(result, catalogue_version_id=self.version_id, now=self.now)
        self.stock = _stock_after(self.stock, result.batch, records, catalogue)
        if self.capacity is not None:
            self.capacity = dict(self.capacity)
            for record in records:
                if record.primary_channel_id is not None:
                    self.capacity[record.primary_channel_id] -= 1
        return records


def _stock_after(
    stock: Mapping[str, Mapping[str, int]],
    batch: OrderBatch,
    records: Sequence[AssignmentRecord],
    catalogue: Catalogue,
) -> dict[str, dict[str, int]]:
    """Units left once `records` (one per batch row) drew theirs: the next day starts there."""
    left = {w: dict(units) for w, units in stock.items()}
    warehouse_of = {ch.id: ch.warehouse for ch in catalogue.channels}
    for row, record in enumerate(records):
        warehouse = warehouse_of.get(record.primary_channel_id or "")
        if warehouse is not None:
            facts = batch.facts(row)
            take_units(left, warehouse, facts.skus, facts.units)
    return left


def _by_day(facts: list[ParcelFacts]) -> list[tuple[date, list[ParcelFacts]]]:
    days: dict[date, list[ParcelFacts]] = {}
    for f in facts:
        days.setdefault(f.day, []).append(f)
    return sorted(days.items())


def _report(
    records: Sequence[AssignmentRecord],
    selector: Selector,
    version_id: int | None,
    skipped: list[tuple[str, str]],
) -> AssignReport:
    rows = [
        (r.primary_channel_id, None if r.cost is None else r.cost.amount, r.on_time_probability)
        for r in records
    ]
    unassigned = [(r.order_id, r.reason) for r in records if r.primary_channel_id is None]
    return AssignReport(
        orders=len(records),
        currency=selector.fx.settlement,
        policy_version=selector.policy.version,
        catalogue_version_id=version_id,
        mix=channel_mix(rows),
        unassigned=unassigned[:SHOWN_UNASSIGNED],
        skipped=skipped,
    )


def assign_order_file(
    path: Path,
    *,
    uow: UnitOfWork,
    now: datetime,
    fx: FxTable,
    policy: Policy,
    catalogue: Catalogue | None = None,
    progress: Progress = _silent,
) -> tuple[list[AssignmentRecord], AssignReport]:
    """Decide the orders of a CSV/JSONL file against the store's network; stores nothing."""
    _, entries = read_orders(path)
    orders: list[Order] = []
    errors: list[ValidationError] = []
    for _, entry in entries:
        if isinstance(entry, ValidationError):
            errors.append(entry)
        else:
            orders.append(entry)
    if errors:
        raise InputErrors(str(path), errors[:1_000])
    with uow:
        stored = uow.catalogues.latest()
        chosen = catalogue or (stored.catalogue if stored else None)
        if chosen is None:
            raise NotFound("catalogue", "active (run `tradelane init` or give --catalogue)")
        conditions = network_conditions(uow, now=now, catalogue=chosen)
    selector = Selector.prepare(chosen, policy, fx, conditions)
    facts, skipped = decidable(orders, lambda order: facts_of(order, fx))
    result = assign_batch(OrderBatch.from_facts(facts), selector)
    version = None if catalogue is not None or stored is None else stored.version_id
    records = records_of(result, catalogue_version_id=version, now=now, progress=progress)
    return records, _report(records, selector, version, skipped)
