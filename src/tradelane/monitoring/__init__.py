"""Monitoring: deviation rules over shipment timelines and the alert lifecycle (pure)."""
