"""The FastAPI application factory. Stateless: every process builds its own Tradelane."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from tradelane import __version__
from tradelane.bootstrap import Tradelane, build
from tradelane.entrypoints.api.body_limit import BodySizeLimit
from tradelane.entrypoints.api.dashboard.views import router as dashboard_router
from tradelane.entrypoints.api.problems import install_problem_handlers
from tradelane.entrypoints.api.routes.channels import router as channels_router
from tradelane.entrypoints.api.routes.orders import router as orders_router

__all__ = ["create_app"]


def create_app(system: Tradelane | None = None) -> FastAPI:
    """An app bound to `system` (built from the environment when None); migrates on start."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.system = system or build()
        app.state.system.migrate()
        yield
        app.state.system.engine.dispose()

    app = FastAPI(title="tradelane", version=__version__, lifespan=lifespan)
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.include_router(channels_router)
    app.include_router(orders_router)
    app.include_router(dashboard_router)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
