"""The Telegram transport: updates in, :mod:`services.dialogue.contract` events to the dialogue,
its replies rendered back. Nothing here decides anything about the conversation."""
