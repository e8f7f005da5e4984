"""A clock the tests move: ``sleep`` moves it forward at once (no test waits in real time)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
        await asyncio.sleep(0)

    def seconds(self) -> float:
        """Seconds since ``T0``."""
        return (self.current - T0).total_seconds()
