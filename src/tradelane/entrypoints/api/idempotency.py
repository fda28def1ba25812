"""`Idempotency-Key` on POST: the same key and body answer the first answer again, without
doing the work twice; the same key with another body is a 409.

The answer is recorded in the transaction of the work it answers, so the work and its key
are stored together or not at all. Two requests with the same new key at once both do the
work; the second to commit meets the all-or-nothing import's own refusal (or the key's),
never a second copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse

from tradelane.bootstrap import Application
from tradelane.domain.errors import Conflict, ValidationError
from tradelane.store.idempotency_repository import StoredAnswer

__all__ = ["MAX_KEY_LENGTH", "Stored", "idempotent"]

MAX_KEY_LENGTH = 200
Stored = tuple[str, Callable[[Any], StoredAnswer]]  # the key, and its answer as stored


def idempotent(
    app: Application,
    key: str | None,
    body: bytes,
    work: Callable[[Stored | None], Any],
    *,
    status_code: int,
) -> JSONResponse:
    """Run `work` once per (tenant, key); answer what it returns (JSON-ready). Given a key,
    `work` is handed the key and how to store its answer: it records `(key, stored(answer))`
    in its own transaction."""
    if key is None:
        return JSONResponse(work(None), status_code=status_code)
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
    answer = work((key, lambda response: StoredAnswer(digest, status_code, response)))
    return JSONResponse(answer, status_code=status_code)
