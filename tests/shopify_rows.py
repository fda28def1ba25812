"""Build Shopify orders exports for tests: the full default column set, one row per line
item, an order's later rows leaving the order columns empty (as Shopify writes them)."""

from __future__ import annotations

import csv
from pathlib import Path

SHOPIFY_HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]
PRODUCTS = (
    "sku,weight_kg,length_cm,width_cm,height_cm,goods_classes,hs_code\n"
    "CASE-1,0.05,17,9,2,general,392690\n"
    "LAMP-1,0.9,30,15,12,battery_in_equipment,9405.20\n"
    "MUG-1,0.4,,,,,\n"
)


def an_order_rows(
    name: str = "#1001",
    *,
    lines: tuple[tuple[str, int, str], ...] = (("CASE-1", 1, "12.90"),),
    created_at: str = "2026-11-27 10:15:31 +0800",
    country: str = "US",
    zip_code: str = "'02139",
    method: str = "Standard International",
    **order_columns: str,
) -> list[dict[str, str]]:
    """The rows of one order; `order_columns` set more of its first row's columns."""
    rows = []
    for index, (sku, quantity, price) in enumerate(lines):
        row = dict.fromkeys(SHOPIFY_HEADER, "")
        row |= {
            "Name": name,
            "Lineitem quantity": str(quantity),
            "Lineitem name": f"Item {sku}",
            "Lineitem price": price,
            "Lineitem sku": sku,
            "Lineitem requires shipping": "true",
            "Lineitem discount": "0.00",
        }
        if index == 0:
            row |= {
                "Financial Status": "paid",
                "Currency": "USD",
                "Created at": created_at,
                "Shipping Method": method,
                "Shipping City": "Cambridge",
                "Shipping Zip": zip_code,
                "Shipping Country": country,
                "Billing Country": country,
            }
            row |= order_columns
        rows.append(row)
    return rows


def write_export(path: Path, *orders: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SHOPIFY_HEADER)
        writer.writeheader()
        for rows in orders:
            writer.writerows(rows)
    return path


def two_order_export(folder: Path) -> tuple[Path, Path]:
    """(export, products file) in `folder`: #2001 to the US with two lines, #2002 to Germany
    with a zip exported behind an apostrophe."""
    products = folder / "products.csv"
    products.write_text(PRODUCTS, encoding="utf-8")
    export = write_export(
        folder / "orders_export_1.csv",
        an_order_rows("#2001", lines=(("CASE-1", 2, "12.90"), ("MUG-1", 1, "14.00"))),
        an_order_rows("#2002", country="DE", zip_code="'10115"),
    )
    return export, products
