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
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile
from services.catalogue.columns import Column
from services.catalogue.exporter import Sheet, catalogue_bytes, table_bytes
from services.catalogue.importer import ImportPlan, RowScope, apply_import, plan_import
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
    CatalogueTable,
    ReadLimits,
    read_catalogue_bytes,
)
from services.catalogue.report import ImportReport, Outcome
from services.catalogue.tokens import DeskRefusal, HubMap, claim, issue, token_row
from services.catalogue.validation import Problem
from services.hubs.access import Access, access_for, log_refusal
from services.hubs.invites import DEFAULT_INVITE_DAYS
from storage.models import Hub, Maker, MakerCreate, OutreachEntry
from storage.repositories.hubs import list_hubs
from storage.repositories.makers import list_makers

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
            try:
                table = read_catalogue_bytes(data, name=source, limits=self.limits)
            except CatalogueFileError as error:
                return error
            plan = await self._plan(session, access, table, source)
            token = await self._upload_token(session, access, plan, now)
            await session.commit()
        return UploadPlanned(plan.report, token)

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
        it is called only for the token's own, unspent Apply."""
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
        async with self.sessions() as session:
            access = await self.access(session, user_id)
            row = await token_row(
                session, token=token, action_prefix=UPLOAD_ACTION, access=access, now=now
            )
            if isinstance(row, DeskRefusal):
                return row
            if not await claim(session, row, now):
                return DeskRefusal.USED
            if data is None:
                await session.commit()
                return DeskRefusal.FILE_GONE
            try:
                table = read_catalogue_bytes(data, name=source, limits=self.limits)
            except CatalogueFileError as error:
                await session.commit()
                return error
            plan = await self._plan(session, access, table, source)
            if UPLOAD_ACTION + _fingerprint(plan) != row.action:
                fresh = await self._upload_token(session, access, plan, now)
                await session.commit()
                return UploadPlanned(plan.report, fresh, replanned=True)
            report = await apply_import(plan, session=session)  # commits
            await self._tell_index(session, report)
        return UploadDone(report)

    async def _plan(
        self, session: AsyncSession, access: Access, table: CatalogueTable, source: str
    ) -> ImportPlan:
        hubs = HubMap(await list_hubs(session=session))
        scope = None if access.is_admin else _own_hubs_only(access, hubs)
        return await plan_import(table, session=session, source=source, scope=scope)

    async def _upload_token(
        self, session: AsyncSession, access: Access, plan: ImportPlan, now: datetime
    ) -> str | None:
        report = plan.report
        if not (report.count(Outcome.CREATED) or report.count(Outcome.UPDATED)):
            return None
        return await issue(
            session, action=UPLOAD_ACTION + _fingerprint(plan), user_id=access.user_id, now=now
        )

    async def _tell_index(self, session: AsyncSession, report: ImportReport) -> None:
        changed = {row.external_id for row in report.rows if row.outcome is not Outcome.UNCHANGED}
        if self.index is None or not changed:
            return
        makers = await session.exec(select(Maker).where(col(Maker.external_id).in_(changed)))
        for maker in makers.all():
            self.index.apply(maker.to_profile())

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


def _own_hubs_only(access: Access, hubs: HubMap) -> RowScope:
    """Rejects a row whose maker is another hub's, or whose place would make it one."""

    def refuse(maker_in: MakerCreate, existing: Maker | None) -> Problem | None:
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

    return refuse


def _fingerprint(plan: ImportPlan) -> str:
    """What applying the plan would write and reject, in 80 bits: equal plans, equal prints."""
    content = {
        "makers": [
            [item.result.outcome.value, item.maker_in.model_dump(mode="json")]
            for item in plan.makers
        ],
        "rejected": [[row.line, [p.code for p in row.problems]] for row in plan.report.rejected],
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


def _label(access: Access, hubs: Sequence[Hub]) -> str:
    if access.is_admin:
        return "alla"
    slugs = sorted(hub.slug for hub in hubs if hub.id in access.coordinator_hub_ids)
    return "-".join(slugs) or "katalog"
