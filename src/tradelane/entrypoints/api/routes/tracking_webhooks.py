"""Inbound tracking webhooks: POST /webhooks/tracking/{aftership,17track,generic}.

    raw body, read up to MAX_WEBHOOK_BYTES (413 beyond, unread) ─▶ signature over the raw
    bytes with any configured secret (401: bad signature, stale timestamp, no secret) ─▶
    parse with the source's tracking format (422 when it is not one) ─▶ group commit: the id
    claimed (a replay answers 200 `duplicate` and stores nothing), events stored ─▶ 200

Every outcome, refusals included, is counted in the store (GET /webhooks/tracking/counts).

The POST is the API's busiest route (a carrier's burst), so it is served by a plain ASGI
handler in front of the framework (`TrackingWebhookIntake`, installed as the outermost
middleware): no routing table, dependency solving or per-request middleware, the headers read
once into a dict. Everything else (the counts, unknown methods) goes on to the routes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from tradelane.bootstrap import Tradelane
from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.webhooks.signatures import Unauthenticated
from tradelane.carriers.webhooks.sources import SOURCES, WebhookSource
from tradelane.domain.errors import NotFound, TradelaneError, Unavailable, ValidationError
from tradelane.entrypoints.api.deps import Admin
from tradelane.entrypoints.api.problems import problem, problem_for
from tradelane.services.webhook_intake import QUEUED, Delivery, DeliveryResult

__all__ = ["MAX_WEBHOOK_BYTES", "PREFIX", "TrackingWebhookIntake", "router"]

PREFIX = "/webhooks/tracking"
router = APIRouter(prefix=PREFIX, tags=["tracking webhooks"])
# One carrier push is a few KB (the largest shared sample is under 30 KB); 1 MiB is generous.
MAX_WEBHOOK_BYTES = 1024 * 1024


class TooLarge(Exception):
    pass


class IntakeCount(BaseModel):
    source: str
    outcome: str
    count: int
    last_at: datetime


@router.get("/counts", response_model=list[IntakeCount])
def get_counts(app: Admin) -> list[IntakeCount]:
    """How many inbound webhooks ended in each outcome, per source."""
    return [
        IntakeCount(source=s, outcome=o, count=n, last_at=at)
        for s, o, n, at in app.tracking_intake_counts()
    ]


class Rejected(BaseModel):
    where: str
    field: str
    message: str


class WebhookOut(BaseModel):
    outcome: str
    events: int
    rejected: list[Rejected] = []


@router.post(
    "/{source}",
    response_model=WebhookOut,
    responses={202: {"model": WebhookOut, "description": "queued for a worker"}},
)
def post_tracking_webhook(source: str) -> WebhookOut:
    """Verify, parse and store one signed tracking webhook (see the module docstring).

    Declared here for the OpenAPI schema only: TrackingWebhookIntake answers every POST to
    this path before routing, so this function is never called."""
    raise NotFound("webhook source", source)


class TrackingWebhookIntake:
    """ASGI middleware answering POST {PREFIX}/{source} itself (see the module docstring);
    the app's state must hold `system` and `webhook_commits` (set by its lifespan)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        source = _webhook_source(scope)
        if source is None:
            await self.app(scope, receive, send)
            return
        response = await _answer(source, scope, receive)
        await response(scope, receive, send)


def _webhook_source(scope: Scope) -> str | None:
    """The {source} of a POST to the webhook prefix, None for any other request."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    head, _, source = path.rpartition("/")
    return source if head == PREFIX and source else None


async def _answer(source: str, scope: Scope, receive: Receive) -> JSONResponse:
    if source not in SOURCES:
        return problem(404, "Not found", str(NotFound("webhook source", source)))
    state = scope["app"].state
    delivery, refusal = await _authenticated(SOURCES[source], scope, receive, state.system)
    try:
        result: DeliveryResult = await state.webhook_commits.submit(delivery)
    except Unavailable as exc:  # the store or the task queue: the sender retries later
        return problem(503, "Service unavailable", str(exc))
    except TradelaneError as exc:
        return problem_for(exc)
    if refusal is not None:
        return refusal
    body: dict[str, Any] = {"outcome": result.outcome, "events": result.events}
    if result.rejected:
        body["rejected"] = [_entry(e) for e in result.rejected]
    # queued: a worker stores it (TRADELANE_BROKER_URL)
    return JSONResponse(body, status_code=202 if result.outcome == QUEUED else 200)


async def _authenticated(
    spec: WebhookSource, scope: Scope, receive: Receive, system: Tradelane
) -> tuple[Delivery, JSONResponse | None]:
    """The delivery to submit, and the refusal to answer (None when accepted)."""
    headers = _headers(scope)
    try:
        raw = await read_capped(headers, receive, MAX_WEBHOOK_BYTES)
    except TooLarge:
        detail = f"webhook body larger than {MAX_WEBHOOK_BYTES} bytes"
        return Delivery(spec.name, "too_large"), problem(413, "Payload too large", detail)
    secrets = system.settings.webhook_secrets(spec.secret_setting)
    now_s = int(system.clock.now().timestamp())
    try:
        message_id = spec.authenticate(raw, headers, secrets, now_s)
    except Unauthenticated as exc:
        return Delivery(spec.name, exc.outcome), problem(401, "Unauthorized", str(exc))
    try:
        parsed = parse_tracking(raw, format=spec.format, where=f"webhook {spec.name}")
    except ValidationError as exc:
        refusal = problem(422, "Invalid input", str(exc), errors=[_entry(exc)])
        return Delivery(spec.name, "malformed"), refusal
    return Delivery(spec.name, message_id=message_id, parsed=parsed, body=raw), None


def _headers(scope: Scope) -> dict[str, str]:
    """Request headers by lower-case name; of a repeated header, the first."""
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers


async def read_capped(headers: Mapping[str, str], receive: Receive, limit: int) -> bytes:
    """The raw body; TooLarge as soon as it passes `limit` bytes (declared or streamed)."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: what arrived fails its signature
        body += message.get("body", b"")
        if len(body) > limit:
            raise TooLarge
        more = message.get("more_body", False)
    return bytes(body)


def _entry(error: ValidationError) -> dict[str, Any]:
    return {"where": error.where, "field": error.field, "message": error.message}
