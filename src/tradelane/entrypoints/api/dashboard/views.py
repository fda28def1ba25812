"""The dashboard: server-rendered pages behind the same API keys (login -> session cookie),
a live fragment the page re-fetches every few seconds, and CSRF-guarded forms that
acknowledge alerts and force or release switches. No front-end build step: Jinja2
templates, a few lines of plain JavaScript, Plotly served from its Python package."""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import plotly
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FunctionLoader, select_autoescape

from tradelane.bootstrap import Application
from tradelane.domain.access import Action, Principal
from tradelane.domain.errors import NotFound, TradelaneError, Unauthorized, ValidationError
from tradelane.entrypoints.api.dashboard.board import gather_board, latest_report
from tradelane.entrypoints.api.dashboard.session import (
    check_form,
    csrf_token,
    end_session,
    session_caller,
    start_session,
)
from tradelane.entrypoints.api.deps import System
from tradelane.entrypoints.api.schemas import RowId
from tradelane.services.switch_overrides import ManualSwitch
from tradelane.switching.states import SwitchKind

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _shown(value: float | None, spec: str) -> str:
    """A figure in `spec`'s format; "-" when there is none (or it is not finite)."""
    return "-" if value is None or not math.isfinite(value) else format(value, spec)


def _pct(value: float | None) -> str:
    return _shown(value, ".1%")


def _signed(value: float | None) -> str:
    return _shown(value, "+.1%")


def _num(value: float | None, digits: int = 2) -> str:
    return _shown(value, f",.{digits}f")


def _template_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text("utf-8")


_env = Environment(
    loader=FunctionLoader(_template_text), autoescape=select_autoescape(default=True)
)
_env.globals.update(pct=_pct, signed=_signed, num=_num, zip=zip)
REFRESH_SECONDS = 3
MAX_FORM_BYTES = 16 * 1024


def _render(name: str, **values: Any) -> str:
    return str(_env.get_template(name).render(**values))


def _to(path: str, notice: str = "") -> RedirectResponse:
    target = f"{path}?notice={quote(notice[:300])}" if notice else path
    return RedirectResponse(target, status_code=303)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise ValidationError("form too large", field="body", value=len(body))
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


@router.get("/login", response_class=HTMLResponse)
def login_page(notice: str = "") -> str:
    return _render("login.html", notice=notice)


@router.post("/login")
async def login(request: Request, system: System) -> Response:
    key = (await _form(request)).get("key", "").strip()
    try:
        system.authenticate(key)
    except Unauthorized as exc:
        return HTMLResponse(_render("login.html", notice=str(exc)), status_code=401)
    answer = _to("/")
    start_session(answer, key, secure=request.url.scheme == "https")
    return answer


@router.post("/logout")
async def logout(request: Request, system: System) -> Response:
    await _acting(request, system, Action.READ)
    answer = _to("/login")
    end_session(answer)
    return answer


def _page_values(app: Application, caller: Principal, key: str, tracking: str) -> dict[str, Any]:
    return {
        "board": gather_board(app, tracking_number=tracking.strip()),
        "caller": caller,
        "csrf": csrf_token(key),
        "can_operate": caller.role.allows(Action.OPERATE),
        "refresh_seconds": REFRESH_SECONDS,
    }


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, system: System, tracking: str = "", notice: str = "") -> Response:
    try:
        caller, key = session_caller(request, system)
    except Unauthorized as exc:
        return _to("/login", str(exc))
    app = system.for_tenant(caller.tenant_id)
    values = _page_values(app, caller, key, tracking)
    return HTMLResponse(_render("page.html", notice=notice, tracking=tracking, **values))


@router.get("/dashboard/live", response_class=HTMLResponse)
def live(request: Request, system: System, tracking: str = "") -> str:
    """The board, alert queue and switches alone: what the page re-fetches."""
    caller, key = session_caller(request, system)
    app = system.for_tenant(caller.tenant_id)
    return _render("live.html", **_page_values(app, caller, key, tracking))


async def _acting(
    request: Request, system: System, action: Action
) -> tuple[Application, Principal, dict[str, str]]:
    caller, key = session_caller(request, system)
    form = await _form(request)
    check_form(key, form.get("csrf", ""), caller, action)
    return system.for_tenant(caller.tenant_id), caller, form


@router.post("/dashboard/alerts/{alert_id}/acknowledge")
async def acknowledge(alert_id: RowId, request: Request, system: System) -> Response:
    app, _, _ = await _acting(request, system, Action.OPERATE)
    if not app.owns_alert(alert_id):
        raise NotFound("alert", alert_id)
    try:
        app.acknowledge_alert(alert_id)
    except TradelaneError as exc:
        return _to("/", str(exc))
    return _to("/", f"alert {alert_id} acknowledged")


@router.post("/dashboard/switches")
async def force(request: Request, system: System) -> Response:
    app, caller, form = await _acting(request, system, Action.OPERATE)
    try:
        share = float(form.get("share") or 1.0)
        record = app.force_switch(
            ManualSwitch(
                channel_id=form.get("channel_id", ""),
                country=form.get("country") or None,
                share=share,
                backup_channel_id=form.get("backup_channel_id") or None,
                reason=form.get("reason", "") or "forced from the dashboard",
                actor=f"key:{caller.key_id}",
                kind=SwitchKind.PINNED if form.get("pinned") else SwitchKind.FORCED,
            )
        )
    except (TradelaneError, ValueError) as exc:
        return _to("/", str(exc))
    return _to("/", f"switch #{record.switch_id} opened")


@router.post("/dashboard/switches/{switch_id}/release")
async def release(switch_id: RowId, request: Request, system: System) -> Response:
    app, caller, form = await _acting(request, system, Action.OPERATE)
    if not app.owns_switch(switch_id):
        raise NotFound("switch", switch_id)
    try:
        app.release_switch(switch_id, actor=f"key:{caller.key_id}", reason=form.get("reason", ""))
    except TradelaneError as exc:
        return _to("/", str(exc))
    return _to("/", f"switch #{switch_id} released")


@router.get("/dashboard/report", response_class=HTMLResponse)
def report(request: Request, system: System) -> Response:
    """The latest simulation report (`tradelane simulate`), as written."""
    session_caller(request, system)
    found = latest_report(system)
    if found is None:
        raise NotFound("simulation report", "latest (run `tradelane simulate`)")
    return FileResponse(found, media_type="text/html")


@router.get("/dashboard/plotly.min.js")
def plotly_js() -> FileResponse:
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return FileResponse(
        bundled, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
    )
