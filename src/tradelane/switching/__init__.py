"""Switching: channel health, triggers, the hysteresis policy and the peak calendar (pure core).

Nothing here reads the clock or touches storage: `services/switching.py` measures, calls
`policy.decide` and stores what it returns.
"""
