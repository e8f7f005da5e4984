"""Where an upload's parse runs: off the event loop, so one coordinator's spreadsheet does not
make every other conversation of the process wait.

A process of its own by default. Reading a spreadsheet, validating and planning its rows is
pure-Python CPU work (python-calamine and the csv module hold the GIL too), so a thread would
take the interpreter from the event loop in 5 ms slices for as long as the parse runs; ``spok-bot
bench upload`` measures the three kinds side by side (see the README's Measured section). The
process is started on the first upload, spawned (never forked from a process with running
threads), at a lower CPU priority than the bot, and kept; if it dies (the system ran out of
memory), the upload it had is answered with :class:`WorkerFailed` and the next one gets a new
process.

One worker at a time: a second upload waits for the first, which bounds the memory uploads can
take to one file's worth whatever the number of coordinators.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

__all__ = ["ParseWorker", "WorkerFailed", "WorkerKind"]

T = TypeVar("T")
WORKER_NICENESS = 10  # added to the worker process's nice value (lower priority)


class WorkerKind(StrEnum):
    PROCESS = "process"  # the bot's
    THREAD = "thread"  # shares the GIL with the event loop; tests that hold a parse use it
    INLINE = "inline"  # on the event loop itself, as before: the benchmark's baseline


class WorkerFailed(Exception):
    """The worker process died while it had the job (out of memory, killed)."""


class ParseWorker:
    def __init__(self, kind: WorkerKind = WorkerKind.PROCESS) -> None:
        self.kind = kind
        self._executor: Executor | None = None

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` in the worker (for a process: a module-level function
        whose arguments and result pickle). Raises what it raises, or :class:`WorkerFailed`."""
        call = partial(function, *args, **kwargs)
        if self.kind is WorkerKind.INLINE:
            return call()
        executor = self._started()
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, call)
        except BrokenProcessPool:
            if self._executor is executor:
                self._executor = None
            executor.shutdown(wait=False)
            raise WorkerFailed from None

    def close(self) -> None:
        """Stop the worker; a parse it is running finishes in the background, unawaited."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def _started(self) -> Executor:
        if self._executor is None:
            if self.kind is WorkerKind.PROCESS:
                self._executor = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_warm_up,
                )
            else:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload")
        return self._executor


def _warm_up() -> None:
    """Give way to the bot, and import what a parse uses once, when the process starts."""
    if hasattr(os, "nice"):
        # A parse is batch work: where cores are few or busy, the bot's process (people
        # waiting for an answer) gets the CPU first. A separate process is what makes this
        # possible; a thread shares its process's priority.
        os.nice(WORKER_NICENESS)
    import services.catalogue.upload  # noqa: F401
