"""Telegram's sending limits as one pure decision: may one more message go to this chat now,
and if not, from when?

Telegram allows a bot about 30 messages a second overall, 1 a second to one private chat and
20 a minute to one group (negative chat ids); a reply of a few messages to a person's own
message may come as a short burst. Each limit is a window ("at most ``limit`` sends in any
``period``"), never a token bucket: a bucket that starts full lets a burst of 30 plus a second's
refill through within one second, which is exactly what Telegram answers with 429.

**Where a send counts.** Telegram counts a message at some moment between our request leaving
and its answer coming back, and no process can know which. So a send counts from *before* its
request leaves (when it is granted) until its answer came (``ends_at``), and stays in every
window for a full period after that: a chat's next message is granted only once a whole second
has passed since the previous one's answer, the 31st message of the bot only once one of the
last 30 answers is a second old. Whatever the network, the event loop or another process does
in between, no second at Telegram then holds more than the limit: that is the safety margin,
and it costs each send its own round trip (30 sends a second become 30 per 1 s + round trip).
A send still in flight counts until ``in_flight_for`` (longer than the Bot API client's
timeouts add up to) after it was granted, so a process that died mid-send holds its sends no
longer than that.

Times are seconds on one clock (the database's, when processes share the limits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["MINUTE", "SECOND", "Ask", "Counted", "TelegramLimits", "Verdict", "judge"]

SECOND = 1.0
MINUTE = 60.0


@dataclass(frozen=True)
class TelegramLimits:
    overall_per_second: int = 30
    private_per_second: int = 1  # notifications to one person
    reply_burst: int = 3  # a reply to the person's own message: this many within a second
    group_per_minute: int = 20
    in_flight_for: float = 20.0

    def chat_window(self, chat_id: int, *, reply: bool) -> tuple[int, float]:
        """(limit, period) of ``chat_id``'s own window."""
        if chat_id < 0:  # groups, supergroups and channels
            return self.group_per_minute, MINUTE
        return (self.reply_burst if reply else self.private_per_second), SECOND


@dataclass(frozen=True)
class Ask:
    """One message to ``chat_id``; ``reply``: answering the person's own message."""

    chat_id: int
    reply: bool = False


@dataclass(frozen=True)
class Counted:
    """A send that still counts: finished at ``ends_at``, or ``in_flight`` until then at most."""

    chat_id: int
    ends_at: float
    in_flight: bool = False


@dataclass(frozen=True)
class Verdict:
    """``granted``; or the earliest moment it could be (``ready_at``, never too late: a send in
    flight is assumed to finish now) and whether the chat's own window is what holds it back
    longest (``by_chat``) rather than the overall one or a 429 pause."""

    granted: bool
    ready_at: float
    by_chat: bool = False


def judge(
    limits: TelegramLimits, counted: Iterable[Counted], paused_until: float, ask: Ask, now: float
) -> Verdict:
    """May ``ask`` go at ``now``, given the sends that may still count (any superset will do)?

    >>> limits = TelegramLimits()
    >>> judge(limits, [Counted(42, ends_at=10.2)], 0.0, Ask(42), now=10.5)
    Verdict(granted=False, ready_at=11.2, by_chat=True)
    >>> judge(limits, [Counted(42, ends_at=10.2)], 0.0, Ask(42, reply=True), now=10.5).granted
    True
    """
    sends = list(counted)
    chat_limit, chat_period = limits.chat_window(ask.chat_id, reply=ask.reply)
    overall = _ready(sends, limits.overall_per_second, SECOND, now)
    chat = _ready([s for s in sends if s.chat_id == ask.chat_id], chat_limit, chat_period, now)
    ready = max(overall, chat, paused_until, now)
    if ready <= now:
        return Verdict(granted=True, ready_at=now)
    return Verdict(granted=False, ready_at=ready, by_chat=chat >= max(overall, paused_until))


def _ready(sends: list[Counted], limit: int, period: float, now: float) -> float:
    """When a window of ``limit`` sends in any ``period`` takes one more (``now``: at once).

    A send leaves the window at ``ends_at + period`` (computed once, so "ready at t" and "not in
    the window at t" agree to the last bit). A send in flight has its latest possible end as
    ``ends_at``; for the estimate of *when*, it is taken to end now.
    """
    hot = [s for s in sends if s.ends_at + period > now]
    excess = len(hot) - limit + 1
    if excess <= 0:
        return now
    leaving = sorted((now if s.in_flight and s.ends_at > now else s.ends_at) + period for s in hot)
    return leaving[excess - 1]
