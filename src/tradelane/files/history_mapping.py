"""History mappings: how the columns of any delivery-history CSV become history records.

    timezone: UTC                    # for times written without an offset
    fields:
      channel:      {column: "Shipment Mode"}
      lane:         {column: "Country"}
      scheduled_at: {column: "Scheduled Delivery Date", date_format: "%d-%b-%y"}
      delivered_at: {column: "Delivered to Client Date", date_format: "%d-%b-%y"}
      shipped_at:   {column: "PO Sent to Vendor Date", date_format: "%m/%d/%y",
                     missing: ["Date Not Captured"]}
      weight_kg:    {column: "Weight (Kilograms)"}
      cost:         {column: "Freight Cost (USD)"}
      currency:     {default: USD}
      status:       {column: "Delivery Status", values: {"Shipping canceled": cancelled}}

Per field the same `column` / `expr` / `default` / `values` as order mappings (order_mapping),
`date_format` (strptime; ISO 8601 without) for the *_at fields, and `missing`: texts a date
column writes for "not recorded" (an empty cell is always missing).

Fields: channel and lane (required), order_id, mode, shipped_at, scheduled_at, delivered_at,
transit_days and promised_days (for sources that give days instead of dates), weight_kg, cost,
currency, status (delivered, in_transit, exception, lost, returned, cancelled; default:
delivered when a delivery date or transit days is known, else in_transit).

Numbers (weight_kg, cost, *_days) that do not read as a number ("Weight Captured
Separately") are recorded as missing and counted in the import report. A date that does not
read in its format, an empty channel or lane and an unknown status are errors naming the row,
the column and the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from tradelane.files.errors import read_model
from tradelane.files.order_mapping import FieldSpec, ZonedMapping

__all__ = [
    "DATE_FIELDS",
    "NUMBER_FIELDS",
    "REQUIRED",
    "HistoryFieldSpec",
    "HistoryMapping",
    "load_history_mapping",
]

DATE_FIELDS = ("shipped_at", "scheduled_at", "delivered_at")
NUMBER_FIELDS = ("transit_days", "promised_days", "weight_kg", "cost")
REQUIRED = ("channel", "lane")
HistoryField = Literal[
    "channel",
    "lane",
    "order_id",
    "mode",
    "shipped_at",
    "scheduled_at",
    "delivered_at",
    "transit_days",
    "promised_days",
    "weight_kg",
    "cost",
    "currency",
    "status",
]


class HistoryFieldSpec(FieldSpec):
    """An order-mapping field spec plus the texts that mean "not recorded"."""

    missing: tuple[str, ...] = ()


class HistoryMapping(ZonedMapping):
    required: ClassVar[tuple[str, ...]] = REQUIRED

    fields: dict[HistoryField, HistoryFieldSpec]


def load_history_mapping(path: Path) -> HistoryMapping:
    """Read and check a history mapping file; InputErrors naming each bad path and value."""
    return read_model(path, HistoryMapping, what="history mapping")
