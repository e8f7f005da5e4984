"""Persistence: SQLModel tables, the async engine, Alembic migrations and repositories.

Depends on ``matching`` for its value types only; nothing here knows about Telegram.
"""
