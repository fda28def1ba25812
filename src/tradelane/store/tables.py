"""Table definitions (SQLAlchemy Core). The Alembic migrations create exactly these;
a test compares them so the two never drift."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from tradelane.domain.advisories import ADVISORY_ID_MAX
from tradelane.domain.orders import (
    CITY_MAX,
    HS_CODE_MAX,
    MARKETPLACE_MAX,
    ORDER_ID_MAX,
    POSTCODE_MAX,
    SKU_MAX,
    SKUS_MAX,
)
from tradelane.monitoring.legs import LEGS
from tradelane.monitoring.rules import RULES
from tradelane.store.tenancy import TENANT_ID_MAX, stamp_tenant_columns, tenant_id_column
from tradelane.store.types import DecimalText, UTCDateTime

__all__ = [
    "advisories",
    "alerts",
    "allocation_ratios",
    "api_keys",
    "assignments",
    "catalogue_versions",
    "channel_states",
    "customer_notices",
    "experiments",
    "history_imports",
    "history_records",
    "idempotency_keys",
    "inventory",
    "metadata",
    "order_lines",
    "orders",
    "outbox",
    "reroutes",
    "shipment_watch_indexes",
    "shipments",
    "sweep_lanes",
    "switches",
    "tenants",
    "tick_leases",
    "tracking_events",
    "webhook_endpoints",
    "webhook_intake_counts",
    "webhook_receipts",
    "webhook_subscriptions",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrement needs INTEGER

catalogue_versions = Table(
    "catalogue_versions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("source", String(500), nullable=False),
    Column("document", JSON, nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False),
)

# An order id is the seller's own: unique within its tenant only. What refers to an order
# carries both (tenant_id, order_id), and the foreign keys say so.
orders = Table(
    "orders",
    metadata,
    tenant_id_column(),
    Column("order_id", String(ORDER_ID_MAX), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("marketplace", String(MARKETPLACE_MAX), nullable=False),
    Column("country", String(2), nullable=False),
    Column("postcode", String(POSTCODE_MAX)),
    Column("city", String(CITY_MAX)),
    Column("currency", String(3), nullable=False),
    Column("declared_value", DecimalText, nullable=False),
    Column("weight_kg", Float, nullable=False),
    Column("length_cm", Float),
    Column("width_cm", Float),
    Column("height_cm", Float),
    Column("goods_classes", String(200), nullable=False),
    Column("skus", String(SKUS_MAX), nullable=False),  # space-separated, for warehouse stock checks
    Column("urgency", String(16), nullable=False),
    Column("promised_days", SmallInteger, nullable=False),
    Column("status", String(16), nullable=False, server_default="new"),
    Column("imported_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "order_id"),
    Index(None, "status"),
    Index(None, "country"),
)


def _of_order() -> ForeignKeyConstraint:
    """A row that hangs from its tenant's order, deleted with it."""
    return ForeignKeyConstraint(
        ["tenant_id", "order_id"], ["orders.tenant_id", "orders.order_id"], ondelete="CASCADE"
    )


