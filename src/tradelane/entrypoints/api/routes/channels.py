"""Channel catalogue: the active catalogue's channels and lanes."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from tradelane.domain.catalog import Channel
from tradelane.entrypoints.api.deps import Reader

__all__ = ["router"]

router = APIRouter(prefix="/channels", tags=["channels"])


class ChannelSummary(BaseModel):
    id: str
    name: str
    mode: str
    carrier: str
    air_type: str
    daily_capacity: int
    countries: list[str]


@router.get("", response_model=list[ChannelSummary])
def list_channels(app: Reader) -> list[ChannelSummary]:
    return [
        ChannelSummary(
            id=c.id,
            name=c.name,
            mode=c.mode.value,
            carrier=c.carrier,
            air_type=c.air_type.value,
            daily_capacity=c.daily_capacity,
            countries=[lane.country for lane in c.lanes],
        )
        for c in app.catalogue().catalogue.channels
    ]


@router.get("/{channel_id}", response_model=Channel)
def get_channel(channel_id: str, app: Reader) -> Channel:
    return app.catalogue().catalogue.channel(channel_id)
