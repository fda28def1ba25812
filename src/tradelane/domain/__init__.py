"""Pure domain model: no I/O, no clock, no framework imports."""
