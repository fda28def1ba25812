"""Continuous optimization: allocation ratios (a linear program) and A/B tests of channel mixes.

Pure like the rest of the core: arrays and values in, decisions out; no I/O, no clock.
"""
