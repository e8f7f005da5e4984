"""The designer conversation, independent of Telegram: events in, replies out, state in the DB.

``contract`` is what a transport (the Telegram adapter, the terminal chat, tests) sees;
``services.runtime.start_runtime`` builds the
:class:`~services.dialogue.engine.DesignerDialogue` that implements it; ``state.Step`` lists
every step a conversation can be at; the messages are in ``services/data/dialogue.{sv,en}.toml``
(see ``texts``).

Finding a step
--------------
Search for its ``Step`` member (``Step.RADIUS``): every step is found in the same three
places:

* what it shows: the table in ``prompts.PromptTurn.show`` (a one-line prompt inline, a
  longer one in ``show_<step>`` beside it);
* what a button press does: the ``step is Step.X`` branch of ``flow.Turn.on_action``;
* what typed text, a photo or a location does: the branch of ``flow.Turn.on_text`` (or
  ``on_photo`` / ``on_location``); the skip words of optional steps are ``flow.SKIPPABLE``.

The results (search, paging, picks, saving) live together in ``results``, the commands that
work at every step in ``commands``, /privacy in ``privacy``. The complete brief's steps
(``DEADLINE``, ``BUDGET``, ``ATTACH``, ``ATTACH_CONSENT``, ``NUDGE``) are found the same way,
but their ``show_<step>`` and what their answers do live together in ``briefs`` (files and
their kinds and limits in ``attachments``), which the table and the branches call.

Why the steps are not one class each
------------------------------------
Issue 11 asked for each step in one place if that could be had without a rewrite. It cannot:
a step's prompt and its answer share one mutable turn -- the locked conversation, the session
of the update's transaction, the draft, the replies being built, the language -- and most
answers move to another step and show *its* prompt in the same turn (``go``), skip ahead when
the description already told (``after_description``), or return from a detour (``resume``).
One class per step would either pass the whole turn to every step (the same coupling, spread
over 24 files) or need a rewrite of the flow as data. Instead a step's whole behaviour is
three search hits away; the layers of the turn (``turn`` → ``results`` → ``briefs`` →
``prompts`` → ``commands`` → ``flow``) each add one kind of work, not one step.
"""
