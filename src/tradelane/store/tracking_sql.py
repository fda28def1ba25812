"""SQL text of the tracking bulk path, for SQLite and PostgreSQL alike.

    rows ─▶ SQLite: executemany INSERT ... ON CONFLICT (dedupe_key) DO NOTHING
            PostgreSQL: COPY into temp table tracking_staging, then one INSERT ... SELECT ...
            ON CONFLICT (dedupe_key) DO NOTHING
         ─▶ touched tracking numbers (+ carrier) into temp table tracking_touched
         ─▶ one INSERT of the shipments not seen before (carrier + tracking number)
         ─▶ one UPDATE ... FROM of the shipments projection, recomputed from all stored events
            of the touched tracking numbers (the SQL twin of tracking.normalize.derive_timeline)

Every statement is built from constants of this package, never from input.
"""

from __future__ import annotations

from tradelane.domain.shipments import MILESTONE_RANK, TERMINAL_MILESTONES, Milestone
from tradelane.tracking.normalize import PRECEDENCE

__all__ = [
    "EVENT_COLUMNS",
    "INSERT_EVENT",
    "INSERT_STAGED_EVENTS",
    "INSERT_TOUCHED_SHIPMENTS",
    "TOUCHED_NUMBERS",
    "refresh_projection",
    "staging_ddl",
    "touched_ddl",
]

EVENT_COLUMNS = (
    "dedupe_key",
    "carrier",
    "tracking_number",
    "occurred_at",
    "milestone",
    "status_code",
    "status_text",
    "location",
    "country",
    "incident_reason",
    "unknown_code",
    "source",
    "received_at",
)
_COLUMNS = ", ".join(EVENT_COLUMNS)
TOUCHED_NUMBERS = "SELECT tracking_number FROM tracking_touched"
INSERT_EVENT = (
    f"INSERT INTO tracking_events ({_COLUMNS}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))}) "
    "ON CONFLICT (dedupe_key) DO NOTHING"
)


def staging_ddl(dialect: str) -> str:
    """The session-local staging table (no indexes: it only feeds one INSERT ... SELECT)."""
    timestamp = "TIMESTAMP WITH TIME ZONE" if dialect == "postgresql" else "DATETIME"
    suffix = " ON COMMIT DELETE ROWS" if dialect == "postgresql" else ""
    return (
        "CREATE TEMPORARY TABLE IF NOT EXISTS tracking_staging ("
        "dedupe_key VARCHAR(64) NOT NULL, carrier VARCHAR(40) NOT NULL, "
        "tracking_number VARCHAR(64) NOT NULL, "
        f"occurred_at {timestamp} NOT NULL, milestone VARCHAR(32) NOT NULL, "
        "status_code VARCHAR(64) NOT NULL, status_text VARCHAR(500) NOT NULL, "
        "location VARCHAR(200) NOT NULL, country VARCHAR(2), incident_reason VARCHAR(200), "
        f"unknown_code BOOLEAN NOT NULL, source VARCHAR(40) NOT NULL, received_at {timestamp} "
        f"NOT NULL){suffix}"
    )


INSERT_STAGED_EVENTS = (
    f"INSERT INTO tracking_events ({_COLUMNS}) SELECT {_COLUMNS} FROM tracking_staging "
    "WHERE true ON CONFLICT (dedupe_key) DO NOTHING"
)
INSERT_TOUCHED_SHIPMENTS = (
    "INSERT INTO shipments (tracking_number, carrier, status, status_rank, is_active) "
    "SELECT tracking_number, carrier, 'info_received', 0, true FROM tracking_touched "
    "WHERE true ON CONFLICT (tracking_number) DO NOTHING"
)


def touched_ddl(dialect: str) -> str:
    """The session-local list of tracking numbers a batch touched, with their carrier."""
    suffix = " ON COMMIT DELETE ROWS" if dialect == "postgresql" else ""
    return (
        "CREATE TEMPORARY TABLE IF NOT EXISTS tracking_touched ("
        f"tracking_number VARCHAR(64) PRIMARY KEY, carrier VARCHAR(40) NOT NULL){suffix}"
    )


