"""The dashboard page: tiles and tables assembled from read-only queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, select_autoescape

from tradelane.entrypoints.api.deps import System
from tradelane.services.catalogues import active_catalogue

router = APIRouter(include_in_schema=False)
_env = Environment(autoescape=select_autoescape(default=True))


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _template() -> Any:
    text = resources.files(__package__).joinpath("page.html").read_text("utf-8")
    return _env.from_string(text)


@router.get("/", response_class=HTMLResponse)
def dashboard(system: System) -> str:
    stored = active_catalogue(uow=system.uow())
    with system.uow() as uow:
        order_count = uow.orders.count()
    channels = Section("Channels", ["id", "mode", "carrier", "air", "capacity/day", "lanes"])
    for c in stored.catalogue.channels:
        channels.rows.append(
            [
                c.id,
                c.mode.value,
                c.carrier,
                c.air_type.value,
                f"{c.daily_capacity:,}",
                " ".join(lane.country for lane in c.lanes),
            ]
        )
    tiles = [
        {"label": "orders", "value": f"{order_count:,}"},
        {"label": "channels", "value": len(stored.catalogue.channels)},
    ]
    return str(
        _template().render(
            catalogue_name=stored.catalogue.name,
            catalogue_version=stored.version_id,
            backend=system.engine.dialect.name,
            tiles=tiles,
            sections=[channels],
        )
    )
