"""Data access functions: keyword-only, given a session, never committing.

The service that calls them owns the transaction (``async with session.begin(): ...`` or an
explicit ``await session.commit()``).
"""
