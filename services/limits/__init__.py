"""Telegram's sending limits, held by every bot process on one database (no Telegram code).

* :mod:`.rules`: the limits and the one pure decision (30 a second overall, 1 a second to a
  person — a reply to their own message may burst — 20 a minute to a group, a 429's pause),
  and why a send counts from before it leaves until a period after its answer;
* :mod:`.stores`: where the sends that still count live — this process's memory (SQLite, one
  process) or the database every process shares (PostgreSQL);
* :mod:`.limiter`: :class:`SendLimiter`, the small interface both the outbox sender and the
  bot's direct replies call (acquire a slot, send, release it; share a 429).
"""

from services.limits.limiter import (
    Busy,
    LimitsUnavailable,
    NoLimits,
    SendLimiter,
    SendSlots,
    Slot,
    held_for,
    holding,
    wait_for_slot,
)
from services.limits.rules import TelegramLimits

__all__ = [
    "Busy",
    "LimitsUnavailable",
    "NoLimits",
    "SendLimiter",
    "SendSlots",
    "Slot",
    "TelegramLimits",
    "held_for",
    "holding",
    "wait_for_slot",
]
