"""``spok-bot bench upload``: a designer's update latency while a coordinator's large file is
being handled, beside the same designers with nothing uploaded, in one run.

A real ``Application`` runs on :class:`~bot.bench.offline.RecordingRequest` (Bot API calls
answered at once) with the real dialogue and catalogue desk on a scratch database seeded with
the demo catalogue. N simulated designers walk the scripted request over and over (a new
person each walk), pausing a think time between updates. Timed per designer update: from
``process_update`` starting to its last reply being sent, labelled by what was going on when it
started: nothing (idle), or an admin's upload of one of the files of
:mod:`bot.bench.upload_files`: a 100,000-row CSV, an XLSX zip bomb, a valid XLSX just within
the limits (each sent ``repeats`` times in a row, and more until ``min_updates`` designer
updates started during it, so a short one is seen by enough of them); then (``apply``)
pressing Apply under that last one's dry run, which writes some 20,000 makers.

Each worker kind runs on a database of its own: ``inline`` (the parse on the event loop, as
before), ``thread`` and ``process`` (the bot's). The acceptance: a designer's p95 while a file's
upload is handled within twice the idle p95 of the same kind.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.bench.bot import percentile, scratch_postgres
from bot.bench.offline import BOT_USER, RecordingRequest, running_offline
from bot.bench.scripted import JourneyError, Sent, SimulatedPerson, designer_journey, play
from bot.bench.upload_files import large_xlsx, rows_csv, zip_bomb_xlsx
from services.catalogue.worker import ParseWorker, WorkerKind
from services.hubs.registry import SEED_HUBS
from services.runtime import start_runtime

TOKEN = "1:bench-token-never-sent"
ADMIN_ID = 7_000
ACCEPTED_RATIO = 2.0  # p95 while a file is handled, over the idle p95
IDLE = "idle"
APPLY = "Apply under the last dry run"


@dataclass(frozen=True)
class BenchFile:
    label: str
    name: str  # the document's file name
    make: Callable[[], bytes]


FILES: tuple[BenchFile, ...] = (
    BenchFile("100,000-row CSV", "katalog.csv", lambda: rows_csv(100_000)),
    BenchFile("XLSX zip bomb (1 GiB inflated)", "katalog.xlsx", zip_bomb_xlsx),
    BenchFile("XLSX near the limits", "stor-katalog.xlsx", large_xlsx),
)


@dataclass(frozen=True)
class PhaseResult:
    worker: str  # "inline", "thread" or "process"
    phase: str  # "idle", a file's label, or "apply"
    file_bytes: int
    answer: str  # what the coordinator was answered (first line, shortened)
    handled_s: float  # the upload's (or Apply's) own handling time, median of its repeats
    updates: int  # designer updates that started in this phase
    median_ms: float
    p95_ms: float
    p95_ratio: float  # over the idle p95 of the same worker kind
    failed: int  # designers' journeys that broke off with an error in this phase

    @property
    def accepted(self) -> bool:
        """No designer failed, and while a file was parsed their p95 stayed within the ratio
        (Apply writes some 20,000 makers, no parse: reported, not judged by the ratio)."""
        if self.failed:
            return False
        return self.phase in (IDLE, APPLY) or self.p95_ratio <= ACCEPTED_RATIO


def as_dict(result: PhaseResult) -> dict[str, Any]:
    return {**asdict(result), "accepted": result.accepted, "accepted_ratio": ACCEPTED_RATIO}


class _Designers:
    """Designers walking the scripted request until stopped; each update's latency is kept
    under the phase it started in."""

    def __init__(self, app: Application, request: RecordingRequest, think_ms: float) -> None:
        self.app, self.request, self.think_ms = app, request, think_ms
        self.phase = IDLE
        self.latencies: dict[str, list[float]] = {}
        self.failed: dict[str, int] = {}  # journeys that broke off, by phase
        self._stop = asyncio.Event()
        self._ids = itertools.count(100_000)

    async def run(self, count: int) -> None:
        self._stop.clear()
        await asyncio.gather(*(self._walk_until_stopped(n) for n in range(count)))

    def stop(self) -> None:
        self._stop.set()

    async def _walk_until_stopped(self, number: int) -> None:
        pauses = random.Random(number)
        while not self._stop.is_set():
            language = "sv" if number % 2 == 0 else "en"
            person = SimulatedPerson(next(self._ids), language_code=language, first_name="Bo")
            try:
                await play(person, designer_journey(language), self._deliverer(person, pauses),
                           language=language)  # fmt: skip
            except _Stopped:
                return
            except JourneyError:  # answered "something went wrong": counted, the next walks
                self.failed[self.phase] = self.failed.get(self.phase, 0) + 1

    def _deliverer(self, person: SimulatedPerson, pauses: random.Random) -> Any:
        async def deliver(update: dict[str, Any], expect: str) -> list[Sent]:
            if self.think_ms > 0:
                await asyncio.sleep(self.think_ms * pauses.uniform(0.5, 1.5) / 1000)
            if self._stop.is_set():
                raise _Stopped
            mark = len(self.request.calls)
            phase, started = self.phase, time.perf_counter()
            await self.app.process_update(Update.de_json(update, self.app.bot))
            elapsed = (time.perf_counter() - started) * 1000
            self.latencies.setdefault(phase, []).append(elapsed)
            return [
                Sent(c.params.get("text") or c.params.get("caption", ""),
                     c.params.get("reply_markup"))
                for c in self.request.calls[mark:]
                if c.method in ("sendMessage", "sendPhoto")
                and c.params.get("chat_id") == person.user_id
            ]  # fmt: skip

        return deliver


class _Stopped(Exception):
    pass


async def bench_worker(
    database_url: str,
    kind: WorkerKind,
    *,
    designers: int,
    think_ms: float,
    idle_s: float,
    repeats: int,
    min_updates: int,
    files: Sequence[tuple[BenchFile, bytes]],
    apply: bool,
) -> list[PhaseResult]:
    """Every phase with one worker kind, on one (scratch) database."""
    runtime = await start_runtime(
        database_url,
        seed_demo_if_empty=True,
        hubs=SEED_HUBS,
        admin_ids={ADMIN_ID},
        parse_worker=ParseWorker(kind),
    )
    admin = SimulatedPerson(ADMIN_ID, language_code="en", first_name="Ada")
    handled: dict[str, list[float]] = {}
    answers: dict[str, str] = {}
    async with running_offline(runtime, token=TOKEN) as (app, request):
        crowd = _Designers(app, request, think_ms)
        warm = await _upload(app, request, admin, "warm-up.csv", rows_csv(10))  # starts a worker
        assert warm.dry_run is not None, warm.answer
        walking = asyncio.create_task(crowd.run(designers))
        await asyncio.sleep(idle_s)  # the idle phase: designers only, for a while
        last = None
        for bench_file, data in files:
            done = 0
            while done < repeats or len(crowd.latencies.get(bench_file.label, [])) < min_updates:
                done += 1
                crowd.phase = bench_file.label
                started = time.perf_counter()
                last = await _upload(app, request, admin, bench_file.name, data)
                handled.setdefault(bench_file.label, []).append(time.perf_counter() - started)
                crowd.phase = IDLE
                answers[bench_file.label] = last.answer
        if apply and last is not None and last.dry_run is not None:
            crowd.phase = APPLY
            started = time.perf_counter()
            answers[APPLY] = await _press_apply(app, request, admin, last)
            handled[APPLY] = [time.perf_counter() - started]
            crowd.phase = IDLE
        crowd.stop()
        await walking
    await runtime.close()
    idle = crowd.latencies.get(IDLE, [])
    idle_p95 = percentile(idle, 0.95) if idle else float("nan")
    sizes = {bench_file.label: len(data) for bench_file, data in files}
    results = [_result(kind, IDLE, 0, "", [0.0], idle, idle_p95, crowd.failed.get(IDLE, 0))]
    for phase, times in handled.items():
        size = sizes.get(phase, 0)
        latencies = crowd.latencies.get(phase, [])
        failed = crowd.failed.get(phase, 0)
        results.append(
            _result(kind, phase, size, answers[phase], times, latencies, idle_p95, failed)
        )
    return results


def _result(
    kind: WorkerKind,
    phase: str,
    size: int,
    answer: str,
    handled: list[float],
    latencies: list[float],
    idle_p95: float,
    failed: int,
) -> PhaseResult:
    p95 = percentile(latencies, 0.95) if latencies else float("nan")
    return PhaseResult(
        worker=kind.value,
        phase=phase,
        file_bytes=size,
        answer=answer,
        handled_s=statistics.median(handled),
        updates=len(latencies),
        median_ms=statistics.median(latencies) if latencies else float("nan"),
        p95_ms=p95,
        p95_ratio=p95 / idle_p95 if idle_p95 else float("nan"),
        failed=failed,
    )


@dataclass(frozen=True)
class _Uploaded:
    answer: str  # the first line of the bot's first answer
    document: dict[str, Any]  # the document message
    dry_run: str | None  # the Apply button's data, when there is something to apply


_file_ids = itertools.count(1)


async def _upload(
    app: Application,
    request: RecordingRequest,
    admin: SimulatedPerson,
    name: str,
    data: bytes,
) -> _Uploaded:
    file_id = f"bench-file-{next(_file_ids)}"
    request.files[file_id] = data
    document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name}
    update = admin.message(document={**document, "file_size": len(data)})
    mark = len(request.calls)
    await app.process_update(Update.de_json(update, app.bot))
    answers = [
        c
        for c in request.calls[mark:]
        if c.method == "sendMessage" and c.params.get("chat_id") == admin.user_id
    ]
    request.files.pop(file_id)
    first = answers[0].params["text"] if answers else "(no answer)"
    apply = None
    for call in answers:
        markup = call.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            apply = markup["inline_keyboard"][0][0]["callback_data"]
    if apply is not None:
        request.files[file_id] = data  # Apply downloads the document again
    return _Uploaded(first.splitlines()[0][:120], update["message"], apply)


async def _press_apply(
    app: Application,
    request: RecordingRequest,
    admin: SimulatedPerson,
    uploaded: _Uploaded,
) -> str:
    assert uploaded.dry_run is not None
    report = {
        "message_id": 900_000,
        "date": int(time.time()),
        "chat": admin.chat(),
        "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
        "text": "…",
        "reply_to_message": uploaded.document,
    }
    mark = len(request.calls)
    await app.process_update(Update.de_json(admin.press(uploaded.dry_run, report), app.bot))
    answers = [
        c.params["text"]
        for c in request.calls[mark:]
        if c.method == "sendMessage" and c.params.get("chat_id") == admin.user_id
    ]
    return (answers[0] if answers else "(no answer)").splitlines()[0][:120]


@asynccontextmanager
async def _scratch_sqlite() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="spok-bench-") as folder:
        yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"


async def bench_upload(
    database: str,
    *,
    postgres_url: str,
    kinds: Sequence[WorkerKind],
    designers: int,
    think_ms: float,
    idle_s: float,
    repeats: int,
    min_updates: int,
    apply: bool,
    report: Callable[[list[PhaseResult]], None] = lambda _: None,
    bench_files: Sequence[BenchFile] = FILES,
) -> list[PhaseResult]:
    """Every worker kind in turn, each on a scratch database of its own (``database``:
    "sqlite" or "postgresql"); ``report`` gets each kind's results as they come."""
    files = [(bench_file, bench_file.make()) for bench_file in bench_files]
    results: list[PhaseResult] = []
    for kind in kinds:
        scratch = _scratch_sqlite() if database == "sqlite" else scratch_postgres(postgres_url)
        async with scratch as url:
            found = await bench_worker(
                url,
                kind,
                designers=designers,
                think_ms=think_ms,
                idle_s=idle_s,
                repeats=repeats,
                min_updates=min_updates,
                files=files,
                apply=apply,
            )
        report(found)
        results += found
    return results


def lines(results: Sequence[PhaseResult]) -> list[str]:
    out = []
    for r in results:
        if r.phase == IDLE:
            out.append(
                f"{r.worker:<8} {'idle':<32} {r.updates:>5} updates | designer median "
                f"{r.median_ms:6.1f} ms, p95 {r.p95_ms:6.1f} ms"
                + (f" | {r.failed} journeys FAILED" if r.failed else "")
            )
            continue
        size = f", {r.file_bytes / 1e6:.1f} MB" if r.file_bytes else ""
        verdict = "met" if r.accepted else "MISSED"
        judged = f" (<= {ACCEPTED_RATIO:g}x: {verdict})" if r.phase != APPLY else ""
        out.append(
            f"{r.worker:<8} {r.phase:<32} {r.updates:>5} updates | designer median "
            f"{r.median_ms:6.1f} ms, p95 {r.p95_ms:6.1f} ms = {r.p95_ratio:4.1f}x idle{judged}"
            f" | handled in {r.handled_s:5.2f} s{size}"
            + (f" | {r.failed} journeys FAILED" if r.failed else "")
        )
        out.append(f"{'':<8} {'':<32} answer: {r.answer}")
    return out
