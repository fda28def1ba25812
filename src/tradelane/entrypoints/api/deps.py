"""Dependencies: the composition root's Tradelane and request-size guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tradelane.bootstrap import Tradelane
from tradelane.entrypoints.api.problems import MAX_BODY_BYTES, PayloadTooLarge

__all__ = ["System", "check_body_size"]


def _system(request: Request) -> Tradelane:
    system: Tradelane = request.app.state.system
    return system


System = Annotated[Tradelane, Depends(_system)]


async def check_body_size(request: Request) -> None:
    """Refuse bodies over MAX_BODY_BYTES before reading them (413 problem)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge(int(declared))
