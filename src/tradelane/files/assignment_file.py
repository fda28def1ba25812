"""Write assignments as CSV: one row per order with primary, backups, cost and the reason."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from tradelane.selection.decision import AssignmentRecord

__all__ = ["ASSIGNMENT_COLUMNS", "write_assignments_csv"]

ASSIGNMENT_COLUMNS = (
    "order_id",
    "primary",
    "backups",
    "cost",
    "currency",
    "on_time_probability",
    "policy_version",
    "reason",
)


def write_assignments_csv(records: Sequence[AssignmentRecord], path: Path) -> None:
    """Backups are `;`-separated; an order no channel can take has an empty primary."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ASSIGNMENT_COLUMNS)
        for r in records:
            writer.writerow(
                [
                    r.order_id,
                    r.primary_channel_id or "",
                    ";".join(r.backup_channel_ids),
                    "" if r.cost is None else str(r.cost.amount),
                    "" if r.cost is None else r.cost.currency,
                    "" if r.on_time_probability is None else f"{r.on_time_probability:.4f}",
                    r.policy_version,
                    r.reason,
                ]
            )
