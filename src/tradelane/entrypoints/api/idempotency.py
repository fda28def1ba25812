"""`Idempotency-Key` on POST: the same key and body answer the first answer again, without
doing the work twice; the same key with another body is a 409.

The answer is remembered after the work committed, in its own transaction: a crash between
the two leaves the work done and the key unknown, and a retry then meets the all-or-nothing
import's own replay refusal (409 naming each id already stored), never a second copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse

from tradelane.bootstrap import Application
from tradelane.domain.errors import Conflict, ValidationError
from tradelane.store.idempotency_repository import StoredAnswer

__all__ = ["MAX_KEY_LENGTH", "idempotent"]

MAX_KEY_LENGTH = 200


def idempotent(
    app: Application,
    key: str | None,
    body: bytes,
    work: Callable[[], Any],
    *,
    status_code: int,
) -> JSONResponse:
    """Run `work` (its result is JSON-ready) once per (tenant, key); answer it."""
    if key is None:
        return JSONResponse(work(), status_code=status_code)
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise ValidationError(
            f"1 to {MAX_KEY_LENGTH} characters", field="Idempotency-Key", value=key[:40]
        )
    digest = hashlib.sha256(body).hexdigest()
    known = app.recorded_answer(key)
    if known is not None:
        if known.request_sha256 != digest:
            raise Conflict(f"Idempotency-Key {key!r} was used with another body")
        replay = JSONResponse(known.response, status_code=known.status_code)
        replay.headers["Idempotent-Replayed"] = "true"
        return replay
    answer = work()
    app.record_answer(key, StoredAnswer(digest, status_code, answer))
    return JSONResponse(answer, status_code=status_code)
