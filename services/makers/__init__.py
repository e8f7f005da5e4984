"""A listed maker keeps their own listing (``/profile``), with their hub's approval.

* :mod:`~services.makers.fields` – the fields a maker edits, how a typed value is read and
  how a value is shown (old → new);
* :mod:`~services.makers.edits` – the edit itself: a draft while the maker types or sends
  photos, a pending change with Approve/Reject buttons for the hub's coordinators, and the
  decision, which applies the change and hands the listing to the running ranking at once
  (a rejected change never reaches it). A coordinator's own edit is applied as submitted;
* :mod:`~services.makers.texts` – the catalogue of what they read.
"""
