"""The product's switch re-assignment re-decides each moved order by the simulator's rule:
promise-keeping line within the price ratio, else a rescue within the budget, else the named
backup, else the first usable line (SQLite)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from tests.builders import an_order
from tradelane.bootstrap import build
from tradelane.clock import FixedClock
from tradelane.config import Settings
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.conditions import FxTable
from tradelane.selection.policy import Policy
from tradelane.services.catalogues import install_catalogue_file
from tradelane.services.promise_reassignment import PromiseReassigner
from tradelane.services.switch_overrides import ManualSwitch
from tradelane.store.tables import assignments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch, SwitchKind

NOW = datetime(2026, 9, 14, 8, tzinfo=UTC)
FX = FxTable({"USD": Decimal(1), "CNY": Decimal("0.14")}, "USD")
REASSIGN = PromiseReassigner(Policy(), FX)
LEFT = "epacket-cn"  # US: 5.90, p50 14 days in the default catalogue
LIMITS = {"max_price_ratio": 2.0, "rescue_price_ratio": 15.0}


def _open_switch(uow: UnitOfWork, trigger: Mapping[str, Any], backup: str | None) -> ActiveSwitch:
    """An automatic switch of every US order off LEFT, stored in the open unit of work."""
    record = uow.switches.open(
        channel_id=LEFT,
        country="US",
        backup_channel_id=backup,
        share=1.0,
        kind=SwitchKind.AUTOMATIC,
        trigger=trigger,
        reason="test",
        actor="system",
        started_at=NOW,
    )
    return ActiveSwitch(record.switch_id, LEFT, "US", 1.0, backup)


def _orders(uow: UnitOfWork, promised: Mapping[str, int]) -> None:
    for order_id, days in promised.items():
        uow.orders.add_many([an_order(order_id, promised_days=days, created_at=NOW)], now=NOW)
        uow.connection.execute(
            insert(assignments).values(
                order_id=order_id,
                primary_channel_id=LEFT,
                backup_channel_ids=["cainiao-standard"],
                score={},
                reason="test assignment",
                policy_version="test",
                cause="initial",
                assigned_at=NOW,
            )
        )


def _move(
    uow: UnitOfWork,
    promised: Mapping[str, int],
    trigger: Mapping[str, Any],
    backup: str | None = None,
    reassign: PromiseReassigner = REASSIGN,
) -> Mapping[str, str]:
    with uow:
        uow.catalogues.add(default_catalogue(), source="test", now=NOW)
        _orders(uow, promised)
        switch = _open_switch(uow, trigger, backup)
        ids: Sequence[str] = list(promised)
        moves = reassign(ids, away_from=switch, uow=uow, now=NOW)
        uow.commit()
    with uow:
        for order_id, channel in moves.items():
            current = uow.assignments.current(order_id)
            assert current is not None and current.primary_channel_id == channel
    return moves


def test_a_named_backup_that_breaks_the_promise_loses_to_a_line_that_keeps_it(
    uow: UnitOfWork,
) -> None:
    # cainiao-standard (p50 20 days) cannot make 10 days; cn-us-air-line (5.85, p50 8) can
    moves = _move(uow, {"ORD-1": 10}, LIMITS, backup="cainiao-standard")
    assert moves == {"ORD-1": "cn-us-air-line"}


def test_without_a_promise_keeper_in_the_ratio_the_named_backup_is_taken(
    uow: UnitOfWork,
) -> None:
    # 2 days: nothing keeps it, no rescue either -> the named backup
    moves = _move(uow, {"ORD-1": 2}, {**LIMITS, "rescue_budget_share": 50.0}, "cainiao-standard")
    assert moves == {"ORD-1": "cainiao-standard"}


def test_a_dearer_line_rescues_the_promise_while_the_budget_allows(uow: UnitOfWork) -> None:
    # 5 days: only the express lines (about 44-47, p50 4) keep it, all over 2 x 5.90
    moves = _move(uow, {"ORD-1": 5}, {**LIMITS, "rescue_budget_share": 10.0})
    assert moves == {"ORD-1": "ups-saver-cn"}


def test_no_rescue_once_the_budget_is_spent(uow: UnitOfWork) -> None:
    # budget 4 x (5.90 + 5.90) = 47.20 pays one rescue's extra 37.85, not two
    moves = _move(uow, {"ORD-A": 5, "ORD-B": 5}, {**LIMITS, "rescue_budget_share": 4.0})
    assert moves["ORD-A"] == "ups-saver-cn"
    assert moves["ORD-B"] == "cainiao-standard"  # the selection's best line within the ratio


def test_no_rescue_without_a_budget(uow: UnitOfWork) -> None:
    moves = _move(uow, {"ORD-1": 5}, {**LIMITS, "rescue_budget_share": 0.0})
    assert moves == {"ORD-1": "cainiao-standard"}


def test_a_channel_sharing_the_cause_is_never_chosen(uow: UnitOfWork) -> None:
    cause = {"kind": "origin", "value": "x", "channels": [LEFT, "cn-us-air-line"]}
    moves = _move(uow, {"ORD-1": 10}, {**LIMITS, "cause": cause}, backup="cn-us-air-line")
    assert moves == {"ORD-1": "yun-line-cn"}  # 6.35, p50 9: the next promise keeper


def test_a_warehouse_line_takes_only_the_orders_its_stock_covers(uow: UnitOfWork) -> None:
    with uow:
        uow.inventory.put_many([("LAX", "SKU-1", 1)], now=NOW)
        uow.commit()
    moves = _move(uow, {"ORD-A": 5, "ORD-B": 5}, {**LIMITS, "rescue_budget_share": 0.0})
    assert sorted(moves.values()).count("wh-los-angeles") == 1


def test_an_order_it_cannot_quote_moves_to_its_stored_backup(uow: UnitOfWork) -> None:
    no_usd = PromiseReassigner(Policy(), FxTable({"CNY": Decimal(1)}, "CNY"))
    moves = _move(uow, {"ORD-1": 10}, LIMITS, reassign=no_usd)
    assert moves == {"ORD-1": "cainiao-standard"}  # the order's stored backup


def test_the_application_re_decides_the_orders_a_forced_switch_moves(tmp_path: Path) -> None:
    app = replace(build(Settings(data_dir=tmp_path)), clock=FixedClock(NOW))
    app.migrate()
    install_catalogue_file(None, uow=app.uow(), now=NOW)
    with app.uow() as uow:
        _orders(uow, {"ORD-1": 10})
        uow.commit()
    app.force_switch(
        ManualSwitch(LEFT, "US", backup_channel_id="cainiao-standard", reason="x", actor="al")
    )
    with app.uow() as uow:
        current = uow.assignments.current("ORD-1")
    # the stored backup and the named one (p50 20 days) both break the 10-day promise
    assert current is not None and current.primary_channel_id == "cn-us-air-line"


def test_orders_alike_on_two_switches_of_one_evaluation_follow_each_switch(
    uow: UnitOfWork,
) -> None:
    # one unit of work, one instant, the same parcel facts: the second switch's cause still
    # rules out its line although the first switch took it for the same quote
    with uow:
        uow.catalogues.add(default_catalogue(), source="test", now=NOW)
        _orders(uow, {"ORD-A": 10, "ORD-B": 10})
        cause = {"kind": "origin", "value": "x", "channels": [LEFT, "cn-us-air-line"]}
        moves: dict[str, str] = {}
        for order_id, trigger in (("ORD-A", LIMITS), ("ORD-B", {**LIMITS, "cause": cause})):
            switch = _open_switch(uow, trigger, None)
            moves.update(REASSIGN([order_id], away_from=switch, uow=uow, now=NOW))
        uow.commit()
    assert moves == {"ORD-A": "cn-us-air-line", "ORD-B": "yun-line-cn"}
