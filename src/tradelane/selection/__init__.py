"""Channel selection: which channel carries each order, which back it up, and why.

Pure core (no I/O, no clock). `engine.Selector` is the readable scalar reference;
`batch.assign_batch` is the vectorized engine for floods of orders and gives the same answers.
"""
