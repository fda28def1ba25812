"""Carrier adapters: tracking payload formats (karrio parsers, webhooks, CSV) and their code tables.

I/O-shaped code at the edge: karrio pulls in HTTP clients, so nothing here belongs to the pure
core. Each format turns a payload into normalised `tradelane.tracking` events.
"""
