"""Dependencies: the process's application, the caller behind `Authorization: Bearer KEY`,
and the application bound to the caller's tenant once its role allows the route's action.

    Reader    any valid key (viewer, operator, admin)
    Operator  operator or admin: work alerts, force / release switches, import, ship
    Admin     admin: catalogues, rules, keys, system-wide jobs (sweep)

No key, or an unknown or revoked one: 401. A role that may not: 403. The tenant always
comes from the key, never from the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tradelane.bootstrap import Application
from tradelane.domain.access import Action, Principal
from tradelane.domain.errors import Unauthorized

__all__ = ["Admin", "Caller", "Operator", "Reader", "System", "bearer"]

bearer = HTTPBearer(auto_error=False, description="An API key: tl_test_... or tl_live_...")


def _system(request: Request) -> Application:
    system: Application = request.app.state.system
    return system


System = Annotated[Application, Depends(_system)]


def _caller(
    system: System,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("send an API key as 'Authorization: Bearer KEY'")
    return system.authenticate(credentials.credentials.strip())


Caller = Annotated[Principal, Depends(_caller)]


def _bound(action: Action):  # type: ignore[no-untyped-def]
    def bound(system: System, caller: Caller) -> Application:
        caller.require(action)
        return system.for_tenant(caller.tenant_id)

    return bound


Reader = Annotated[Application, Depends(_bound(Action.READ))]
Operator = Annotated[Application, Depends(_bound(Action.OPERATE))]
Admin = Annotated[Application, Depends(_bound(Action.ADMINISTER))]