def _case(values: dict[Milestone, int], column: str) -> str:
    arms = " ".join(f"WHEN '{m.value}' THEN {v}" for m, v in values.items())
    return f"CASE {column} {arms} END"


def _first(condition: str) -> str:
    return f"MIN(CASE WHEN {condition} THEN occurred_at END)"


_M = Milestone
_ABROAD = "e.country IS NOT NULL AND s.origin_country IS NOT NULL AND e.country <> s.origin_country"
_ARRIVED = (
    f"e.milestone <> 'info_received' AND (e.milestone = '{_M.ARRIVED_DESTINATION_COUNTRY}' "
    f"OR ({_ABROAD} AND e.country = s.destination_country))"
)
_DEPARTED = (
    f"e.milestone <> 'info_received' AND (e.milestone IN ('{_M.DEPARTED_ORIGIN}', "
    f"'{_M.ARRIVED_DESTINATION_COUNTRY}') OR ({_ABROAD}))"
)
_TERMINAL = ", ".join(f"'{m.value}'" for m in sorted(TERMINAL_MILESTONES))


def refresh_projection(touched_sql: str) -> str:
    """UPDATE shipments from every stored event of the tracking numbers `touched_sql` selects."""
    own_rank = _case(MILESTONE_RANK, "e.milestone")
    arrived_rank = MILESTONE_RANK[_M.ARRIVED_DESTINATION_COUNTRY]
    departed_rank = MILESTONE_RANK[_M.DEPARTED_ORIGIN]
    timed = {
        "picked_up_at": f"milestone = '{_M.PICKED_UP}'",
        "departed_origin_at": "dep = 1",
        "arrived_destination_at": "arr = 1",
        "customs_hold_at": f"milestone = '{_M.CUSTOMS_HOLD}'",
        "customs_cleared_at": f"milestone = '{_M.CUSTOMS_CLEARED}'",
        "out_for_delivery_at": f"milestone = '{_M.OUT_FOR_DELIVERY}'",
        "delivered_at": f"milestone = '{_M.DELIVERED}'",
        "exception_at": f"milestone = '{_M.EXCEPTION}'",
    }
    firsts = ", ".join(f"{_first(cond)} AS {name}" for name, cond in timed.items())
    sets = ", ".join(f"{name} = agg.{name}" for name in timed)
    return f"""UPDATE shipments SET status = agg.status, status_rank = agg.status_rank,
  is_active = (agg.status NOT IN ({_TERMINAL})), last_event_at = agg.last_event_at, {sets}
FROM (
WITH ev AS (
  SELECT e.tracking_number, e.occurred_at, e.milestone, {own_rank} AS own_rank,
    CASE WHEN {_DEPARTED} THEN 1 ELSE 0 END AS dep,
    CASE WHEN {_ARRIVED} THEN 1 ELSE 0 END AS arr
  FROM tracking_events e JOIN shipments s ON s.tracking_number = e.tracking_number
  WHERE e.tracking_number IN ({touched_sql})
), eff AS (
  SELECT tracking_number, occurred_at, milestone, dep, arr,
    CASE WHEN arr = 1 AND own_rank < {arrived_rank} THEN '{_M.ARRIVED_DESTINATION_COUNTRY}'
         WHEN dep = 1 AND own_rank < {departed_rank} THEN '{_M.DEPARTED_ORIGIN}'
         ELSE milestone END AS status,
    CASE WHEN arr = 1 AND own_rank < {arrived_rank} THEN {arrived_rank}
         WHEN dep = 1 AND own_rank < {departed_rank} THEN {departed_rank}
         ELSE own_rank END AS status_rank
  FROM ev
), ranked AS (
  SELECT tracking_number, occurred_at, milestone, dep, arr, status, status_rank,
    ROW_NUMBER() OVER (PARTITION BY tracking_number ORDER BY status_rank DESC,
      occurred_at DESC, {_case(PRECEDENCE, "status")} DESC) AS place
  FROM eff
)
  SELECT tracking_number, MAX(occurred_at) AS last_event_at, {firsts},
    MAX(CASE WHEN place = 1 THEN status END) AS status,
    MAX(status_rank) AS status_rank
  FROM ranked GROUP BY tracking_number
) AS agg WHERE shipments.tracking_number = agg.tracking_number"""
