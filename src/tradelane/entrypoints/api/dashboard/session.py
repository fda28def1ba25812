"""Dashboard sessions: log in with an API key, carry it in an HttpOnly, SameSite=Strict
cookie, and guard every form with a CSRF token derived from the session.

The cookie holds the key itself, so revoking the key ends every session at once (it is
authenticated again on each request, like the API's Bearer header). The CSRF token is an
HMAC of the key: a form posted from another site cannot know it, and SameSite=Strict keeps
the cookie off cross-site requests in the first place.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from fastapi.responses import Response

from tradelane.bootstrap import Application
from tradelane.domain.access import Action, Principal
from tradelane.domain.errors import Forbidden, Unauthorized

__all__ = [
    "SESSION_COOKIE",
    "check_form",
    "csrf_token",
    "end_session",
    "session_caller",
    "start_session",
]

SESSION_COOKIE = "tradelane_session"
SESSION_SECONDS = 8 * 3600  # one working day


def csrf_token(key: str) -> str:
    return hmac.new(key.encode("utf-8"), b"tradelane-csrf", hashlib.sha256).hexdigest()


def start_session(response: Response, key: str, *, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        key,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def session_caller(request: Request, system: Application) -> tuple[Principal, str]:
    """The logged-in caller and its session key; Unauthorized without a valid session."""
    key = request.cookies.get(SESSION_COOKIE)
    if not key:
        raise Unauthorized("log in with an API key")
    return system.authenticate(key), key


def check_form(key: str, token: str, caller: Principal, action: Action) -> None:
    """Forbidden when the form's CSRF token is not this session's or the role may not act."""
    if not hmac.compare_digest(csrf_token(key), token):
        raise Forbidden("the form's CSRF token does not match this session; reload the page")
    caller.require(action)
