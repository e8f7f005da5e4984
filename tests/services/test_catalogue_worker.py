"""An upload's parse in a worker process: the same plan as on the loop, file errors back with
their code and limit, and a worker that dies fails only the upload it had."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.desk import CatalogueDesk, UploadPlanned
from services.catalogue.importer import import_catalogue, plan_rows
from services.catalogue.limits import DEFAULT_LIMITS, CatalogueFileError
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.upload import ParsedUpload, parse_upload
from services.catalogue.worker import WORKER_NICENESS, ParseWorker, WorkerFailed, WorkerKind
from tests.fakes.roles import coordinator_of, seeded_hubs

KARIN = 2  # coordinates Västra Götaland
SEED = "id;name;municipality\r\nvg-1;Verkstad vg-1;Borås\r\nsk-1;Verkstad sk-1;Malmö\r\n".encode()
UPLOAD = (
    "id;name;municipality;materials\r\n"
    "vg-1;Verkstad vg-1;Borås;ek\r\n"  # changes
    "vg-2;Ny i Alingsås;Alingsås;björk\r\n"  # new
    "sk-1;Kapad;Malmö;ek\r\n"  # Skåne's: not Karin's
    "bad;Ingenstans;Atlantisstad;ek\r\n"  # no such place
).encode()


@pytest.fixture(scope="module")
def process() -> Iterator[ParseWorker]:
    worker = ParseWorker(WorkerKind.PROCESS)  # one spawned process for the module's tests
    yield worker
    worker.close()


@pytest.fixture
async def sessions(
    session_maker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with session_maker() as session:
        hubs = await seeded_hubs(session)
        await coordinator_of(session, hubs["vastra-gotaland"], KARIN)
        await import_catalogue(read_catalogue_bytes(SEED), session=session, source="seed")
        await session.commit()
    yield session_maker


async def test_a_plan_made_in_a_worker_process_is_the_plan_made_on_the_loop(
    sessions: async_sessionmaker[AsyncSession], process: ParseWorker
) -> None:
    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    results = []
    for worker in (ParseWorker(WorkerKind.INLINE), process):
        desk = CatalogueDesk(sessions, frozenset({1}), worker=worker)
        planned = await desk.plan_upload(user_id=KARIN, data=UPLOAD, source="k.csv", now=now)
        assert isinstance(planned, UploadPlanned) and planned.token is not None
        results.append(planned.report)

    inline, in_process = results
    assert in_process == inline
    assert [(row.external_id, row.outcome.value) for row in in_process.rows] == [
        ("vg-1", "updated"),
        ("vg-2", "created"),
    ]
    assert {(row.line, row.problems[0].code) for row in in_process.rejected} == {
        (4, "other_hub"),
        (5, "place_not_found"),
    }


async def test_the_rows_to_write_come_back_from_the_process_as_planned(
    process: ParseWorker,
) -> None:
    rows = "\r\n".join(["id;namn;kommun"] + [f"v-{n};Verkstad {n};Borås" for n in range(1_200)])
    table = read_catalogue_bytes(rows.encode())
    planned = plan_rows(table, existing=[], source="k.csv")

    parsed = await process.run(
        parse_upload,
        rows.encode(),
        source="k.csv",
        limits=DEFAULT_LIMITS,
        listed=[],
        scope=None,
        with_rows=True,
    )

    assert isinstance(parsed, ParsedUpload)
    assert len(parsed.planned) == 3  # 1,200 rows in batches of 500
    assert await parsed.makers_in() == [item.maker_in for item in planned.makers]
    assert parsed.report == planned.report


async def test_a_file_error_comes_back_from_the_process_with_its_code_and_limit(
    process: ParseWorker,
) -> None:
    rows = "\r\n".join(["namn;kommun"] + [f"Verkstad {n};Borås" for n in range(25_000)])

    error = await process.run(
        parse_upload, rows.encode(), source="k.csv", limits=DEFAULT_LIMITS, listed=[], scope=None
    )

    assert isinstance(error, CatalogueFileError)
    assert (error.code, error.params) == ("too_many_rows", {"limit": "20 000"})
    assert "20 000" in error.reason


async def test_a_worker_process_that_dies_fails_its_job_and_the_next_gets_a_new_process(
    process: ParseWorker,
) -> None:
    with pytest.raises(WorkerFailed):
        await process.run(os._exit, 1)  # as the kernel's OOM killer would end it

    assert await process.run(len, b"still here") == 10


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
async def test_the_worker_process_gives_way_to_the_bot(process: ParseWorker) -> None:
    ours = os.nice(0)

    theirs = await process.run(os.nice, 0)

    assert theirs == min(19, ours + WORKER_NICENESS)
