"""The products CSV and the hand-off CSV: every bad row named by row, column and value."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.domain.goods import GoodsClass
from tradelane.domain.handoffs import HandOff
from tradelane.domain.money import Money
from tradelane.files.handoff_file import read_handoffs
from tradelane.files.products_file import read_products

HANDOFF_HEADER = (
    "order_id,channel_id,tracking_number,handed_over_at,promised_at,label_cost,currency\n"
)


def test_products_give_weight_box_classes_and_hs_code(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text(
        "sku,weight_kg,length_cm,width_cm,height_cm,goods_classes,hs_code\n"
        "LAMP,0.9,30,15,12,battery_in_equipment;magnetic,9405.20\nMUG,0.4,,,,,\n"
    )
    products = read_products(path)
    lamp = products["LAMP"]
    assert (lamp.weight_kg, lamp.hs_code) == (0.9, "940520")
    assert lamp.dimensions is not None and lamp.dimensions.height_cm == 12
    assert lamp.goods_classes == {GoodsClass.BATTERY_IN_EQUIPMENT, GoodsClass.MAGNETIC}
    assert products["MUG"].dimensions is None
    assert products["MUG"].goods_classes == {GoodsClass.GENERAL}


def test_every_bad_product_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text(
        "sku,weight_kg,length_cm,width_cm,height_cm,goods_classes\n"
        "A,-1,,,,\nB,0.2,10,,,\nC,0.2,,,,plutonium\nA2,0.1,,,,\nA2,0.1,,,,\n"
    )
    with pytest.raises(InputErrors) as refused:
        read_products(path)
    assert [(e.where[-5:], e.field) for e in refused.value.errors] == [
        ("row 2", "weight_kg"),
        ("row 3", "length_cm"),
        ("row 4", "goods_classes"),
        ("row 6", "sku"),
    ]


def test_an_unknown_products_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("sku,weight_kg,colour\nA,1,red\n")
    with pytest.raises(ValidationError, match="unknown column"):
        read_products(path)


def test_handoff_rows_become_handoffs_with_optional_promise_and_cost(tmp_path: Path) -> None:
    path = tmp_path / "handoffs.csv"
    path.write_text(
        HANDOFF_HEADER + "1001,epacket-cn,LX123456785CN,2026-11-28T10:00:00+08:00,,3.10,USD\n"
        "1002,yun-line-cn,YT2612345678,2026-11-28T11:00:00+08:00,2026-12-20T00:00:00Z,,\n"
    )
    first, second = (entry for _, entry in read_handoffs(path))
    assert isinstance(first, HandOff) and isinstance(second, HandOff)
    assert first.label_cost == Money(amount=Decimal("3.10"), currency="USD")
    assert first.promised_at is None
    assert second.promised_at == datetime.fromisoformat("2026-12-20T00:00:00+00:00")


def test_bad_handoff_rows_name_row_column_and_value(tmp_path: Path) -> None:
    path = tmp_path / "handoffs.csv"
    path.write_text(
        HANDOFF_HEADER + "1001,epacket-cn,LX1,2026-11-28T10:00:00+08:00,,,\n"
        "1002,epacket-cn,LX123456785CN,2026-11-28 10:00,,,\n"
        "1003,epacket-cn,LX123456786CN,2026-11-28T10:00:00+08:00,,3.10,\n"
        "1004,epacket-cn,LX123456787CN,2026-11-28T10:00:00+08:00,,three,USD\n"
    )
    errors = [entry for _, entry in read_handoffs(path)]
    assert [(e.where[-5:], e.field) for e in errors if isinstance(e, ValidationError)] == [
        ("row 2", "tracking_number"),
        ("row 3", "handed_over_at"),
        ("row 4", "currency"),
        ("row 5", "label_cost"),
    ]


def test_a_handoff_file_without_a_required_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "handoffs.csv"
    path.write_text("order_id,tracking_number\n1001,LX123456785CN\n")
    with pytest.raises(ValidationError, match="channel_id, handed_over_at"):
        read_handoffs(path)
