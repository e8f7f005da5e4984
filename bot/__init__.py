"""The application edge: Telegram handlers, terminal chat and the ``spok-bot`` command line."""
