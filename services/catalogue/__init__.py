"""Maker catalogue spreadsheets: read, validate, plan, apply (import) and export.

One code path serves the ``spok-bot makers import`` command, ``spok-bot demo seed`` and the
coordinators' document upload in Telegram (which shows the dry-run plan before applying it):

- ``reader`` turns a file's bytes (XLSX, ODS, CSV) into rows, within ``limits.ReadLimits``,
  after ``archive`` has checked a zip-based file's sizes and sheets before any parser sees it;
- ``validation`` rejects rows nobody could read and notes the rest (``defaults`` adapts the
  place index and the matching core's word knowledge);
- ``renames`` finds a listed maker renamed in a sheet without ids;
- ``importer`` plans and applies, ``report`` says what happened (text and ``--json``);
- ``exporter`` writes the catalogue back in the coordinators' words, Swedish or English;
- ``messages`` words it all, from ``services/data/catalogue.{sv,en}.toml``.
"""
