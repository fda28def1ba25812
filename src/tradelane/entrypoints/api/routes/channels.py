"""Channel catalogue: the active catalogue's channels and lanes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tradelane.entrypoints.api.deps import System
from tradelane.services.catalogues import active_catalogue

router = APIRouter(prefix="/channels", tags=["channels"])


@router.get("")
def list_channels(system: System) -> list[dict[str, Any]]:
    catalogue = active_catalogue(uow=system.uow()).catalogue
    return [
        {
            "id": c.id,
            "name": c.name,
            "mode": c.mode,
            "carrier": c.carrier,
            "air_type": c.air_type,
            "daily_capacity": c.daily_capacity,
            "countries": [lane.country for lane in c.lanes],
        }
        for c in catalogue.channels
    ]


@router.get("/{channel_id}")
def get_channel(channel_id: str, system: System) -> dict[str, Any]:
    channel = active_catalogue(uow=system.uow()).catalogue.channel(channel_id)
    return channel.model_dump(mode="json")
