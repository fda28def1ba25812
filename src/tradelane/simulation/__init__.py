"""Simulation: seeded order streams and the peak-season model. Pure: no I/O, no wall clock."""
