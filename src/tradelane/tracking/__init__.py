"""Tracking normalisation (pure core): carrier formats -> TrackingEvent -> shipment timeline.

carrier response / webhook / CSV ─▶ formats.<source>.parse ─▶ TrackingEvent | ValidationError
events of one shipment (any order) ─▶ normalize.derive_timeline ─▶ Timeline (status, times)
"""
