"""Use cases. Each takes its infrastructure as keyword arguments; the unit of work commits."""
