"""The shipments projection as one statement: every touched shipment created or recomputed
from all of its stored events (the SQL twin of tracking.normalize.derive_timeline).

Per event: its milestone code (rank * 16 + precedence: orders like (rank, precedence) and
names the milestone), the crossings it proves (dep, arr: crossing_evidence's rules) and the
milestone it counts for (eff: effective_milestone's rule). Per shipment: the first time of each
timed milestone, the last event time, and the deciding event, greatest (rank, instant,
precedence), as one MAX of a sortable key. New shipments are inserted, changed ones updated,
unchanged ones not rewritten (a replayed batch writes no shipment).

Each store gets the shape that is faster there. PostgreSQL computes the per-event values once
in fenced subqueries (OFFSET 0 keeps the planner from copying them into every reference) and
hash-aggregates. SQLite reads the milestone codes from a small lookup table, so the flat join,
walked in primary key order, aggregates without a sort.
"""

from __future__ import annotations

from tradelane.domain.shipments import MILESTONE_RANK, TERMINAL_MILESTONES, Milestone
from tradelane.tracking.normalize import PRECEDENCE

__all__ = ["SQLITE_MILESTONES", "SQLITE_MILESTONES_DDL", "upsert_projection"]

_M = Milestone
_P = PRECEDENCE  # milestone <-> small integer, one to one
_CODE = {m: MILESTONE_RANK[m] * 16 + _P[m] for m in Milestone}
_INFO, _DEPARTED, _ARRIVED = (
    _CODE[m] for m in (_M.INFO_RECEIVED, _M.DEPARTED_ORIGIN, _M.ARRIVED_DESTINATION_COUNTRY)
)
_TIMED = {
    "picked_up_at": _M.PICKED_UP,
    "departed_origin_at": "dep",
    "arrived_destination_at": "arr",
    "customs_hold_at": _M.CUSTOMS_HOLD,
    "customs_cleared_at": _M.CUSTOMS_CLEARED,
    "out_for_delivery_at": _M.OUT_FOR_DELIVERY,
    "delivered_at": _M.DELIVERED,
    "exception_at": _M.EXCEPTION,
}
_PROJECTED = ("status", "status_rank", "is_active", "last_event_at", *_TIMED)
if max(_P.values()) > 15 or max(MILESTONE_RANK.values()) > 9:
    raise ValueError("milestone codes hold precedence in 4 bits and rank in one digit")


def _head(code: int) -> str:
    return chr(48 + (code >> 4))  # the rank as one digit: SQLite's key starts with it


def _tail(code: int) -> str:
    return chr(65 + (code & 15))  # the precedence as one letter: SQLite's key ends with it


SQLITE_MILESTONES_DDL = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS tracking_milestones (milestone TEXT PRIMARY KEY, "
    "code INTEGER NOT NULL, head TEXT NOT NULL, tail TEXT NOT NULL) WITHOUT ROWID"
)
SQLITE_MILESTONES = "INSERT OR IGNORE INTO tracking_milestones VALUES " + ", ".join(
    f"('{m.value}', {c}, '{_head(c)}', '{_tail(c)}')" for m, c in _CODE.items()
)


def _firsts(code: str, time: str, dep: str, arr: str) -> str:
    conditions = {"dep": dep, "arr": arr} | {m: f"{code} = {_CODE[m]}" for m in Milestone}
    return ", ".join(
        f"MIN(CASE WHEN {conditions[kind]} THEN {time} END) AS {name}"
        for name, kind in _TIMED.items()
    )


def _status_of(precedence: str) -> str:
    arms = " ".join(f"WHEN {_P[m]} THEN '{m.value}'" for m in Milestone)
    return f"CASE {precedence} {arms} END"


def _shipment(touched_sql: str) -> str:
    """The touched shipments with the countries they are judged by (stored ones first)."""
    return f"""SELECT t.tracking_number, t.carrier,
      COALESCE(s.origin_country, t.origin_country) AS origin,
      COALESCE(s.destination_country, t.destination_country) AS dest
    FROM ({touched_sql}) AS t LEFT JOIN shipments AS s ON s.tracking_number = t.tracking_number"""


