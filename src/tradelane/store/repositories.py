"""Repositories: translate between domain objects and rows. They never commit."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, insert, select

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import NotFound
from tradelane.domain.goods import GoodsClass
from tradelane.domain.orders import Address, Order, OrderLine
from tradelane.domain.units import Dimensions
from tradelane.store.bulk import insert_many
from tradelane.store.tables import catalogue_versions, order_lines, orders
from tradelane.store.tenancy import CURRENT_TENANT, DEFAULT_TENANT, tenant_owns

__all__ = ["CatalogueRepository", "OrderRepository", "StoredCatalogue"]

CHUNK = 5_000
PARSED_CATALOGUES = 8  # catalogues kept parsed, by content digest (a process holds a few)


def _classes(classes: Iterable[GoodsClass]) -> str:
    return ",".join(sorted(c.value for c in classes))


def _parse_classes(text: str) -> frozenset[GoodsClass]:
    return frozenset(GoodsClass(c) for c in text.split(",") if c)


def _dims(row: Any) -> Dimensions | None:
    if row.length_cm is None:
        return None
    return Dimensions(length_cm=row.length_cm, width_cm=row.width_cm, height_cm=row.height_cm)


class StoredCatalogue:
    """A catalogue as stored: its version id and when it was loaded."""

    def __init__(self, version_id: int, catalogue: Catalogue, loaded_at: datetime, source: str):
        self.version_id = version_id
        self.catalogue = catalogue
        self.loaded_at = loaded_at
        self.source = source


class CatalogueRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, catalogue: Catalogue, *, source: str, now: datetime) -> int:
        document = json.loads(catalogue.model_dump_json())
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
        result = self._c.execute(
            insert(catalogue_versions).values(
                name=catalogue.name,
                content_sha256=digest,
                source=source,
                document=document,
                loaded_at=now,
            )
        )
        _remember(digest, catalogue)  # what it stores is what it would parse back
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def latest(self) -> StoredCatalogue | None:
        """The tenant's newest catalogue; a tenant that installed none works on the default
        tenant's (the house network), and another tenant's install never changes it."""
        own_first = (catalogue_versions.c.tenant_id != CURRENT_TENANT.get()).asc()
        query = _visible().order_by(own_first, catalogue_versions.c.id.desc()).limit(1)
        row = self._c.execute(query.with_only_columns(*_HEAD)).first()
        return None if row is None else self._stored(row)

    def get(self, version_id: int) -> StoredCatalogue:
        query = _visible().where(catalogue_versions.c.id == version_id)
        row = self._c.execute(query.with_only_columns(*_HEAD)).first()
        if row is None:
            raise NotFound("catalogue version", version_id)
        return self._stored(row)

    def _stored(self, row: Any) -> StoredCatalogue:
        """The version with its catalogue, parsed once per process for each content digest
        (a stored version never changes, and a Catalogue is immutable): parsing a catalogue
        of hundreds of channels costs about a quarter of a second."""
        digest = row.content_sha256
        with _parsed_lock:
            catalogue = _parsed.get(digest)
            if catalogue is not None:
                _parsed.move_to_end(digest)
        if catalogue is None:
            document = self._c.execute(
                select(catalogue_versions.c.document).where(catalogue_versions.c.id == row.id)
            ).scalar_one()
            catalogue = Catalogue.model_validate(document)
            _remember(digest, catalogue)
        return StoredCatalogue(row.id, catalogue, row.loaded_at, row.source)


_HEAD = (
    catalogue_versions.c.id,
    catalogue_versions.c.content_sha256,
    catalogue_versions.c.loaded_at,
    catalogue_versions.c.source,
)  # a version without its document
_parsed: OrderedDict[str, Catalogue] = OrderedDict()
_parsed_lock = threading.Lock()


def _remember(digest: str, catalogue: Catalogue) -> None:
    """Keep `catalogue` parsed under its content digest (the oldest kept is forgotten)."""
    with _parsed_lock:
        _parsed[digest] = catalogue
        _parsed.move_to_end(digest)
        while len(_parsed) > PARSED_CATALOGUES:
            _parsed.popitem(last=False)


def _visible() -> Select[Any]:
    """The catalogues the open unit of work's tenant may use: its own and the default's."""
    owners = {CURRENT_TENANT.get(), DEFAULT_TENANT}
    return select(catalogue_versions).where(catalogue_versions.c.tenant_id.in_(sorted(owners)))


class OrderRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_many(self, batch: Sequence[Order], *, now: datetime) -> None:
        """Insert orders and their lines; the caller checked ids (see `existing_ids`)."""
        for start in range(0, len(batch), CHUNK):
            chunk = batch[start : start + CHUNK]
            insert_many(self._c, orders, [_order_row(o, now) for o in chunk])
            insert_many(self._c, order_lines, [row for o in chunk for row in _line_rows(o)])

    def existing_ids(self, order_ids: Sequence[str]) -> set[str]:
        """The tenant's orders among `order_ids` (another tenant's ids are free to use)."""
        found: set[str] = set()
        for start in range(0, len(order_ids), CHUNK):
            chunk = list(order_ids[start : start + CHUNK])
            query = select(orders.c.order_id).where(
                orders.c.order_id.in_(chunk), tenant_owns(orders.c.tenant_id)
            )
            found.update(self._c.scalars(query))
        return found

    def count(self) -> int:
        query = select(func.count()).select_from(orders).where(tenant_owns(orders.c.tenant_id))
        return int(self._c.scalar(query) or 0)

    def get(self, order_id: str) -> Order:
        found = self.get_many([order_id])
        if not found:
            raise NotFound("order", order_id)
        return found[0]

    def get_many(self, order_ids: Sequence[str]) -> list[Order]:
        owned = select(orders).where(tenant_owns(orders.c.tenant_id))
        rows = self._c.execute(owned.where(orders.c.order_id.in_(list(order_ids))))
        heads = {row.order_id: row for row in rows}
        line_rows = self._c.execute(
            select(order_lines)
            .where(order_lines.c.order_id.in_(list(heads)), tenant_owns(order_lines.c.tenant_id))
            .order_by(order_lines.c.order_id, order_lines.c.line_no)
        )
        lines: dict[str, list[OrderLine]] = {}
        for row in line_rows:
            lines.setdefault(row.order_id, []).append(_line(row))
        return [_order(heads[oid], lines[oid]) for oid in order_ids if oid in heads]

    def ids(self, *, status: str | None = None, limit: int | None = None) -> list[str]:
        query = select(orders.c.order_id).where(tenant_owns(orders.c.tenant_id))
        query = query.order_by(orders.c.created_at, orders.c.order_id)
        if status is not None:
            query = query.where(orders.c.status == status)
        if limit is not None:
            query = query.limit(limit)
        return list(self._c.scalars(query))


def _order_row(order: Order, now: datetime) -> dict[str, Any]:
    length, width, height = order.parcel_sides_cm or (None, None, None)
    return {
        "order_id": order.order_id,
        "created_at": order.created_at,
        "marketplace": order.marketplace,
        "country": order.destination.country,
        "postcode": order.destination.postcode,
        "city": order.destination.city,
        "currency": order.currency,
        "declared_value": order.declared_amount,
        "weight_kg": order.weight_kg,
        "length_cm": length,
        "width_cm": width,
        "height_cm": height,
        "goods_classes": _classes(order.goods_classes),
        "skus": " ".join(order.skus),
        "urgency": order.urgency.value,
        "promised_days": order.promised_days,
        "status": "new",
        "imported_at": now,
    }


def _line_rows(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order.order_id,
            "line_no": number,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_value": line.unit_value,
            "unit_weight_kg": line.unit_weight_kg,
            "length_cm": line.dimensions.length_cm if line.dimensions else None,
            "width_cm": line.dimensions.width_cm if line.dimensions else None,
            "height_cm": line.dimensions.height_cm if line.dimensions else None,
            "hs_code": line.hs_code,
            "goods_classes": _classes(line.goods_classes),
        }
        for number, line in enumerate(order.lines, start=1)
    ]


def _line(row: Any) -> OrderLine:
    return OrderLine(
        sku=row.sku,
        quantity=row.quantity,
        unit_value=row.unit_value,
        unit_weight_kg=row.unit_weight_kg,
        dimensions=_dims(row),
        hs_code=row.hs_code,
        goods_classes=_parse_classes(row.goods_classes),
    )


def _order(row: Any, lines: list[OrderLine]) -> Order:
    return Order(
        order_id=row.order_id,
        created_at=row.created_at,
        marketplace=row.marketplace,
        destination=Address(country=row.country, postcode=row.postcode, city=row.city),
        currency=row.currency,
        urgency=row.urgency,
        promised_days=row.promised_days,
        lines=lines,
    )
