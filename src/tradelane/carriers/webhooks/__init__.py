"""Inbound tracking webhooks: who signed a body (signatures.py) and how each source names
its deliveries (sources.py). Pure: the caller passes the raw body, headers, secrets and now."""
