"""Dependencies: the composition root's Tradelane."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tradelane.bootstrap import Tradelane

__all__ = ["System"]


def _system(request: Request) -> Tradelane:
    system: Tradelane = request.app.state.system
    return system


System = Annotated[Tradelane, Depends(_system)]
