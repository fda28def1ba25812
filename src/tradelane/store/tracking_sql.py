"""SQL text of the tracking bulk path, for SQLite and PostgreSQL alike.

    rows ─▶ SQLite: executemany INSERT ... ON CONFLICT DO NOTHING, rows in key order
            PostgreSQL: binary COPY into temp table tracking_staging, then one
            INSERT ... SELECT ... ON CONFLICT DO NOTHING
         ─▶ touched tracking numbers (+ carrier, + countries the source gave) into temp
            table tracking_touched
         ─▶ one INSERT ... ON CONFLICT DO UPDATE of their shipments: the projection
            recomputed from all stored events of each (the SQL twin of
            tracking.normalize.derive_timeline), new shipments created with it, rows whose
            projection did not change left alone

The conflict target of the events is their primary key, the identity of a scan (tables.py).
Every statement is built from constants of this package, never from input.
"""

from __future__ import annotations

from tradelane.domain.shipments import MILESTONE_RANK, TERMINAL_MILESTONES, Milestone
from tradelane.tracking.normalize import PRECEDENCE

__all__ = [
    "BATCH_COLUMNS",
    "CLEAR_STAGING",
    "COUNT_NEW_SHIPMENTS",
    "INSERT_STAGED_EVENTS",
    "ROW_COLUMNS",
    "STAGING_TYPES",
    "TOUCHED",
    "insert_events",
    "staging_ddl",
    "touched_ddl",
    "upsert_projection",
]

# A row holds one event's fields, key columns first (the primary key's order); the batch's
# source and receipt time are bound once per statement (BATCH_COLUMNS).
ROW_COLUMNS = (
    "tracking_number",
    "occurred_at",
    "status_code",
    "location",
    "carrier",
    "milestone",
    "status_text",
    "country",
    "incident_reason",
    "unknown_code",
)
BATCH_COLUMNS = ("source", "received_at")
# PostgreSQL types of ROW_COLUMNS for the binary COPY (varchar's wire format is text's).
STAGING_TYPES = ("text", "timestamptz", *["text"] * 7, "bool")
_NULLABLE = ("country", "incident_reason")
_COLUMNS = ", ".join((*ROW_COLUMNS, *BATCH_COLUMNS))


def insert_events(rows: int) -> str:
    """SQLite: INSERT of `rows` events in one statement, duplicates skipped (several rows per
    statement cost less than one statement per row). Parameters: the rows' fields one after
    the other, then source and received_at."""
    width = len(ROW_COLUMNS)
    batch = ", ".join(f"?{rows * width + 1 + i}" for i in range(len(BATCH_COLUMNS)))
    values = ", ".join(
        f"({', '.join(f'?{row * width + 1 + i}' for i in range(width))}, {batch})"
        for row in range(rows)
    )
    return f"INSERT INTO tracking_events ({_COLUMNS}) VALUES {values} ON CONFLICT DO NOTHING"


def staging_ddl() -> str:
    """PostgreSQL's session-local staging table: no index, no WAL, emptied at commit."""
    columns = ", ".join(
        f"{name} {kind}{'' if name in _NULLABLE else ' NOT NULL'}"
        for name, kind in zip(ROW_COLUMNS, STAGING_TYPES, strict=True)
    )
    return (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS tracking_staging ({columns}) ON COMMIT DELETE ROWS"
    )


# ON CONFLICT DO NOTHING probes the key as it inserts, and handles concurrent writers of the
# same scans. (An anti-join INSERT ... WHERE NOT EXISTS was faster only into an empty table:
# against 1M stored events it took 1.0-1.15 s per 100k new ones, ON CONFLICT 0.7 s.)
INSERT_STAGED_EVENTS = (
    f"INSERT INTO tracking_events ({_COLUMNS}) SELECT {', '.join(ROW_COLUMNS)}, "
    "%(source)s, %(received_at)s FROM tracking_staging ON CONFLICT DO NOTHING"
)
CLEAR_STAGING = "TRUNCATE tracking_staging"
TOUCHED = (
    "SELECT tracking_number, carrier, origin_country, destination_country FROM tracking_touched"
)
COUNT_NEW_SHIPMENTS = (
    "SELECT count(*) FROM tracking_touched AS t WHERE NOT EXISTS "
    "(SELECT 1 FROM shipments AS s WHERE s.tracking_number = t.tracking_number)"
)


