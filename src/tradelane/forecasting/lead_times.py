"""Default sea/rail lead time from China to an overseas warehouse, by the markets it serves.

Estimates built on DOMAIN.md §1.4 (editable with `--lead-time WAREHOUSE=DAYS`):
- EU / UK: China–Europe rail, Chongqing→Duisburg 16–18 days → 18 days;
- US: express sea (Matson CLX, Shanghai→Long Beach 10–11 days) plus port and inland handling
  (estimate: 4 days) → 15 days;
- elsewhere: standard ocean freight, 33.79 days on average (ShipBob/Sourcingbro) → 34 days.
A warehouse serving several markets takes the longest of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable

from tradelane.domain.geo import Market, market_of

__all__ = ["LEAD_TIME_DAYS", "default_lead_time_days"]

LEAD_TIME_DAYS = {Market.EU: 18, Market.UK: 18, Market.US: 15}
OCEAN_DAYS = 34


def default_lead_time_days(countries: Iterable[str]) -> int:
    """Days from China to a warehouse serving `countries` (OCEAN_DAYS when none is known)."""
    days = [LEAD_TIME_DAYS.get(market_of(country), OCEAN_DAYS) for country in countries]
    return max(days, default=OCEAN_DAYS)