def _postgres_aggregate(touched_sql: str) -> str:
    code = "CASE e.milestone " + " ".join(f"WHEN '{m.value}' THEN {c}" for m, c in _CODE.items())
    abroad = "e.country <> t.origin"  # NULL, not true, when either country is unknown
    return f"""SELECT tracking_number, carrier, origin, dest, MAX(occurred_at) AS last_event_at,
    {_firsts("code", "occurred_at", "dep", "arr")},
    MAX(ARRAY[eff >> 4, date_part('epoch', occurred_at), eff & 15]) AS top
  FROM (
    SELECT *, CASE WHEN arr AND code < {_ARRIVED & ~15} THEN {_ARRIVED}
      WHEN dep AND code < {_DEPARTED & ~15} THEN {_DEPARTED} ELSE code END AS eff
    FROM (
      SELECT tracking_number, carrier, origin, dest, occurred_at, code,
        code <> {_INFO} AND (code IN ({_DEPARTED}, {_ARRIVED}) OR abroad) IS TRUE AS dep,
        code <> {_INFO} AND (code = {_ARRIVED} OR home) IS TRUE AS arr
      FROM (
        SELECT t.*, e.occurred_at, {code} END AS code, {abroad} AS abroad,
          {abroad} AND e.country = t.dest AS home
        FROM ({_shipment(touched_sql)} OFFSET 0) AS t
        CROSS JOIN LATERAL (SELECT e.occurred_at, e.milestone, e.country FROM tracking_events
          AS e WHERE e.tracking_number = t.tracking_number OFFSET 0) AS e OFFSET 0
      ) AS coded OFFSET 0
    ) AS flagged OFFSET 0
  ) AS ev GROUP BY tracking_number, carrier, origin, dest"""


def _sqlite_aggregate(touched_sql: str) -> str:
    origin = "COALESCE(s.origin_country, t.origin_country)"
    dest = "COALESCE(s.destination_country, t.destination_country)"
    abroad = f"e.country <> {origin}"  # NULL, not true, when either country is unknown
    dep = f"(m.code <> {_INFO} AND (m.code IN ({_DEPARTED}, {_ARRIVED}) OR {abroad}))"
    arr = f"(m.code <> {_INFO} AND (m.code = {_ARRIVED} OR ({abroad} AND e.country = {dest})))"
    key = (
        f"CASE WHEN {arr} AND m.code < {_ARRIVED & ~15} "
        f"THEN '{_head(_ARRIVED)}' || e.occurred_at || '{_tail(_ARRIVED)}' "
        f"WHEN {dep} AND m.code < {_DEPARTED & ~15} "
        f"THEN '{_head(_DEPARTED)}' || e.occurred_at || '{_tail(_DEPARTED)}' "
        "ELSE m.head || e.occurred_at || m.tail END"
    )
    return f"""SELECT t.tracking_number, t.carrier, {origin} AS origin, {dest} AS dest,
    MAX(e.occurred_at) AS last_event_at, {_firsts("m.code", "e.occurred_at", dep, arr)},
    MAX({key}) AS top
  FROM ({touched_sql}) AS t LEFT JOIN shipments AS s ON s.tracking_number = t.tracking_number
  CROSS JOIN tracking_events AS e CROSS JOIN tracking_milestones AS m
  WHERE e.tracking_number = t.tracking_number AND m.milestone = e.milestone
  GROUP BY t.tracking_number"""


def upsert_projection(dialect: str, touched_sql: str) -> str:
    """Create or update the shipments of the tracking numbers `touched_sql` selects, with
    carrier, origin_country, destination_country for the shipments not stored yet (SQLite
    needs SQLITE_MILESTONES in its session first)."""
    if dialect == "postgresql":
        aggregate, rank, precedence = _postgres_aggregate(touched_sql), "top[1]::int", "top[3]::int"
        differs = "IS DISTINCT FROM"
    else:
        aggregate, rank = _sqlite_aggregate(touched_sql), "unicode(top) - 48"
        precedence, differs = "unicode(substr(top, -1)) - 65", "IS NOT"
    old, new = (", ".join(f"{t}.{c}" for c in _PROJECTED) for t in ("shipments", "excluded"))
    terminal = ", ".join(str(_P[m]) for m in sorted(TERMINAL_MILESTONES))
    return f"""INSERT INTO shipments (tracking_number, carrier, origin_country, destination_country,
  {", ".join(_PROJECTED)})
SELECT tracking_number, carrier, origin, dest, {_status_of(precedence)}, {rank},
  {precedence} NOT IN ({terminal}), last_event_at, {", ".join(_TIMED)}
FROM ({aggregate}) AS agg WHERE true
ON CONFLICT (tracking_number) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _PROJECTED)}
WHERE ({old}) {differs} ({new})"""
