"""Unit of work: one transaction; repositories share its connection; only it commits.

with uow:                      # opens a connection and a transaction
    uow.orders.add_many(...)
    uow.commit()               # leaving without commit rolls everything back

A concurrency error of the database (see store/conflicts.py) leaves as a Conflict. While
open, the unit of work's tenant stamps every row it inserts (store/tenancy.py).
"""

from __future__ import annotations

from contextvars import Token
from types import TracebackType

from sqlalchemy import Connection, Engine

from tradelane.store.active_shipments import ActiveShipments
from tradelane.store.advisory_repository import AdvisoryRepository
from tradelane.store.alert_repository import AlertRepository
from tradelane.store.allocation_repository import AllocationRepository
from tradelane.store.assignment_repository import (
    AssignmentRepository,
    InventoryRepository,
    NetworkStateRepository,
)
from tradelane.store.conflicts import conflict_of
from tradelane.store.demand_repository import DemandRepository
from tradelane.store.endpoint_repository import EndpointRepository
from tradelane.store.event_retention import EventRetention
from tradelane.store.experiment_repository import ExperimentRepository
from tradelane.store.handoff_repository import HandOffRepository
from tradelane.store.history_repository import HistoryRepository
from tradelane.store.idempotency_repository import IdempotencyRepository
from tradelane.store.key_repository import ApiKeyRepository
from tradelane.store.notice_repository import CustomerNotices
from tradelane.store.outbox_repository import OutboxRepository
from tradelane.store.parcels import LaneParcels, Reassignments
from tradelane.store.repositories import CatalogueRepository, OrderRepository
from tradelane.store.subscription_repository import SubscriptionRepository
from tradelane.store.switching import ChannelStateRepository, SwitchRepository
from tradelane.store.tenancy import CURRENT_TENANT, DEFAULT_TENANT
from tradelane.store.tenant_views import TenantViews
from tradelane.store.tick_leases import TickLeases
from tradelane.store.tracking_repository import TrackingRepository
from tradelane.store.webhook_intake_repository import WebhookIntakeRepository

__all__ = ["UnitOfWork"]


class UnitOfWork:
    connection: Connection
    catalogues: CatalogueRepository
    orders: OrderRepository
    assignments: AssignmentRepository
    inventory: InventoryRepository
    network: NetworkStateRepository
    tracking: TrackingRepository
    event_retention: EventRetention
    handoffs: HandOffRepository
    alerts: AlertRepository
    outbox: OutboxRepository
    notices: CustomerNotices
    endpoints: EndpointRepository
    subscriptions: SubscriptionRepository
    webhook_intake: WebhookIntakeRepository
    active_shipments: ActiveShipments
    channel_states: ChannelStateRepository
    switches: SwitchRepository
    lane_parcels: LaneParcels
    reassignments: Reassignments
    demand: DemandRepository
    history: HistoryRepository
    experiments: ExperimentRepository
    keys: ApiKeyRepository
    views: TenantViews
    idempotency: IdempotencyRepository
    tick_leases: TickLeases
    allocations: AllocationRepository
    advisories: AdvisoryRepository

    def __init__(self, engine: Engine, *, tenant: str = DEFAULT_TENANT) -> None:
        self.engine = engine
        self.tenant = tenant
        self._open = False
        self._tenant_token: Token[str] | None = None

    def __enter__(self) -> UnitOfWork:
        if self._open:
            raise RuntimeError("unit of work already open")
        self.connection = self.engine.connect()
        self.connection.begin()
        self.catalogues = CatalogueRepository(self.connection)
        self.orders = OrderRepository(self.connection)
        self.assignments = AssignmentRepository(self.connection)
        self.inventory = InventoryRepository(self.connection)
        self.network = NetworkStateRepository(self.connection)
        self.tracking = TrackingRepository(self.connection)
        self.event_retention = EventRetention(self.connection)
        self.handoffs = HandOffRepository(self.connection)
        self.alerts = AlertRepository(self.connection)
        self.outbox = OutboxRepository(self.connection)
        self.notices = CustomerNotices(self.connection)
        self.endpoints = EndpointRepository(self.connection)
        self.subscriptions = SubscriptionRepository(self.connection)
        self.webhook_intake = WebhookIntakeRepository(self.connection)
        self.active_shipments = ActiveShipments(self.connection)
        self.channel_states = ChannelStateRepository(self.connection)
        self.switches = SwitchRepository(self.connection)
        self.lane_parcels = LaneParcels(self.connection)
        self.reassignments = Reassignments(self.connection)
        self.demand = DemandRepository(self.connection)
        self.history = HistoryRepository(self.connection)
        self.experiments = ExperimentRepository(self.connection)
        self.keys = ApiKeyRepository(self.connection)
        self.views = TenantViews(self.connection)
        self.idempotency = IdempotencyRepository(self.connection)
        self._tenant_token = CURRENT_TENANT.set(self.tenant)
        self.tick_leases = TickLeases(self.connection)
        self.allocations = AllocationRepository(self.connection)
        self.advisories = AdvisoryRepository(self.connection)
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self.connection.in_transaction():
                self.connection.rollback()
        finally:
            self.connection.close()
            self._open = False
            if self._tenant_token is not None:
                CURRENT_TENANT.reset(self._tenant_token)
                self._tenant_token = None
        conflict = conflict_of(exc)
        if conflict is not None:
            raise conflict from None

    def commit(self) -> None:
        self.connection.commit()
        self.connection.begin()

    def rollback(self) -> None:
        self.connection.rollback()
        self.connection.begin()
