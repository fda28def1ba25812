"""Adapters for files users hand us: catalogue YAML, order CSV / JSON Lines."""
