"""Use cases between the bot edge and the storage/matching layers.

Services own their transactions and are shared by the Telegram handlers and the command line.
"""
