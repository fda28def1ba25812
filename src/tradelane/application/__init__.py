"""The application core: the use cases bound to one process's infrastructure.

    bootstrap.open_application() ─▶ Application
        install_catalogue · import_orders · assign · quote · ship · record_handoffs ·
        ingest_tracking · poll_tracking · import_history · train_eta · plan_inventory ·
        sweep · evaluate_switching · deliver_outbox · acknowledge/resolve alerts ·
        force/release switches · order/alert/switch pages · ownership checks ·
        idempotent answers · tick leases
        tick = sweep ─▶ evaluate switching ─▶ deliver outbox

The CLI, the API and the scheduler call these methods and never wire services themselves:
the webhook destinations, the re-assigner, the monitoring and switching rules and the FX
table are chosen here once. Every method takes an explicit `now` (None: the clock's time).

One module per group of use cases, each on application/base.py (the fields and the choices
they share): orders.py (import, assign, ship, ingest tracking), operations.py (sweep,
switching, delivery, tick and its leases, the desk's actions on alerts and switches),
access.py (API keys), optimization.py (scorecards, A/B tests, allocation ratios),
forecasting.py (history import, ETA models, the inventory plan), queries.py (the tenant's
pages of orders, alerts and switches, and whether a row is the tenant's), idempotency.py
(the answers recorded for idempotency keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from tradelane.application.access import AccessUseCases
from tradelane.application.forecasting import ForecastingUseCases
from tradelane.application.idempotency import IdempotencyUseCases
from tradelane.application.operations import MAX_DELIVERY_BATCHES, OperationsUseCases, TickReport
from tradelane.application.optimization import OptimizationUseCases
from tradelane.application.orders import OrderUseCases
from tradelane.application.queries import QueryUseCases

__all__ = ["MAX_DELIVERY_BATCHES", "Application", "TickReport"]


@dataclass
class Application(
    AccessUseCases,
    OrderUseCases,
    OperationsUseCases,
    OptimizationUseCases,
    ForecastingUseCases,
    QueryUseCases,
    IdempotencyUseCases,
):
    """Tradelane's infrastructure plus its use cases (application/base.py holds the fields)."""
