"""POST /assignments: choose primary + backups for every new stored order."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tradelane.entrypoints.api.deps import System
from tradelane.selection.conditions import FxTable
from tradelane.selection.policy import Policy
from tradelane.services.assign import assign_orders

router = APIRouter(prefix="/assignments", tags=["assignments"])


class AssignCommand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int | None = Field(default=None, ge=1)


@router.post("")
def post_assignments(command: AssignCommand, system: System) -> dict[str, Any]:
    """Assign new orders with the built-in policy, like `tradelane assign`."""
    settings = system.settings
    report = assign_orders(
        uow=system.uow(),
        now=system.clock.now(),
        fx=FxTable(settings.fx_rates, settings.settlement_currency),
        policy=Policy(),
        limit=command.limit,
    )
    return {
        "orders": report.orders,
        "assigned": report.assigned,
        "unassigned": [{"order_id": o, "reason": r} for o, r in report.unassigned],
        "mix": {m.channel_id or "-": m.orders for m in report.mix},
    }
