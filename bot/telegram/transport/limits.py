"""Telegram's sending limits as a next-allowed-time scheduler with an injectable clock.

Telegram allows a bot about 30 messages per second overall, 1 per second to one private chat
and 20 per minute to one group (negative chat ids). Each limit is a sliding window ("at most
``limit`` sends in any ``period``"), not a token bucket: a bucket that starts full lets a burst
of 30 plus a second's refill through within one second, which is exactly what Telegram answers
with 429. Times are plain seconds from the caller's clock, so tests move time by hand.

We keep this instead of PTB's ``AIORateLimiter`` because the sender must *know* when a chat is
next allowed — to hand a row back to the database with that time rather than sit on it while
other chats wait — and because ``aiolimiter`` runs on the event loop's clock, which a test
cannot move forward without sleeping.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

__all__ = ["RateLimits", "SlidingWindow"]


@dataclass
class SlidingWindow:
    """At most ``limit`` events in any ``period`` seconds.

    >>> window = SlidingWindow(limit=2, period=1.0)
    >>> window.record(0.0); window.record(0.5)
    >>> window.ready_at(0.6)
    1.0
    """

    limit: int
    period: float

    def __post_init__(self) -> None:
        self._times: deque[float] = deque()

    def ready_at(self, now: float) -> float:
        """The earliest time (≥ ``now``) one more event fits."""
        self._forget(now)
        if len(self._times) < self.limit:
            return now
        return max(now, self._times[-self.limit] + self.period)

    def record(self, at: float) -> None:
        self._times.append(at)

    def idle_since(self, now: float) -> bool:
        self._forget(now)
        return not self._times

    def _forget(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()


class RateLimits:
    """The overall, per-private-chat and per-group windows, and a pause after a 429."""

    # Windows of chats not written to within their period are dropped past this many.
    _PRUNE_ABOVE = 2_000

    def __init__(
        self,
        *,
        overall_per_second: int = 30,
        private_per_second: int = 1,
        group_per_minute: int = 20,
        enabled: bool = True,
    ) -> None:
        self.enabled = enabled
        self._overall = SlidingWindow(overall_per_second, 1.0)
        self._private_per_second = private_per_second
        self._group_per_minute = group_per_minute
        self._chats: dict[int, SlidingWindow] = {}
        self._paused_until = 0.0

    def ready_at(self, chat_id: int, now: float) -> float:
        """When one more message may go to ``chat_id`` (``now`` if at once)."""
        if not self.enabled:
            return now
        chat = self._chats.get(chat_id)
        chat_ready = chat.ready_at(now) if chat is not None else now
        return max(now, self._paused_until, self._overall.ready_at(now), chat_ready)

    def chat_ready_at(self, chat_id: int, now: float) -> float:
        """When ``chat_id``'s own limit (not the overall one) allows one more message."""
        chat = self._chats.get(chat_id)
        return chat.ready_at(now) if chat is not None and self.enabled else now

    def record(self, chat_id: int, at: float) -> None:
        """A message went to ``chat_id`` at ``at``."""
        if not self.enabled:
            return
        self._overall.record(at)
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) > self._PRUNE_ABOVE:
                self._prune(at)
            chat = self._window_for(chat_id)
            self._chats[chat_id] = chat
        chat.record(at)

    def pause_until(self, until: float) -> None:
        """Telegram said 429: nothing goes out before ``until`` (flood control is per bot)."""
        self._paused_until = max(self._paused_until, until)

    def _window_for(self, chat_id: int) -> SlidingWindow:
        if chat_id < 0:  # groups, supergroups and channels
            return SlidingWindow(self._group_per_minute, 60.0)
        return SlidingWindow(self._private_per_second, 1.0)

    def _prune(self, now: float) -> None:
        for chat_id in [c for c, window in self._chats.items() if window.idle_since(now)]:
            del self._chats[chat_id]
