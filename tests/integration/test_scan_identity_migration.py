"""The scan-identity migration keeps stored scans and lets one instant hold several milestones."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tradelane.store.migrate import migrate

BEFORE = "0006_outbox_delivery"
INSERT = text(
    "INSERT INTO tracking_events (tracking_number, occurred_at, status_code, location, carrier,"
    " milestone, status_text, unknown_code, source, received_at) VALUES ('YT2611210000001',"
    " '2026-11-21 00:00:00', '', '', 'yunexpress', :milestone, '', false, 'csv',"
    " '2026-11-27 09:00:00')"
)


def test_upgrading_keeps_stored_scans_and_adds_the_milestone_to_their_identity(
    bare_engine: Engine,
) -> None:
    migrate(bare_engine, BEFORE)
    with bare_engine.begin() as connection:
        connection.execute(INSERT, {"milestone": "picked_up"})
    migrate(bare_engine)
    with bare_engine.begin() as connection:
        connection.execute(INSERT, {"milestone": "departed_origin"})
        kept = connection.execute(
            text("SELECT milestone, local_time FROM tracking_events ORDER BY milestone")
        ).all()
    assert [tuple(row) for row in kept] == [("departed_origin", None), ("picked_up", None)]
