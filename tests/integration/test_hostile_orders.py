"""Orders the store cannot hold or decide, and writers racing, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.builders import NOW, an_order
from tests.unit.selection.selecting import USD
from tradelane.domain.errors import Conflict, InputErrors
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.order_file import write_orders_csv
from tradelane.selection.policy import Policy
from tradelane.services.assign import assign_orders
from tradelane.services.catalogues import install_catalogue
from tradelane.services.order_import import import_order_file, import_orders
from tradelane.simulation.order_stream import generate_orders
from tradelane.store.tables import orders
from tradelane.store.uow import UnitOfWork

HEADER = "order_id,created_at,country,sku,unit_value,weight_kg,currency\n"


def _stored(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(orders)) or 0)


def test_an_order_in_a_currency_the_fx_table_lacks_is_refused_at_import_naming_its_row(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        HEADER + "A-1,2026-11-27T10:00:00Z,DE,S,5,1,USD\nA-2,2026-11-27T10:00:00Z,DE,S,5,1,JPY\n"
    )
    with pytest.raises(InputErrors) as caught:
        import_order_file(path, uow=uow, now=NOW, fx=USD)
    [error] = caught.value.errors
    assert (error.field, error.value) == ("currency", "JPY") and error.where.endswith("row 3")
    assert _stored(uow.engine) == 0


def test_one_order_assign_cannot_decide_is_skipped_and_named_and_the_rest_are_assigned(
    uow: UnitOfWork,
) -> None:
    install_catalogue(default_catalogue(), source="default", uow=uow, now=NOW)
    good = generate_orders(20, seed=8, start=NOW)
    yen = an_order("YEN-1").model_copy(update={"currency": "JPY"})
    import_orders([*good, yen], source="older fx table", uow=uow, now=NOW)
    report = assign_orders(uow=uow, now=NOW, fx=USD, policy=Policy())
    assert [order_id for order_id, _ in report.skipped] == ["YEN-1"]
    assert "JPY" in report.skipped[0][1]
    assert report.orders == 20 and report.assigned > 0
    with uow:
        assert uow.orders.ids(status="new") == ["YEN-1"]


@pytest.mark.parametrize(
    "lines",
    [
        [{"sku": "S\x00X"}],
        [{"unit_value": "9" * 61}],
        [{"sku": f"{n:03d}" + "K" * 61} for n in range(500)],
    ],
    ids=["nul-in-sku", "61-digit-value", "500-long-skus"],
)
def test_values_past_the_store_limits_are_refused_on_every_backend(
    uow: UnitOfWork, tmp_path: Path, lines: list[dict[str, str]]
) -> None:
    order = generate_orders(1, seed=9, start=NOW)[0].model_dump(mode="json")
    order["lines"] = [{**order["lines"][0], **change} for change in lines]
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(order) + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        import_order_file(path, uow=uow, now=NOW)
    assert caught.value.errors[0].where.endswith("line 1")
    assert _stored(uow.engine) == 0


def test_the_same_file_imported_twice_at_once_is_stored_once_and_the_other_is_a_conflict(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    sent = generate_orders(3, seed=6, start=NOW)
    write_orders_csv(sent, path)
    outcomes: list[BaseException | None] = []
    racer: list[threading.Thread] = []

    def second_import() -> None:
        try:
            import_order_file(path, uow=UnitOfWork(engine), now=NOW)
            outcomes.append(None)
        except Exception as exc:
            outcomes.append(exc)

    def race_once(_done: int, _total: int, _stage: str) -> None:
        if not racer:  # the first order is written, not committed: start the second import
            racer.append(threading.Thread(target=second_import))
            racer[0].start()
            time.sleep(1.0)

    import_order_file(path, uow=UnitOfWork(engine), now=NOW, chunk_size=1, progress=race_once)
    racer[0].join(timeout=60)
    [outcome] = outcomes
    assert isinstance(outcome, Conflict | InputErrors), repr(outcome)
    assert "already imported" in str(outcome) or "busy" in str(outcome)
    if isinstance(outcome, Conflict):  # names the clash, not the rows' values
        assert not any(order.order_id in str(outcome) for order in sent)
    assert _stored(engine) == 3
