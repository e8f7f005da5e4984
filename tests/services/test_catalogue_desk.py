"""Which rows of an upload a coordinator may write: their hubs' makers, by the listing's own
hub or else its county; a maker cannot be moved into (or created in) another hub's area."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.desk import CatalogueDesk, UploadPlanned
from services.catalogue.importer import import_catalogue
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.tokens import DeskRefusal
from services.catalogue.worker import ParseWorker, WorkerKind
from storage.repositories.makers import get_maker_by_external_id
from tests.fakes.roles import coordinator_of, seeded_hubs

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
KARIN = 2  # coordinates Västra Götaland
SEED = (
    "id;name;municipality\r\nvg-1;Verkstad vg-1;Borås\r\npinned;Skånsk men väst;Malmö\r\n"
).encode()


async def _desk(session_maker: async_sessionmaker[AsyncSession]) -> CatalogueDesk:
    async with session_maker() as session:
        hubs = await seeded_hubs(session)
        await coordinator_of(session, hubs["vastra-gotaland"], KARIN)
        await import_catalogue(read_catalogue_bytes(SEED), session=session, source="seed")
        pinned = await get_maker_by_external_id(session=session, external_id="pinned")
        assert pinned is not None
        pinned.hub_id = hubs["vastra-gotaland"].id  # the hub set on the listing wins
        session.add(pinned)
        await session.commit()
    return CatalogueDesk(session_maker, frozenset({1}), worker=ParseWorker(WorkerKind.INLINE))


async def test_rows_are_the_hub_of_the_listing_or_of_its_place(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    desk = await _desk(session_maker)
    upload = (
        "id;name;municipality\r\n"
        "vg-1;Flyttad till Lund;Lund\r\n"  # would move Västra Götaland's maker into Skåne
        "pinned;Skånsk men väst;Ystad\r\n"  # pinned to Västra Götaland: Karin's wherever it is
        "vg-2;Ny i Alingsås;Alingsås\r\n"
    ).encode()
    planned = await desk.plan_upload(user_id=KARIN, data=upload, source="k.csv", now=NOW)
    assert isinstance(planned, UploadPlanned) and planned.token is not None
    report = planned.report
    assert [(row.external_id, row.outcome.value) for row in report.rows] == [
        ("pinned", "updated"),
        ("vg-2", "created"),
    ]
    ((line, problem),) = [(r.line, p) for r in report.rejected for p in r.problems]
    assert (line, problem.code, problem.column.value, dict(problem.params)) == (
        2,
        "other_hub",
        "municipality",
        {"hub": "SPOK Skåne"},
    )


async def test_only_staff_may_upload(session_maker: async_sessionmaker[AsyncSession]) -> None:
    desk = await _desk(session_maker)
    refused = await desk.plan_upload(user_id=99, data=SEED, source="k.csv", now=NOW)
    assert refused is DeskRefusal.NOT_STAFF
