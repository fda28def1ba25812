"""Map the tradelane error family to RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tradelane.domain.errors import (
    AlreadyStored,
    Conflict,
    Forbidden,
    InputErrors,
    NotFound,
    TradelaneError,
    Unauthorized,
    ValidationError,
)
from tradelane.files.errors import format_loc

__all__ = [
    "MAX_BODY_BYTES",
    "PayloadTooLarge",
    "install_problem_handlers",
    "problem",
    "problem_for",
    "too_large",
]

MEDIA_TYPE = "application/problem+json"
MAX_BODY_BYTES = 16 * 1024 * 1024


class PayloadTooLarge(ValidationError):
    """A body over MAX_BODY_BYTES: `field` is content-length (declared) or body (streamed)."""

    def __init__(self, size: int, *, field: str = "content-length") -> None:
        super().__init__(
            f"body larger than {MAX_BODY_BYTES} bytes; send smaller batches",
            field=field,
            value=size,
        )


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": f"/problems/{title.lower().replace(' ', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _error_entry(error: ValidationError) -> dict[str, Any]:
    value = error.value if isinstance(error.value, str | int | float | None) else str(error.value)
    return {"where": error.where, "field": error.field, "value": value, "message": error.message}


def too_large(exc: PayloadTooLarge) -> JSONResponse:
    return problem(413, "Payload too large", str(exc), errors=[_error_entry(exc)])


async def _on_error(_request: Request, exc: Exception) -> JSONResponse:
    return problem_for(exc)


def problem_for(exc: Exception) -> JSONResponse:
    """The problem details of one of tradelane's errors (400 for any other)."""
    if isinstance(exc, PayloadTooLarge):
        return too_large(exc)
    if isinstance(exc, AlreadyStored):
        return problem(409, "Conflict", str(exc), errors=[_error_entry(e) for e in exc.errors])
    if isinstance(exc, InputErrors):
        return problem(422, "Invalid input", str(exc), errors=[_error_entry(e) for e in exc.errors])
    if isinstance(exc, ValidationError):
        return problem(422, "Invalid input", str(exc), errors=[_error_entry(exc)])
    if isinstance(exc, Unauthorized):
        refusal = problem(401, "Unauthorized", str(exc))
        refusal.headers["WWW-Authenticate"] = "Bearer"
        return refusal
    if isinstance(exc, Forbidden):
        return problem(403, "Forbidden", str(exc))
    if isinstance(exc, NotFound):
        return problem(404, "Not found", str(exc))
    if isinstance(exc, Conflict):
        return problem(409, "Conflict", str(exc))
    return problem(400, "Bad request", str(exc))


async def _on_request_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "where": "body",
            "field": format_loc(list(e["loc"])[1:]),
            "value": None,
            "message": str(e["msg"]).removeprefix("Value error, "),
        }
        for e in exc.errors()
    ]
    return problem(422, "Invalid input", f"{len(errors)} invalid field(s)", errors=errors)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TradelaneError, _on_error)
    app.add_exception_handler(RequestValidationError, _on_request_validation)