def touched_ddl(dialect: str) -> str:
    """The session-local list of tracking numbers a batch touched, with what the batch says of
    their shipment (carrier, and the countries where the source gave them)."""
    suffix = " ON COMMIT DELETE ROWS" if dialect == "postgresql" else ""
    return (
        "CREATE TEMPORARY TABLE IF NOT EXISTS tracking_touched ("
        "tracking_number VARCHAR(64) PRIMARY KEY, carrier VARCHAR(40) NOT NULL, "
        f"origin_country VARCHAR(2), destination_country VARCHAR(2)){suffix}"
    )


_M = Milestone
_P = PRECEDENCE  # milestone <-> small integer, one to one
# One integer per milestone, rank * 16 + precedence: orders like (rank, precedence) and names the
# milestone. The projection reads it once per event (one CASE over the text) and then only
# compares integers.
_CODE = {m: MILESTONE_RANK[m] * 16 + _P[m] for m in Milestone}
_INFO, _DEPARTED, _ARRIVED = (
    _CODE[m] for m in (_M.INFO_RECEIVED, _M.DEPARTED_ORIGIN, _M.ARRIVED_DESTINATION_COUNTRY)
)
_TIMED = {
    "picked_up_at": f"code = {_CODE[_M.PICKED_UP]}",
    "departed_origin_at": "dep = 1",
    "arrived_destination_at": "arr = 1",
    "customs_hold_at": f"code = {_CODE[_M.CUSTOMS_HOLD]}",
    "customs_cleared_at": f"code = {_CODE[_M.CUSTOMS_CLEARED]}",
    "out_for_delivery_at": f"code = {_CODE[_M.OUT_FOR_DELIVERY]}",
    "delivered_at": f"code = {_CODE[_M.DELIVERED]}",
    "exception_at": f"code = {_CODE[_M.EXCEPTION]}",
}
_PROJECTED = ("status", "status_rank", "is_active", "last_event_at", *_TIMED)
if max(_P.values()) > 15 or max(MILESTONE_RANK.values()) > 9:
    raise ValueError("milestone codes hold precedence in 4 bits and rank in one digit")


def _dialect_parts(dialect: str) -> dict[str, str]:
    """What differs between the stores.

    fence: keeps a subquery from being merged into its parent, so its columns are computed
    once per row instead of once per reference (PostgreSQL OFFSET 0, SQLite LIMIT -1).
    events: each touched shipment's events through the primary key, whatever the statistics
    say (PostgreSQL: a fenced LATERAL; SQLite: CROSS JOIN fixes the loop order).
    top: the event deciding the status, greatest (rank, instant, precedence), as one MAX of
    `eff`: SQLite a text, rank digit || fixed-width UTC time || precedence letter; PostgreSQL
    an array [rank, epoch seconds, precedence] (float8 tells microseconds apart for centuries).
    """
    if dialect == "postgresql":
        return {
            "fence": "OFFSET 0",
            "events": "CROSS JOIN LATERAL (SELECT e.occurred_at, e.milestone, e.country "
            "FROM tracking_events AS e WHERE e.tracking_number = t.tracking_number OFFSET 0) AS e",
            "top": "MAX(ARRAY[eff >> 4, date_part('epoch', occurred_at), eff & 15])",
            "top_rank": "top[1]::int",
            "top_prec": "top[3]::int",
            "group": "tracking_number, carrier, origin, dest",
            "differs": "IS DISTINCT FROM",
        }
    return {
        "fence": "LIMIT -1",
        "events": "CROSS JOIN tracking_events AS e WHERE e.tracking_number = t.tracking_number",
        "top": "MAX(char(48 + (eff >> 4)) || occurred_at || char(65 + (eff & 15)))",
        "top_rank": "unicode(top) - 48",
        "top_prec": "unicode(substr(top, -1)) - 65",
        "group": "tracking_number",
        "differs": "IS NOT",
    }


