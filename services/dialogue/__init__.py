"""The designer conversation, independent of Telegram: events in, replies out, state in the DB.

``contract`` is what a transport (the Telegram adapter, the terminal chat, tests) sees;
``services.runtime.start_runtime`` builds the
:class:`~services.dialogue.engine.DesignerDialogue` that implements it; ``state.Step`` lists
every step a conversation can be at; the messages are in ``services/data/dialogue.{sv,en}.toml``
(see ``texts``).
"""
