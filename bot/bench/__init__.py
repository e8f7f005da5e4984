"""Benchmarks, the fake Bot API and offline runs.

Shipped for ``spok-bot bench``; no product module imports from here
(``tests/test_architecture.py``).
"""
