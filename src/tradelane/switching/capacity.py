"""Backup capacity arithmetic: how much traffic a backup can take without drowning it."""

from __future__ import annotations

__all__ = ["share_within_reserve"]


def share_within_reserve(
    share: float, *, reserved_parcels_per_day: int | None, lane_parcels_per_day: float
) -> float:
    """The share of a lane's daily parcels to move, capped so the moved parcels fit the backup
    capacity reserved for them. No reserve, or no recent volume, leaves `share` as asked."""
    if reserved_parcels_per_day is None or lane_parcels_per_day <= 0:
        return share
    return min(share, reserved_parcels_per_day / lane_parcels_per_day)
