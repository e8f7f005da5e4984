"""A listed maker keeps their own listing (``/profile``), with their hub's approval.

* :mod:`~services.makers.fields` – the fields a maker edits, how a typed value is read and
  how a value is shown (old → new);
* :mod:`~services.makers.edits` – the edit itself (:class:`ListingEdits`): a draft while the
  maker types or sends photos, then a pending change; a coordinator's own edit is applied as
  submitted;
* :mod:`~services.makers.approval` – the hub's side: the notice with Approve/Reject, and the
  decision, which applies the change and hands the listing to the running ranking at once (a
  rejected or replaced change never reaches it);
* :mod:`~services.makers.changes` – what both share: button data, applying a change;
* :mod:`~services.makers.texts` – the catalogue of what makers and coordinators read.
"""
