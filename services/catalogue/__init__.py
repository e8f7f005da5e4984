"""Maker catalogue spreadsheets: read, validate, plan, apply (import) and export.

One code path serves the ``spok-bot makers import`` command, ``spok-bot demo seed`` and the
coordinators' document upload in Telegram (which shows the dry-run plan before applying it).
"""
