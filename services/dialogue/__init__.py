"""The designer conversation, independent of Telegram: events in, replies out, state in the DB.

``contract`` is what a transport (the Telegram adapter, the terminal chat, tests) sees.
"""
