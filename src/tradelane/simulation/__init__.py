"""Simulation: seeded order streams and (later) the peak-season model. Pure: no I/O, no clock."""
