"""The coordinators' catalogue desk in the chat: a spreadsheet upload shown as a dry run and
applied on confirmation, the export, and the hub's outreach log.

The upload goes through the same importer as ``spok-bot makers import`` (read, then
``services.catalogue.importer.plan_import`` and ``apply_import``), with one addition: a
coordinator may only write their own hubs' makers. A row belongs to the
hub of its listing (``Maker.hub_id`` when set, else the hub covering the county of its
municipality, as :func:`services.hubs.registry.hub_of_maker`); a row for another hub's maker,
or one that would create or move a maker into another hub's area, is rejected with its line like
any other invalid row. Admins may import everything, as the command line does.

Nothing of the plan is kept between the dry run and Apply except a fingerprint of it, stored in
the Apply button's token: Apply fetches the uploaded document again (the transport knows where),
plans again and applies only if the new plan is the one shown. If the catalogue changed in
between (an import by someone else, a maker pausing themselves), the new plan is shown with
fresh buttons instead, so Apply never writes something nobody saw. Changed listings are handed
to the running matchmaker after the commit.

Reading and planning a file (both times) is CPU work and runs in the desk's worker
(:mod:`services.catalogue.worker`, a process in the bot) on a snapshot of the catalogue read
just before (:mod:`services.catalogue.upload`); the database is read and written here, on the
event loop, in short steps.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile
from services.catalogue.columns import Column
from services.catalogue.exporter import Sheet, catalogue_bytes, table_bytes
from services.catalogue.importer import applied_report
from services.catalogue.outreach import (
    OutreachDraft,
    OutreachSyntaxError,
    export_rows,
    list_outreach,
    log_outreach,
    municipality_of,
    parse_outreach,
)
from services.catalogue.reader import (
    DEFAULT_LIMITS,
    CatalogueFileError,
    CatalogueFormat,
    ReadLimits,
)
from services.catalogue.report import ImportReport, Outcome
from services.catalogue.tokens import DeskRefusal, HubMap, claim, issue, token_row
from services.catalogue.upload import ParsedUpload, parse_upload
from services.catalogue.validation import Problem
from services.catalogue.worker import ParseWorker, WorkerFailed
from services.hubs.access import Access, access_for, log_refusal
from services.hubs.invites import DEFAULT_INVITE_DAYS
from storage.models import ActionToken, Hub, Maker, MakerCreate, OutreachEntry
from storage.repositories.hubs import list_hubs
from storage.repositories.makers import compare_makers, list_makers, maker_values, write_makers

__all__ = [
    "UPLOAD_ACTION",
    "CatalogueDesk",
    "ExportFile",
    "ListingIndex",
    "OutreachLogged",
    "UploadChoice",
    "UploadDone",
    "UploadPlanned",
]

INDEX_BATCH = 10  # listings handed to the matchmaker between two turns of the event loop
UPLOAD_ACTION = "cat.upload:"  # + the plan's fingerprint (20 hex digits; the column holds 32)
OUTREACH_SHEET = "Kontaktade"


class ListingIndex(Protocol):
    """The running matchmaker: told about a changed listing after it is committed."""

    def apply(self, maker: MakerProfile) -> None: ...


class UploadChoice:
    APPLY = "a"
    CANCEL = "c"


@dataclass(frozen=True, slots=True)
class UploadPlanned:
    """A dry run: ``token`` is the Apply/Cancel buttons' (``None`` when nothing would change);
    ``replanned`` when it replaces a plan the catalogue has overtaken."""

    report: ImportReport
    token: str | None
    replanned: bool = False


@dataclass(frozen=True, slots=True)
class UploadDone:
    """Applied (``report``) or cancelled (``report`` is ``None``)."""

    report: ImportReport | None


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    content: bytes
    rows: int


@dataclass(frozen=True, slots=True)
class OutreachLogged:
    entry: OutreachEntry
    created: bool
    hub_name: str


@dataclass(frozen=True)
class CatalogueDesk:
    sessions: async_sessionmaker[AsyncSession]
    admin_ids: frozenset[int] = frozenset()
    index: ListingIndex | None = None
    invite_lifetime: timedelta = timedelta(days=DEFAULT_INVITE_DAYS)
    limits: ReadLimits = DEFAULT_LIMITS  # how much of an uploaded file is read at most
    # Where an upload is read and planned: never on the event loop in the bot (see worker.py).
    worker: ParseWorker = field(kw_only=True)

    async def access(self, session: AsyncSession, user_id: int) -> Access:
        return await access_for(session=session, telegram_user_id=user_id, admin_ids=self.admin_ids)

    async def is_staff(self, user_id: int) -> bool:
        """A coordinator or an admin: whether the desk is theirs at all."""
        async with self.sessions() as session:
            return (await self.access(session, user_id)).is_staff

    # -- upload ------------------------------------------------------------------------------

    async def plan_upload(
        self, *, user_id: int, data: bytes, source: str, now: datetime
    ) -> UploadPlanned | DeskRefusal | CatalogueFileError:
        """The dry run of an uploaded spreadsheet, with Apply/Cancel for its uploader."""
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            if not access.is_staff:
                log_refusal(access, "catalogue_upload")
                return DeskRefusal.NOT_STAFF
        parsed = await self._parse(access, data, source)
        if isinstance(parsed, CatalogueFileError):
            return parsed
        async with self.sessions() as session:
            token = await self._upload_token(session, access, parsed, now)
            await session.commit()
        return UploadPlanned(parsed.report, token)

    async def press_upload(
        self,
        *,
        user_id: int,
        token: str,
        choice: str,
        fetch: Callable[[], Awaitable[bytes | None]],
        source: str,
        now: datetime,
    ) -> UploadPlanned | UploadDone | DeskRefusal | CatalogueFileError:
        """Apply or Cancel under a dry run. ``fetch`` gets the document again (``None``: gone);
        it is called only for the token's own, unspent Apply, and the file is planned afresh
        (in the worker) before the token is spent, so Apply writes only the plan it showed."""
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            row = await token_row(
                session, token=token, action_prefix=UPLOAD_ACTION, access=access, now=now
            )
            if isinstance(row, DeskRefusal):
                return row
            if choice != UploadChoice.APPLY:
                if not await claim(session, row, now):
                    return DeskRefusal.USED
                await session.commit()
                return UploadDone(None)
        data = await fetch()
        parsed = None
        if data is not None:
            parsed = await self._parse(access, data, source, with_rows=True)
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            row = await token_row(
                session, token=token, action_prefix=UPLOAD_ACTION, access=access, now=now
            )
            if isinstance(row, DeskRefusal):
                return row
            # The plan's rows are written before the button is spent, in the same transaction
            # (if someone spent it meanwhile, nothing is kept). On SQLite the write lock is
            # held from the first write to the commit: reading the current rows and preparing
            # the statements' values come first, so the lock lasts about as long as the
            # database takes to write, not a turn of the event loop per row.
            writes = None
            if isinstance(parsed, ParsedUpload) and _is_shown(parsed, row):
                makers_in = await parsed.makers_in()
                writes = await compare_makers(session=session, makers_in=makers_in)
                await write_makers(session=session, writes=writes)
            if not await claim(session, row, now):
                return DeskRefusal.USED  # rolled back: the other press writes the same plan
            if parsed is None:
                await session.commit()
                return DeskRefusal.FILE_GONE
            if isinstance(parsed, CatalogueFileError):
                await session.commit()
                return parsed
            if writes is None:  # the catalogue changed since the dry run: show the new plan
                fresh = await self._upload_token(session, access, parsed, now)
                await session.commit()
                return UploadPlanned(parsed.report, fresh, replanned=True)
            await session.commit()
            report = applied_report(parsed.report, writes.outcomes)
            await self._tell_index(session, report)
        return UploadDone(report)

    async def _parse(
        self, access: Access, data: bytes, source: str, *, with_rows: bool = False
    ) -> ParsedUpload | CatalogueFileError:
        """Read and plan ``data`` in the worker, against the catalogue as it is now (with the
        rows to write, for Apply, if ``with_rows``)."""
        async with self.sessions() as session:
            hubs = HubMap(await list_hubs(session=session))
            listed = await maker_values(session=session)
        scope = None if access.is_admin else OwnHubsOnly(access, hubs)
        try:
            return await self.worker.run(
                parse_upload,
                data,
                source=source,
                limits=self.limits,
                listed=listed,
                scope=scope,
                with_rows=with_rows,
            )
        except WorkerFailed:
            return CatalogueFileError("interrupted")

    async def _upload_token(
        self, session: AsyncSession, access: Access, parsed: ParsedUpload, now: datetime
    ) -> str | None:
        report = parsed.report
        if not (report.count(Outcome.CREATED) or report.count(Outcome.UPDATED)):
            return None
        return await issue(
            session, action=UPLOAD_ACTION + parsed.fingerprint, user_id=access.user_id, now=now
        )

    async def _tell_index(self, session: AsyncSession, report: ImportReport) -> None:
        """Hand the changed listings to the running matchmaker, a batch at a time with the
        event loop free in between: indexing one takes most of a millisecond, so a whole
        catalogue at once would stall every conversation for seconds."""
        changed = [row.external_id for row in report.rows if row.outcome is not Outcome.UNCHANGED]
        if self.index is None:
            return
        for start in range(0, len(changed), INDEX_BATCH):
            batch = changed[start : start + INDEX_BATCH]
            makers = await session.exec(select(Maker).where(col(Maker.external_id).in_(batch)))
            for maker in makers.all():
                self.index.apply(maker.to_profile())
            await asyncio.sleep(0)

    # -- export ------------------------------------------------------------------------------

    async def export(
        self, *, user_id: int, fmt: CatalogueFormat, today: date, language: str = "sv"
    ) -> list[ExportFile] | DeskRefusal:
        """The makers of the person's hubs (an admin's: all) and the hubs' outreach log: one
        workbook with two sheets, or two CSV files (a CSV holds one table); headers and
        statuses in ``language`` ("sv" or "en"), the cells in the coordinators' words."""
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            if not access.is_staff:
                log_refusal(access, "catalogue_export")
                return DeskRefusal.NOT_STAFF
            hubs = HubMap(await list_hubs(session=session))
            makers = [
                maker
                for maker in await list_makers(session=session)
                if access.can_coordinate(hubs.of_maker(maker).id)
            ]
            hub_ids = None if access.is_admin else access.coordinator_hub_ids
            entries = await list_outreach(session=session, hub_ids=hub_ids, limit=None)
        names = {hub.id: hub.name for hub in hubs.hubs if hub.id is not None}
        outreach = export_rows(entries, names)
        label = _label(access, hubs.hubs)
        name = f"spok-{label}-{today.isoformat()}"
        if fmt is CatalogueFormat.XLSX:
            sheets: Sequence[Sheet] = [(OUTREACH_SHEET, outreach)]
            content = catalogue_bytes(makers, fmt, language=language, extra_sheets=sheets)
            return [ExportFile(f"{name}.xlsx", content, len(makers))]
        return [
            ExportFile(f"{name}.csv", catalogue_bytes(makers, fmt, language=language), len(makers)),
            ExportFile(
                f"{name}-kontaktade.csv",
                table_bytes(outreach, fmt, title=OUTREACH_SHEET),
                len(outreach) - 1,
            ),
        ]

    # -- the outreach log --------------------------------------------------------------------

    async def add_outreach(
        self, *, user_id: int, text: str, now: datetime
    ) -> OutreachLogged | DeskRefusal | OutreachSyntaxError:
        """``company; place; material; outcome; note; date`` into the log of the person's hub
        (with several hubs, or as an admin: the hub of the place)."""
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            if not access.is_staff:
                log_refusal(access, "outreach_log")
                return DeskRefusal.NOT_STAFF
            try:
                draft = parse_outreach(text)
            except OutreachSyntaxError as error:
                return error
            hub = await self._outreach_hub(session, access, draft)
            if hub is None or hub.id is None:
                return OutreachSyntaxError("hub", draft.place)
            entry, created = await log_outreach(
                session=session, hub_id=hub.id, draft=draft, created_by=user_id, now=now
            )
            await session.commit()
        return OutreachLogged(entry, created, hub.name)

    async def find_outreach(self, *, user_id: int, query: str) -> list[OutreachEntry] | DeskRefusal:
        """The hubs' outreach entries like ``query`` (empty: the latest)."""
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            if not access.is_staff:
                log_refusal(access, "outreach_search")
                return DeskRefusal.NOT_STAFF
            hub_ids = None if access.is_admin else access.coordinator_hub_ids
            return await list_outreach(session=session, hub_ids=hub_ids, query=query)

    async def _outreach_hub(
        self, session: AsyncSession, access: Access, draft: OutreachDraft
    ) -> Hub | None:
        hubs = HubMap(await list_hubs(session=session))
        if len(access.coordinator_hub_ids) == 1 and not access.is_admin:
            return hubs.by_id(next(iter(access.coordinator_hub_ids)))
        code = municipality_of(draft.place)
        if code is None:
            return None
        hub = hubs.of_place(code)
        return hub if access.can_coordinate(hub.id) else None


