"""Write a replenishment plan as CSV: one row per warehouse x SKU, figures per unit of stock."""

from __future__ import annotations

import csv
from pathlib import Path

from tradelane.forecasting.placement_plan import PlanLine

__all__ = ["PLAN_COLUMNS", "plan_row", "write_plan_csv"]

PLAN_COLUMNS = (
    "warehouse",
    "sku",
    "peak",
    "ship_by",
    "in_time",
    "lead_time_days",
    "ship_units",
    "order_up_to",
    "on_hand",
    "on_hand_at_arrival",
    "cover_demand_mean",
    "cover_demand_sd",
    "quantile",
    "critical_ratio",
    "expected_shortage",
    "expected_cost",
    "expected_cost_from_china",
    "expected_saved",
)


def plan_row(line: PlanLine) -> dict[str, str]:
    placed = line.placement
    return {
        "warehouse": line.warehouse,
        "sku": line.sku,
        "peak": line.peak,
        "ship_by": placed.ship_by.isoformat(),
        "in_time": "yes" if line.in_time else "no",
        "lead_time_days": str(line.lead_time_days),
        "ship_units": str(placed.ship_units),
        "order_up_to": str(placed.order_up_to),
        "on_hand": str(line.on_hand),
        "on_hand_at_arrival": f"{line.on_hand_at_arrival:.1f}",
        "cover_demand_mean": f"{line.cover_mean:.1f}",
        "cover_demand_sd": f"{line.cover_sd:.1f}",
        "quantile": f"{placed.quantile:.3f}",
        "critical_ratio": f"{placed.critical_ratio:.3f}",
        "expected_shortage": f"{placed.expected_shortage:.1f}",
        "expected_cost": f"{placed.cost:.2f}",
        "expected_cost_from_china": f"{placed.cost_without:.2f}",
        "expected_saved": f"{placed.saved:.2f}",
    }


def write_plan_csv(path: Path, lines: list[PlanLine]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLAN_COLUMNS)
        writer.writeheader()
        writer.writerows(plan_row(line) for line in lines)
