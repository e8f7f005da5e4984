"""Pure matching core: taxonomy, places, text interpretation and ranking.

This package imports nothing from ``bot``, ``storage`` or ``services`` (a test enforces it):
plain typed values go in, ranked results come out.
"""