@dataclass(frozen=True, slots=True)
class OwnHubsOnly:
    """Rejects a row whose maker is another hub's, or whose place would make it one (a class,
    not a closure, so it pickles into the worker process)."""

    access: Access
    hubs: HubMap

    def __call__(self, maker_in: MakerCreate, existing: Maker | None) -> Problem | None:
        access, hubs = self.access, self.hubs
        if existing is not None:
            current = hubs.of_maker(existing)
            if not access.can_coordinate(current.id):
                return Problem(Column.ID, "other_hub", maker_in.external_id, {"hub": current.name})
            if existing.hub_id is not None:  # pinned to its hub: a new place does not move it
                return None
        target = hubs.of_place(maker_in.municipality_code)
        if not access.can_coordinate(target.id):
            return Problem(
                Column.MUNICIPALITY, "other_hub", maker_in.place_name, {"hub": target.name}
            )
        return None


def _is_shown(parsed: ParsedUpload, row: ActionToken) -> bool:
    """Whether the plan is the one the dry run under the button showed."""
    return row.action == UPLOAD_ACTION + parsed.fingerprint


def _label(access: Access, hubs: Sequence[Hub]) -> str:
    if access.is_admin:
        return "alla"
    slugs = sorted(hub.slug for hub in hubs if hub.id in access.coordinator_hub_ids)
    return "-".join(slugs) or "katalog"
