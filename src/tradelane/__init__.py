"""tradelane: keep cross-border parcels moving with a primary channel and ranked backups.

The public library surface is re-exported from the subpackages; see README.md for a tour.
"""

__version__ = "0.1.0"
