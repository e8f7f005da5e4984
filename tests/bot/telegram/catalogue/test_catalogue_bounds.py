"""An upload's bounds, through the real Application: a file too big by its download when
Telegram did not say its size, each read limit answered with which limit and what to do, a
worker that died, and the event loop answering others while a parse runs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.bench.upload_files import rows_csv, zip_bomb_xlsx
from bot.telegram.catalogue.handlers import MAX_UPLOAD_BYTES
from bot.telegram.catalogue.texts import desk_text
from services.catalogue import desk as desk_module
from services.catalogue.messages import reason
from services.catalogue.worker import ParseWorker, WorkerFailed
from tests.bot.telegram.catalogue.catalogue_support import (
    BAD_FILE,
    KARIN,
    SAM,
    Clock,
    DeskRuntime,
    buttons,
    desk_runtime,
    fixed_clock,
    texts_to,
)
from tests.bot.telegram.conftest import feed, running_bot


@pytest.fixture
async def runtime(session_maker: async_sessionmaker[AsyncSession]) -> DeskRuntime:
    return await desk_runtime(session_maker)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


def _too_big(language: str) -> str:
    return desk_text("upload.too_big", language, limit=MAX_UPLOAD_BYTES // (1024 * 1024))


async def test_a_file_without_a_reported_size_is_measured_after_download(
    runtime: DeskRuntime,
) -> None:
    big = BAD_FILE + b"x" * MAX_UPLOAD_BYTES  # over the limit by the size of BAD_FILE
    async with running_bot(runtime) as (app, request):
        request.files["unsized"] = big
        await feed(app, KARIN.document("unsized", file_name="katalog.csv"))  # no file_size
        request.files["fine"] = BAD_FILE
        await feed(app, KARIN.document("fine", file_name="katalog.csv"))

    too_big, dry_run = texts_to(request, KARIN.user_id)
    assert too_big == _too_big("sv")
    assert "5 rader" in dry_run  # a file of a size that is fine, unreported too, is read


async def test_a_file_too_big_by_its_reported_size_is_not_even_downloaded(
    runtime: DeskRuntime,
) -> None:
    async with running_bot(runtime) as (app, request):
        request.files["huge"] = BAD_FILE
        await feed(app, KARIN.document("huge", file_name="k.csv", file_size=MAX_UPLOAD_BYTES + 1))

    assert texts_to(request, KARIN.user_id) == [_too_big("sv")]
    assert not request.sent("downloadFile", "getFile")


def _file_reason(code: str, **params: str) -> str:
    return reason("file", code, params, "sv")


@pytest.mark.parametrize(
    ("make", "file_name", "code", "params"),
    [
        (lambda: rows_csv(100_000), "katalog.csv", "too_many_rows", {"limit": "20 000"}),
        (zip_bomb_xlsx, "katalog.xlsx", "too_large", {"limit": "50"}),
    ],
    ids=["100000-row-csv", "zip-bomb-xlsx"],
)
async def test_a_file_over_a_read_limit_is_answered_with_the_limit_and_what_to_do(
    runtime: DeskRuntime,
    make: Callable[[], bytes],
    file_name: str,
    code: str,
    params: dict[str, str],
) -> None:
    data = make()
    assert len(data) < MAX_UPLOAD_BYTES  # small enough to be sent: the reader must bound it
    async with running_bot(runtime) as (app, request):
        request.files["big"] = data
        await feed(app, KARIN.document("big", file_name=file_name, file_size=len(data)))

    (answer,) = texts_to(request, KARIN.user_id)
    assert _file_reason(code, **params) in answer
    assert params["limit"] in answer
    assert not [c for c in request.sent() if buttons(c)]  # nothing to apply


async def test_an_upload_whose_worker_died_is_answered_and_the_bot_goes_on(
    runtime: DeskRuntime,
) -> None:
    class DyingWorker(ParseWorker):
        async def run(self, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
            raise WorkerFailed

    runtime.parse_worker = DyingWorker()
    async with running_bot(runtime) as (app, request):
        request.files["k"] = BAD_FILE
        await feed(app, KARIN.document("k", file_name="katalog.csv", file_size=len(BAD_FILE)))
        await feed(app, SAM.text("hej"))

    assert _file_reason("interrupted") in texts_to(request, KARIN.user_id)[0]
    assert texts_to(request, SAM.user_id) == ["dialogue"]


async def test_the_bot_answers_others_while_an_upload_is_being_parsed(
    runtime: DeskRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = asyncio.get_running_loop()
    parsing = asyncio.Event()
    release = threading.Event()
    real_parse = desk_module.parse_upload

    def held_parse(*args: Any, **kwargs: Any) -> Any:
        loop.call_soon_threadsafe(parsing.set)
        # Held until the test has been answered meanwhile. The timeout only keeps a parse that
        # blocks the loop (which could never be released) from hanging the suite: it then
        # finishes first and the assertions below fail.
        release.wait(timeout=30)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(desk_module, "parse_upload", held_parse)
    async with running_bot(runtime) as (app, request):
        request.files["k"] = BAD_FILE
        document = KARIN.document("k", file_name="katalog.csv", file_size=len(BAD_FILE))
        upload = asyncio.create_task(feed(app, document))
        await parsing.wait()

        await feed(app, SAM.text("hej"))  # a designer, while the parse is held

        assert texts_to(request, SAM.user_id) == ["dialogue"]
        assert not upload.done() and texts_to(request, KARIN.user_id) == []
        release.set()
        await upload
    assert "5 rader" in texts_to(request, KARIN.user_id)[0]
