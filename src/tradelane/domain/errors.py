"""The one exception family of tradelane.

    TradelaneError
     ├── ValidationError      bad input; names where (file, row/path), field and value
     │    └── InputErrors     several ValidationErrors collected from one input
     │         └── AlreadyStored  ... each of them an id already stored (also a Conflict)
     ├── NotFound             a referenced thing does not exist
     ├── Conflict             the request clashes with what is stored (duplicate id, ...)
     ├── Unauthorized         no API key, or one that is unknown or revoked (HTTP 401)
     ├── Forbidden            the key's role may not do this (HTTP 403)
     └── Unavailable          a service tradelane needs (the database) cannot be reached

Entrypoints map them: the CLI prints them and exits 2, the API answers RFC 9457 problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AlreadyStored",
    "Conflict",
    "Forbidden",
    "InputErrors",
    "NotFound",
    "TradelaneError",
    "Unauthorized",
    "Unavailable",
    "ValidationError",
]


class TradelaneError(Exception):
    """Base of every error tradelane raises on purpose."""


class ValidationError(TradelaneError):
    """One bad value: `where` is a file/row/path locator, `field` the field name."""

    def __init__(
        self, message: str, *, field: str = "", value: Any = None, where: str = ""
    ) -> None:
        self.message = message
        self.field = field
        self.value = value
        self.where = where
        super().__init__(self.describe())

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        parts = [p for p in (self.where, self.field and f"field '{self.field}'") if p]
        location = ", ".join(parts)
        shown = "" if self.value is None else f" (value: {self.value!r})"
        return f"{location}: {self.message}{shown}" if location else f"{self.message}{shown}"

    def located(self, where: str) -> ValidationError:
        """The same error with `where` prefixed, e.g. the file name."""
        joined = f"{where}, {self.where}" if self.where else where
        return ValidationError(self.message, field=self.field, value=self.value, where=joined)


class InputErrors(ValidationError):
    """Every problem found in one input; nothing of that input was stored."""

    def __init__(self, source: str, errors: Sequence[ValidationError]) -> None:
        self.source = source
        self.errors = list(errors)
        shown = "; ".join(e.describe() for e in self.errors[:3])
        more = f" (+{len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
        super().__init__(f"{len(self.errors)} invalid entries: {shown}{more}", where=source)


class NotFound(TradelaneError):
    """A referenced object (order, channel, shipment, ...) does not exist."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class Conflict(TradelaneError):
    """The request clashes with stored state, e.g. an order id already imported."""


class AlreadyStored(InputErrors, Conflict):
    """The only problems of an input are ids already stored (a replay): listed per entry."""


class Unavailable(TradelaneError):
    """A service tradelane depends on (the database) cannot be reached; nothing was done."""


class Unauthorized(TradelaneError):
    """The request names no usable API key (missing, malformed, unknown or revoked)."""


class Forbidden(TradelaneError):
    """The key is valid but its role does not allow the action."""