order_lines = Table(
    "order_lines",
    metadata,
    tenant_id_column(),
    Column("order_id", String(ORDER_ID_MAX), nullable=False),
    Column("line_no", SmallInteger, nullable=False),
    Column("sku", String(SKU_MAX), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_value", DecimalText, nullable=False),
    Column("unit_weight_kg", Float, nullable=False),
    Column("length_cm", Float),
    Column("width_cm", Float),
    Column("height_cm", Float),
    Column("hs_code", String(HS_CODE_MAX)),
    Column("goods_classes", String(200), nullable=False),
    PrimaryKeyConstraint("tenant_id", "order_id", "line_no"),
    _of_order(),
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    tenant_id_column(),
    Column("order_id", String(ORDER_ID_MAX), nullable=False),
    Column("primary_channel_id", String(64)),  # null: no eligible channel (reason says why)
    Column("backup_channel_ids", JSON, nullable=False),
    Column("cost_amount", DecimalText),
    Column("cost_currency", String(3)),
    Column("on_time_probability", Float),
    Column("score", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("policy_version", String(40), nullable=False),
    Column("catalogue_version_id", ID, ForeignKey("catalogue_versions.id")),
    Column("cause", String(20), nullable=False),  # initial, switch, manual
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("superseded_at", UTCDateTime),
    _of_order(),
    Index(None, "tenant_id", "order_id"),
    Index(
        "uq_assignments_current",
        "tenant_id",
        "order_id",
        unique=True,
        sqlite_where=text("superseded_at IS NULL"),
        postgresql_where=text("superseded_at IS NULL"),
    ),
    Index(None, "primary_channel_id"),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tracking_number", String(64), nullable=False, unique=True),
    Column("carrier", String(40), nullable=False),
    tenant_id_column(),  # its order's tenant (the default's while only tracking knows it)
    Column("order_id", String(64)),
    Column("channel_id", String(64)),
    Column("origin_country", String(2)),
    Column("destination_country", String(2)),
    Column("handed_over_at", UTCDateTime),
    Column("promised_at", UTCDateTime),
    Column("status", String(32), nullable=False, server_default="info_received"),
    Column("status_rank", SmallInteger, nullable=False, server_default="0"),
    Column("is_active", Boolean, nullable=False, server_default=text("true")),
    Column("last_event_at", UTCDateTime),
    Column("picked_up_at", UTCDateTime),
    Column("departed_origin_at", UTCDateTime),
    Column("arrived_destination_at", UTCDateTime),
    Column("customs_hold_at", UTCDateTime),
    Column("customs_cleared_at", UTCDateTime),
    Column("out_for_delivery_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("exception_at", UTCDateTime),
    Column("label_cost_amount", DecimalText),  # what the hand-off's label cost, if known
    Column("label_cost_currency", String(3)),
    Column("booked_via", String(40)),  # manual, karrio:<carrier>, register:<source>
    Column("voided_at", UTCDateTime),  # label replaced by a re-route (reroutes)
    Index(None, "is_active", "channel_id"),
    Index(None, "tenant_id", "order_id"),
)


# What else the sweep reads of a candidate: with these in the index, PostgreSQL answers from
# the index alone (index-only scan) wherever the visibility map allows.
WATCH_INCLUDES = ("id", "channel_id", "destination_country", "status_rank")


def _watch(rule: str, anchor: str, *terms: str) -> Index:
    """Partial index of the active shipments one deviation rule can catch, keyed by the rule's
    anchor time, so the sweep reads candidates instead of every shipment (monitoring/rules.py).
    The predicate repeats the rule's static terms exactly as the sweep's SQL writes them."""
    where = " AND ".join(terms)
    return Index(
        f"ix_shipments_watch_{rule}",
        shipments.c[anchor],
        sqlite_where=text(f"is_active = 1 AND {where}"),
        postgresql_where=text(f"is_active AND {where}"),
        postgresql_include=list(WATCH_INCLUDES),
    )


_NOT_ARRIVED = (
    "customs_hold_at IS NULL",
    "customs_cleared_at IS NULL",
    "out_for_delivery_at IS NULL",
    "delivered_at IS NULL",
)
shipment_watch_indexes = (
    _watch(
        "no_departure",
        "picked_up_at",
        "departed_origin_at IS NULL",
        "arrived_destination_at IS NULL",
        *_NOT_ARRIVED,
    ),
    _watch("no_arrival", "departed_origin_at", "arrived_destination_at IS NULL", *_NOT_ARRIVED),
    _watch(
        "customs_hold",
        "customs_hold_at",
        "(customs_cleared_at IS NULL OR customs_cleared_at < customs_hold_at)",
        "out_for_delivery_at IS NULL",
        "delivered_at IS NULL",
    ),
    _watch(
        "no_event_in_transit",
        "last_event_at",
        "status_rank >= 1",
        "status_rank < 9",
        "delivered_at IS NULL",
    ),
    _watch(
        "promise_at_risk",
        "handed_over_at",
        "status_rank < 9",
        "promised_at IS NOT NULL",
        "delivered_at IS NULL",
    ),
    _watch("late_delivery", "promised_at", "delivered_at IS NULL"),
)


# One row per scan. The primary key is the scan's identity (tracking number, UTC instant, carrier
# code, location, carrier): it de-duplicates and, led by (tracking_number, occurred_at), it is the
# timeline index too, so each stored event costs one index entry. SQLite keeps the rows in key
# order (WITHOUT ROWID): a shipment's events sit together.
# A scan's identity is its primary key: parcel, instant, carrier code, place, carrier and
# milestone (formats that carry only a milestone report several at one day- or minute-precise
# instant). A scan the carrier wrote without an offset is also identified by its local wall
# time (`local_time`), so the same scan read under another assumed zone is the same scan.
tracking_events = Table(
    "tracking_events",
    metadata,
    Column("tracking_number", String(64), primary_key=True),
    Column("occurred_at", UTCDateTime, primary_key=True),
    Column("status_code", String(64), primary_key=True),
    Column("location", String(200), primary_key=True),
    Column("carrier", String(40), primary_key=True),
    Column("milestone", String(32), primary_key=True),
    Column("status_text", String(500), nullable=False),
    Column("country", String(2)),
    Column("incident_reason", String(200)),
    Column("unknown_code", Boolean, nullable=False),
    Column("source", String(40), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("local_time", DateTime(timezone=False)),
    Index(
        "uq_tracking_events_local_scan",
        "tracking_number",
        "carrier",
        "status_code",
        "location",
        "milestone",
        "local_time",
        unique=True,
        sqlite_where=text("local_time IS NOT NULL"),
        postgresql_where=text("local_time IS NOT NULL"),
    ),
    sqlite_with_rowid=False,
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("shipment_id", ID, ForeignKey("shipments.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("state", String(16), nullable=False),  # open, acknowledged, resolved
    Column("opened_at", UTCDateTime, nullable=False),
    Column("acknowledged_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    Column("resolution", String(40)),
    Column("detail", JSON, nullable=False),
    Column("revised_eta_at", UTCDateTime),  # as of the last sweep; NULL: lane unknown
    Column("promise_at_risk", Boolean, nullable=False, server_default=text("false")),
    Index(
        "uq_alerts_one_open_per_rule",
        "shipment_id",
        "rule",
        unique=True,
        sqlite_where=text("state <> 'resolved'"),
        postgresql_where=text("state <> 'resolved'"),
    ),
    Index(None, "state"),
)

inventory = Table(  # each tenant's own stock in the overseas warehouses
    "inventory",
    metadata,
    tenant_id_column(),
    Column("warehouse", String(16), nullable=False),  # Channel.warehouse code, e.g. DUS
    Column("sku", String(64), nullable=False),
    Column("on_hand", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "warehouse", "sku"),
)

channel_states = Table(  # each tenant's lane states (its evaluation, its forced switches)
    "channel_states",
    metadata,
    tenant_id_column(),
    Column("channel_id", String(64), nullable=False),
    Column("country", String(2), nullable=False),
    Column("state", String(16), nullable=False),  # healthy, degraded, failed, recovering
    Column("since", UTCDateTime, nullable=False),
    Column("breaching_streak", Integer, nullable=False),
    Column("healthy_since", UTCDateTime),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "channel_id", "country"),
)

switches = Table(
    "switches",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("channel_id", String(64), nullable=False),
    Column("country", String(2)),  # null: every lane of the channel
    Column("backup_channel_id", String(64)),  # null: best eligible backup per order
    Column("share", Float, nullable=False),  # 0 < share <= 1 of new orders moved
    Column("kind", String(16), nullable=False),  # automatic, forced, pinned, peak
    Column("trigger", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime),
    Column("ended_by", String(100)),
    Index(None, "channel_id", "ended_at"),
)

# The monitoring plan's lanes as of one sweep (rewritten by each sweep inside its transaction):
# cutoffs (`now - window`; NULL: the rule is off) and median hours left after k legs, off-peak
# and peak rows (store/deviation_sql.py).
sweep_lanes = Table(
    "sweep_lanes",
    metadata,
    Column("channel_id", String(64), primary_key=True),
    Column("country", String(2), primary_key=True),
    Column("peak", Boolean, primary_key=True),
    *(Column(f"cutoff_{rule.id.value}", UTCDateTime) for rule in RULES),
    *(Column(f"floor_{rule.id.value}", UTCDateTime) for rule in RULES if rule.floor_anchor),
    *(Column(f"rem_{k}", Float, nullable=False) for k in range(len(LEGS))),
    *(Column(f"quick_rem_{k}", Float, nullable=False) for k in range(len(LEGS))),
)

# What each buyer was told, once per cause (`<rule>` of a delay, `reroute:<id>`, ...).
customer_notices = Table(
    "customer_notices",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    tenant_id_column(),  # the shipment's tenant: whose buyer was told
    Column("order_id", String(64), nullable=False),
    Column("cause", String(80), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("shipment_id", ID, ForeignKey("shipments.id", ondelete="SET NULL")),
    Column("language", String(8), nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    UniqueConstraint(
        "tenant_id", "order_id", "cause", name="uq_customer_notices_tenant_order_cause"
    ),
)

reroutes = Table(
    "reroutes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    tenant_id_column(),
    Column("order_id", String(64), nullable=False),
    Column("voided_tracking_number", String(64), nullable=False),
    Column("tracking_number", String(64), nullable=False),
    Column("from_channel_id", String(64), nullable=False),
    Column("to_channel_id", String(64), nullable=False),
    Column("fee_amount", DecimalText, nullable=False),  # on top of the new label's price
    Column("currency", String(3), nullable=False),
    Column("reason", Text, nullable=False),
    Column("rerouted_at", UTCDateTime, nullable=False),
    Index(None, "tenant_id", "order_id"),
    Index(None, "from_channel_id", "rerouted_at"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("topic", String(60), nullable=False),
    Column("destination", String(500), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("last_error", Text),
    Column("webhook_id", String(40), nullable=False),  # "msg_" + UUID hex, same on retries
    Column("parked_at", UTCDateTime),  # not tried until un-parked; last_error says why
    Column("subscription_id", ID),  # a tenant's subscription (signed with its secret), or None
    Index(None, "delivered_at", "next_attempt_at"),
    Index(None, "webhook_id", unique=True),
)

webhook_endpoints = Table(  # a row per URL that answered 410 Gone to a tenant's message
    "webhook_endpoints",  # (disabled for that tenant only); deleted on re-enable
    metadata,
    tenant_id_column(),
    Column("url", String(500), nullable=False),
    Column("disabled_at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    PrimaryKeyConstraint("tenant_id", "url"),
)

webhook_subscriptions = Table(  # a tenant's own webhook destinations (topics None: all)
    "webhook_subscriptions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    tenant_id_column(),
    Column("url", String(500), nullable=False),
    Column("secret", String(200), nullable=False),  # needed to sign; shown once, at creation
    Column("topics", JSON),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime),  # unsubscribed: no new messages, queued ones parked
    Index(None, "tenant_id"),
)

webhook_receipts = Table(  # one row per inbound tracking webhook accepted: replays are refused
    "webhook_receipts",
    metadata,
    Column("source", String(20), primary_key=True),
    Column("message_id", String(100), primary_key=True),
    Column("received_at", UTCDateTime, nullable=False),
    Column("events", Integer, nullable=False),
)

# How many inbound webhooks ended in each outcome, per source, spread over shard rows (summed
# on read) so that concurrent batches do not all wait on one row.
webhook_intake_counts = Table(
    "webhook_intake_counts",
    metadata,
    Column("source", String(20), primary_key=True),
    Column("outcome", String(20), primary_key=True),
    Column("shard", SmallInteger, primary_key=True, server_default="0"),
    Column("count", BigInteger, nullable=False),
    Column("last_at", UTCDateTime, nullable=False),
)


history_imports = Table(  # one row per delivery-history file imported (history import)
    "history_imports",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    tenant_id_column(),
    Column("source", String(500), nullable=False),
    Column("digest", String(64), nullable=False),  # sha256 of file + mapping
    Column("imported_at", UTCDateTime, nullable=False),
    Column("records", Integer, nullable=False),
    Column("missing", JSON, nullable=False),  # [[field, text written, count], ...]
    UniqueConstraint("tenant_id", "digest"),  # a re-import is per tenant
)

history_records = Table(  # one past shipment of an imported history (domain/history.py)
    "history_records",
    metadata,
    Column("import_id", ID, ForeignKey("history_imports.id"), primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("channel", String(64), nullable=False),
    Column("lane", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("order_id", String(64)),
    Column("mode", String(64)),
    Column("shipped_at", UTCDateTime),
    Column("scheduled_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("scheduled_day", Date),
    Column("delivered_day", Date),
    Column("transit_days", Float),
    Column("promised_days", Float),
    Column("on_time", Boolean),
    Column("weight_kg", Float),
    Column("cost", Float),  # statistics of past freight, not money to settle
    Column("currency", String(3)),
    Index(None, "channel", "lane"),
)

experiments = Table(  # A/B tests of channel mixes (optimization/experiment_design.py)
    "experiments",
    metadata,
    tenant_id_column(),
    Column("id", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # running, stopped
    Column("created_at", UTCDateTime, nullable=False),
    Column("document", JSON, nullable=False),  # the Experiment, as JSON
    PrimaryKeyConstraint("tenant_id", "id"),  # each tenant names its own experiments
)
tenants = Table(  # the sellers served; DEFAULT_TENANT is the embedded setup's
    "tenants",
    metadata,
    Column("tenant_id", String(TENANT_ID_MAX), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
)

api_keys = Table(  # only the SHA-256 of a key is stored; the key is shown once
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    tenant_id_column(),
    Column("role", String(16), nullable=False),
    Column("environment", String(8), nullable=False),  # test | live
    Column("secret_sha256", String(64), nullable=False),
    Column("label", String(100), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Index(None, "tenant_id"),
)

idempotency_keys = Table(  # a POST's Idempotency-Key: its body's hash and the answer given
    "idempotency_keys",
    metadata,
    tenant_id_column(),
    Column("key", String(200), nullable=False),
    Column("request_sha256", String(64), nullable=False),
    Column("status_code", SmallInteger, nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "key"),
)

tick_leases = Table(  # the last run of each scheduled job and shard: two schedulers run it once
    "tick_leases",
    metadata,
    Column("job", String(40), primary_key=True),
    Column("shard", String(40), primary_key=True),
    Column("last_run_at", UTCDateTime, nullable=False),
)

allocation_ratios = Table(  # the latest `tradelane allocate` run: share of a lane per channel
    "allocation_ratios",
    metadata,
    tenant_id_column(),
    Column("country", String(2), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("share", Float, nullable=False),
    Column("horizon_start", UTCDateTime, nullable=False),
    Column("horizon_days", Integer, nullable=False),
    Column("computed_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "country", "channel_id"),  # each tenant's latest run
)

advisories = Table(  # announced disruptions switching acts on (domain/advisories.py)
    "advisories",
    metadata,
    tenant_id_column(),
    Column("id", String(ADVISORY_ID_MAX), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("port", String(16)),  # the one scope column the kind needs is set, the others null
    Column("carrier", String(64)),
    Column("air_type", String(20)),
    Column("channel", String(64)),
    Column("severity", Float, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime),  # null: open until ended
    Column("source", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
)

stamp_tenant_columns(metadata)  # last: every table above, and any added later, has tenant_id

# The parcels in flight of one lane by hand-over time, for lane health's count of the parcels
# past their lane's p90 (store/lane_health_sql.py): one range per lane, read from the index
# alone, instead of a scan of every parcel. The predicate repeats the query's in-flight terms
# exactly as it writes them.
Index(
    "ix_shipments_in_flight_lane",
    shipments.c.tenant_id,
    shipments.c.channel_id,
    shipments.c.destination_country,
    shipments.c.handed_over_at,
    sqlite_where=text("is_active IS 1 AND delivered_at IS NULL"),
    postgresql_where=text("is_active IS true AND delivered_at IS NULL"),
)
