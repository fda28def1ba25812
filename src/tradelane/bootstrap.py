"""The composition root: builds the application (engine, unit of work, clock, carrier
bookings and the use cases bound on them) from Settings. No I/O at import.

A database URL that cannot be used, or a database that cannot be reached, is a one-line
tradelane error naming the URL with its password hidden, never a driver traceback.
"""

from __future__ import annotations

from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from tradelane.application import Application
from tradelane.carriers.booking.transport import HttpxTransport, Transport
from tradelane.clock import Clock, SystemClock
from tradelane.config import Settings, redact_url
from tradelane.domain.errors import ValidationError
from tradelane.infrastructure import Tradelane
from tradelane.store.engine import make_engine

__all__ = ["Application", "Tradelane", "build", "open_application"]


def build(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    transport: Transport | None = None,
) -> Application:
    """The application over the configured database (not migrated: see open_application)."""
    settings = settings or Settings()
    url = settings.resolved_database_url
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        reason = str(exc).replace(url, redact_url(url)).splitlines()[0]
        raise ValidationError(
            f"is not a usable database URL ({reason})", field="TRADELANE_DATABASE_URL"
        ) from None
    return Application(
        settings=settings,
        engine=engine,
        clock=clock or SystemClock(),
        transport=transport or HttpxTransport(),
    )


def open_application(settings: Settings | None = None) -> Application:
    """The configured application with its database created or upgraded: what every
    entrypoint (CLI command, API process, scheduler) starts from."""
    application = build(settings)
    application.migrate()
    return application
