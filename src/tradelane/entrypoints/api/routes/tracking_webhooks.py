"""Inbound tracking webhooks: POST /webhooks/tracking/{aftership,17track,generic}.

    raw body, read up to MAX_WEBHOOK_BYTES (413 beyond, unread) ─▶ signature over the raw
    bytes with any configured secret (401: bad signature, stale timestamp, no secret) ─▶
    parse with the source's tracking format (422 when it is not one) ─▶ group commit: the id
    claimed (a replay answers 200 `duplicate` and stores nothing), events stored ─▶ 200

Every outcome, refusals included, is counted in the store (GET /webhooks/tracking/counts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tradelane.bootstrap import Tradelane
from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.webhooks.signatures import Unauthenticated
from tradelane.carriers.webhooks.sources import SOURCES, WebhookSource
from tradelane.domain.errors import NotFound, ValidationError
from tradelane.entrypoints.api.deps import Admin
from tradelane.entrypoints.api.problems import problem
from tradelane.services.webhook_intake import Delivery, DeliveryResult, intake_counts

router = APIRouter(prefix="/webhooks/tracking", tags=["tracking webhooks"])
# One carrier push is a few KB (the largest shared sample is under 30 KB); 1 MiB is generous.
MAX_WEBHOOK_BYTES = 1024 * 1024


class TooLarge(Exception):
    pass


async def read_capped(request: Request, limit: int) -> bytes:
    """The raw body; TooLarge as soon as it passes `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


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
        for s, o, n, at in intake_counts(uow=app.uow())
    ]


class Rejected(BaseModel):
    where: str
    field: str
    message: str


class WebhookOut(BaseModel):
    outcome: str
    events: int
    rejected: list[Rejected] = []


@router.post("/{source}", response_model=WebhookOut)
async def post_tracking_webhook(source: str, request: Request) -> JSONResponse:
    """Verify, parse and store one signed tracking webhook (see the module docstring)."""
    if source not in SOURCES:
        raise NotFound("webhook source", source)
    spec = SOURCES[source]
    system: Tradelane = request.app.state.system  # no dependency: the hottest route
    delivery, refusal = await _authenticated(spec, request, system)
    result: DeliveryResult = await request.app.state.webhook_commits.submit(delivery)
    if refusal is not None:
        return refusal
    body: dict[str, Any] = {"outcome": result.outcome, "events": result.events}
    if result.rejected:
        body["rejected"] = [
            {"where": e.where, "field": e.field, "message": e.message} for e in result.rejected
        ]
    return JSONResponse(body)


async def _authenticated(
    spec: WebhookSource, request: Request, system: Tradelane
) -> tuple[Delivery, JSONResponse | None]:
    """The delivery to submit, and the refusal to answer (None when accepted)."""
    try:
        raw = await read_capped(request, MAX_WEBHOOK_BYTES)
    except TooLarge:
        detail = f"webhook body larger than {MAX_WEBHOOK_BYTES} bytes"
        return Delivery(spec.name, "too_large"), problem(413, "Payload too large", detail)
    secrets = system.settings.webhook_secrets(spec.secret_setting)
    now_s = int(system.clock.now().timestamp())
    try:
        message_id = spec.authenticate(raw, request.headers, secrets, now_s)
    except Unauthenticated as exc:
        return Delivery(spec.name, exc.outcome), problem(401, "Unauthorized", str(exc))
    try:
        parsed = parse_tracking(raw, format=spec.format, where=f"webhook {spec.name}")
    except ValidationError as exc:
        refusal = problem(422, "Invalid input", str(exc), errors=[_entry(exc)])
        return Delivery(spec.name, "malformed"), refusal
    return Delivery(spec.name, message_id=message_id, parsed=parsed), None


def _entry(error: ValidationError) -> dict[str, Any]:
    return {"where": error.where, "field": error.field, "message": error.message}
