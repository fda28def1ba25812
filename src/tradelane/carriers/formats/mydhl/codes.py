"""MyDHL API (DHL Express REST) uses the DHL Express checkpoint codes: one table for both."""

from __future__ import annotations

from tradelane.carriers.formats.dhl_express.codes import EVENTS, NOT_FOUND

__all__ = ["EVENTS", "NOT_FOUND"]
