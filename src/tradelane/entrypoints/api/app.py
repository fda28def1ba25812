"""The FastAPI application factory. Stateless: every process builds its own Tradelane."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI

from tradelane import __version__
from tradelane.bootstrap import Tradelane, build
from tradelane.entrypoints.api.body_limit import BodySizeLimit
from tradelane.entrypoints.api.dashboard.views import router as dashboard_router
from tradelane.entrypoints.api.group_commit import GroupCommit
from tradelane.entrypoints.api.problems import install_problem_handlers
from tradelane.entrypoints.api.routes.assignments import router as assignments_router
from tradelane.entrypoints.api.routes.channels import router as channels_router
from tradelane.entrypoints.api.routes.monitoring import router as monitoring_router
from tradelane.entrypoints.api.routes.order_imports import router as order_imports_router
from tradelane.entrypoints.api.routes.orders import router as orders_router
from tradelane.entrypoints.api.routes.scorecards import router as scorecards_router
from tradelane.entrypoints.api.routes.shipments import router as shipments_router
from tradelane.entrypoints.api.routes.shipping import router as shipping_router
from tradelane.entrypoints.api.routes.tracking_webhooks import router as tracking_webhooks_router
from tradelane.services.webhook_intake import Delivery, DeliveryResult, receive_deliveries

__all__ = ["create_app"]


def create_app(system: Tradelane | None = None) -> FastAPI:
    """An app bound to `system` (built from the environment when None); migrates on start."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.system = system or build()
        app.state.system.migrate()
        app.state.webhook_commits = _webhook_commits(app.state.system)
        yield
        app.state.system.engine.dispose()

    app = FastAPI(title="tradelane", version=__version__, lifespan=lifespan)
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.include_router(tracking_webhooks_router)  # first: the busiest route matches soonest
    app.include_router(channels_router)
    app.include_router(order_imports_router)
    app.include_router(orders_router)
    app.include_router(assignments_router)
    app.include_router(shipments_router)
    app.include_router(shipping_router)
    app.include_router(monitoring_router)
    app.include_router(scorecards_router)
    app.include_router(dashboard_router)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app


def _webhook_commits(system: Tradelane) -> GroupCommit[Delivery, DeliveryResult]:
    """Inbound webhooks committed together, up to TRADELANE_WEBHOOK_BATCH per transaction."""

    def write(batch: Sequence[Delivery]) -> list[DeliveryResult]:
        return receive_deliveries(batch, uow=system.uow(), now=system.clock.now())

    return GroupCommit(write, max_batch=system.settings.webhook_batch)