def _status_of(precedence: str) -> str:
    arms = " ".join(f"WHEN {_P[m]} THEN '{m.value}'" for m in Milestone)
    return f"CASE {precedence} {arms} END"


def _events_sql(touched_sql: str, d: dict[str, str]) -> str:
    """Every stored event of the touched shipments with its milestone code and the crossings
    it proves (dep/arr, crossing_evidence's rules), and `eff`, the code of the milestone it
    counts for (effective_milestone's rule)."""
    code = "CASE e.milestone " + " ".join(f"WHEN '{m.value}' THEN {c}" for m, c in _CODE.items())
    abroad = "e.country IS NOT NULL AND t.origin IS NOT NULL AND e.country <> t.origin"
    arrived_rank, departed_rank = _ARRIVED // 16 * 16, _DEPARTED // 16 * 16
    return f"""SELECT tracking_number, carrier, origin, dest, occurred_at, code, dep, arr,
    CASE WHEN arr = 1 AND code < {arrived_rank} THEN {_ARRIVED}
      WHEN dep = 1 AND code < {departed_rank} THEN {_DEPARTED} ELSE code END AS eff
  FROM (
    SELECT tracking_number, carrier, origin, dest, occurred_at, code,
      CASE WHEN code <> {_INFO} AND (code IN ({_DEPARTED}, {_ARRIVED}) OR abroad = 1)
        THEN 1 ELSE 0 END AS dep,
      CASE WHEN code <> {_INFO} AND (code = {_ARRIVED} OR home = 1) THEN 1 ELSE 0 END AS arr
    FROM (
      SELECT t.tracking_number, t.carrier, t.origin, t.dest, e.occurred_at, {code} END AS code,
        CASE WHEN {abroad} THEN 1 ELSE 0 END AS abroad,
        CASE WHEN {abroad} AND e.country = t.dest THEN 1 ELSE 0 END AS home
      FROM (
        SELECT t.tracking_number, t.carrier, COALESCE(s.origin_country, t.origin_country) AS origin,
          COALESCE(s.destination_country, t.destination_country) AS dest
        FROM ({touched_sql}) AS t LEFT JOIN shipments AS s ON s.tracking_number = t.tracking_number
        {d["fence"]}
      ) AS t {d["events"]} {d["fence"]}
    ) AS coded {d["fence"]}
  ) AS flagged {d["fence"]}"""


def upsert_projection(dialect: str, touched_sql: str) -> str:
    """Create or update the shipments of the tracking numbers `touched_sql` selects (with
    carrier, origin_country, destination_country for shipments not stored yet) from all their
    stored events; unchanged rows are not rewritten. The set-based twin of derive_timeline."""
    d = _dialect_parts(dialect)
    old, new = (", ".join(f"{t}.{c}" for c in _PROJECTED) for t in ("shipments", "excluded"))
    terminal = ", ".join(str(_P[m]) for m in sorted(TERMINAL_MILESTONES))
    firsts = ", ".join(f"MIN(CASE WHEN {c} THEN occurred_at END) AS {n}" for n, c in _TIMED.items())
    return f"""INSERT INTO shipments (tracking_number, carrier, origin_country, destination_country,
  {", ".join(_PROJECTED)})
SELECT tracking_number, carrier, origin, dest, {_status_of(d["top_prec"])}, {d["top_rank"]},
  {d["top_prec"]} NOT IN ({terminal}), last_event_at, {", ".join(_TIMED)}
FROM (
  SELECT tracking_number, carrier, origin, dest, MAX(occurred_at) AS last_event_at, {firsts},
    {d["top"]} AS top
  FROM ({_events_sql(touched_sql, d)}) AS ev GROUP BY {d["group"]}
) AS agg WHERE true
ON CONFLICT (tracking_number) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _PROJECTED)}
WHERE ({old}) {d["differs"]} ({new})"""
