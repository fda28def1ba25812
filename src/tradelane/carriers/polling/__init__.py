"""Carrier tracking polling: karrio builds each carrier's tracking request, our Transport
sends it, the carrier's tracking format (carriers.formats) reads the answer."""
