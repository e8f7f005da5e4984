"""A maker edits their own listing, one field at a time; the hub's coordinators decide.

The steps, each one transaction, with every state in :class:`~storage.models.MakerListingChange`
(nothing in memory, so a restart or a second process changes nothing):

1. **begin** – the maker presses a field's button under /profile (or a coordinator presses
   "Photos" on the desk's card): a ``draft`` row for that field, and the prompt. Any earlier
   draft of the same person is cancelled.
2. **take_text / take_photo** – the next message of someone with a draft (no older than
   :data:`DRAFT_LIFETIME`) is the new value; a value that cannot be read is asked for again.
   Photos collect in the draft (at most three) until "Done" (**finish**).
3. **submit** – the draft becomes ``pending``, an earlier pending change of the same field is
   ``superseded``, and the hub's coordinator chats get old → new with Approve/Reject buttons
   (one :class:`~storage.models.ActionToken` addressed to the hub; the data is
   ``lst:<token>:a`` or ``:r``), through the outbox in the same transaction. Someone who
   coordinates the maker's hub (the desk's photos) is not asked: their change is applied.
4. **decide** (:mod:`services.makers.approval`) – only whoever coordinates the maker's hub
   (or an admin) may press; the first press decides (a conditional update, so two
   coordinators cannot both). Approve sets the fields on the listing, commits, and then
   hands the listing to the running ranking (``index.apply``), as the catalogue import
   does; the maker is told either way.

Until a change is approved the listing, and with it the ranking, is what it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, access_for, log_refusal
from services.hubs.notices import maker_hub_id
from services.makers.approval import decide_change, notify_coordinators
from services.makers.changes import (
    DECIDE_PREFIX,
    DRAFT_PREFIX,
    EDIT_PREFIX,
    EditOutcome,
    ListingIndex,
    Submitted,
    apply_change,
    change_field,
    edit_data,
    new_photos,
    old_and_new,
    parse_decision,
    parse_edit,
    pending_changes,
    shown_value,
)
from services.makers.fields import (
    MAX_DESCRIPTION_CHARS,
    ListingField,
    current_value,
    empty_value,
    read_value,
)
from services.makers.texts import ProfileTexts
from services.messages import Button, Reply, language_for
from storage.models import MAX_MAKER_PHOTOS, ListingChangeStatus, Maker, MakerListingChange

__all__ = [
    "DECIDE_PREFIX",
    "DRAFT_LIFETIME",
    "DRAFT_PREFIX",
    "EDIT_PREFIX",
    "DraftChoice",
    "EditOutcome",
    "ListingEdits",
    "ListingIndex",
    "edit_data",
    "parse_decision",
    "parse_edit",
    "pending_changes",
]

DRAFT_LIFETIME = timedelta(hours=1)  # a draft older than this is no longer waited for


class DraftChoice(StrEnum):
    DONE = "done"  # the photos sent so far are the new photos
    CLEAR = "clear"  # the field is to be emptied
    CANCEL = "cancel"


@dataclass(frozen=True)
class ListingEdits:
    sessions: async_sessionmaker[AsyncSession]
    admin_ids: frozenset[int] = frozenset()
    index: ListingIndex | None = None

    # -- 1. begin --------------------------------------------------------------------------

    async def begin(
        self, *, user_id: int, maker_id: int, field: ListingField, now: datetime, language: str
    ) -> EditOutcome:
        """Start editing ``field`` of the listing: its own maker, or whoever coordinates its
        hub (everyone else is refused and logged)."""
        t = ProfileTexts(language_for(language))
        async with self.sessions() as session:
            access = await self._access(session, user_id)
            maker = await session.get(Maker, maker_id)
            if maker is None or not await self._may_edit(session, access, maker):
                log_refusal(access, "listing_edit", maker_id=maker_id)
                return EditOutcome(notice=t.plain("edit.not_yours"))
            await self._cancel_drafts(session, user_id)
            old = current_value(maker, field)
            draft = MakerListingChange(
                maker_id=maker_id,
                changes={field.value: {"old": old, "new": empty_value(field)}},
                proposed_by=user_id,
                proposed_at=now,
                status=ListingChangeStatus.DRAFT.value,
            )
            session.add(draft)
            prompt = _prompt(t, maker, field, old)
            await session.commit()
        return EditOutcome(replies=(prompt,))

    # -- 2. the value ----------------------------------------------------------------------

    async def take_text(
        self, *, user_id: int, text: str, now: datetime, language: str
    ) -> EditOutcome | None:
        """The person's message as the draft's new value; ``None`` when they have no draft
        (the message is someone else's business)."""
        t = ProfileTexts(language_for(language))
        async with self.sessions() as session:
            draft = await self._draft(session, user_id, now)
            if draft is None:
                return None
            field = change_field(draft)
            if field is ListingField.PHOTOS:
                return EditOutcome(replies=(Reply(t("edit.photos_expected")),))
            reading = read_value(field, text)
            if not reading.ok:
                shown = text if len(text) <= 80 else text[:79] + "…"
                message = t(reading.problem, value=shown, detail=reading.detail)
                return EditOutcome(replies=(Reply(message),))
            outcome = await self._submit(session, draft, reading.value, now, t)
            await session.commit()
        return self._after_commit(outcome)

    async def take_photo(
        self, *, user_id: int, file_id: str, now: datetime, language: str
    ) -> EditOutcome | None:
        """A photo for the draft (up to :data:`MAX_MAKER_PHOTOS`); ``None`` without a draft."""
        t = ProfileTexts(language_for(language))
        async with self.sessions() as session:
            draft = await self._draft(session, user_id, now)
            if draft is None:
                return None
            if change_field(draft) is not ListingField.PHOTOS:
                return EditOutcome(replies=(Reply(t("edit.text_expected")),))
            photos = list(new_photos(draft))
            if len(photos) >= MAX_MAKER_PHOTOS:
                return EditOutcome(replies=(Reply(t("edit.photos_full", max=MAX_MAKER_PHOTOS)),))
            photos.append(file_id)
            draft.changes = _with_new(draft, photos)
            session.add(draft)
            reply = Reply(
                t("edit.photo_added", count=len(photos), max=MAX_MAKER_PHOTOS),
                buttons=_draft_buttons(t, ListingField.PHOTOS),
            )
            await session.commit()
        return EditOutcome(replies=(reply,))

    async def finish(
        self, *, user_id: int, choice: str, now: datetime, language: str
    ) -> EditOutcome:
        """A button under the draft's prompt: Done (the photos sent), Remove, Cancel."""
        t = ProfileTexts(language_for(language))
        async with self.sessions() as session:
            draft = await self._draft(session, user_id, now)
            if draft is None:
                return EditOutcome(notice=t.plain("edit.expired"))
            field = change_field(draft)
            if choice == DraftChoice.CANCEL:
                draft.status = ListingChangeStatus.CANCELLED.value
                session.add(draft)
                await session.commit()
                return EditOutcome(replies=(Reply(t("edit.cancelled")),))
            if choice == DraftChoice.CLEAR:
                value = empty_value(field)
            elif choice == DraftChoice.DONE and field is ListingField.PHOTOS:
                value = list(new_photos(draft))
                if not value:
                    return EditOutcome(notice=t.plain("edit.photos_none"))
            else:
                return EditOutcome(notice=t.plain("edit.expired"))
            outcome = await self._submit(session, draft, value, now, t)
            await session.commit()
        return self._after_commit(outcome)

    # -- 3. submit -------------------------------------------------------------------------

    async def _submit(
        self,
        session: AsyncSession,
        draft: MakerListingChange,
        value: object,
        now: datetime,
        t: ProfileTexts,
    ) -> Submitted:
        maker = await session.get(Maker, draft.maker_id)
        assert maker is not None  # the draft is deleted with its maker
        field = change_field(draft)
        old = current_value(maker, field)
        label = t.plain(f"field.{field.value}")
        if value == old:
            draft.status = ListingChangeStatus.CANCELLED.value
            session.add(draft)
            return Submitted(Reply(t("edit.unchanged")))
        draft.changes = {field.value: {"old": old, "new": value}}
        draft.proposed_at = now
        access = await self._access(session, draft.proposed_by)
        hub_id = await maker_hub_id(session, maker)
        if access.can_coordinate(hub_id):  # the hub's own edit: nobody else to ask
            profile = apply_change(maker, draft, draft.proposed_by, now)
            session.add_all([maker, draft])
            reply = Reply(t("edit.applied", field=label, name=maker.name))
            return Submitted(reply, profile)
        assert maker.id is not None
        for earlier in await pending_changes(session=session, maker_ids=[maker.id]):
            if field.value in earlier.changes:  # its buttons now say "replaced"
                earlier.status = ListingChangeStatus.SUPERSEDED.value
                session.add(earlier)
        draft.status = ListingChangeStatus.PENDING.value
        session.add(draft)
        await session.flush()
        await notify_coordinators(
            session, maker=maker, change=draft, hub_id=hub_id, now=now, admin_ids=self.admin_ids
        )
        return Submitted(Reply(t("edit.sent", field=label)))

    # -- 4. decide -------------------------------------------------------------------------

    async def decide(
        self, *, user_id: int, token: str, choice: str, now: datetime, language: str
    ) -> EditOutcome:
        """A coordinator's Approve or Reject (:func:`services.makers.approval.decide_change`);
        an approved listing reaches the ranking once committed."""
        t = ProfileTexts(language_for(language))
        async with self.sessions() as session:
            access = await self._access(session, user_id)
            outcome = await decide_change(
                session, access=access, token=token, choice=choice, now=now, t=t
            )
            if isinstance(outcome, EditOutcome):
                return outcome
            await session.commit()
        return self._after_commit(outcome)

    # -- helpers ---------------------------------------------------------------------------

    async def _access(self, session: AsyncSession, user_id: int) -> Access:
        return await access_for(session=session, telegram_user_id=user_id, admin_ids=self.admin_ids)

    async def _may_edit(self, session: AsyncSession, access: Access, maker: Maker) -> bool:
        assert maker.id is not None
        if maker.id in access.maker_ids:
            return True
        return access.is_staff and access.can_coordinate(await maker_hub_id(session, maker))

    async def _draft(
        self, session: AsyncSession, user_id: int, now: datetime
    ) -> MakerListingChange | None:
        rows = await session.exec(
            select(MakerListingChange)
            .where(col(MakerListingChange.proposed_by) == user_id)
            .where(col(MakerListingChange.status) == ListingChangeStatus.DRAFT.value)
            .order_by(col(MakerListingChange.id).desc())
            .limit(1)
        )
        draft = rows.first()
        if draft is None or now - draft.proposed_at > DRAFT_LIFETIME:
            return None
        return draft

    async def _cancel_drafts(self, session: AsyncSession, user_id: int) -> None:
        await session.exec(
            update(MakerListingChange)
            .where(col(MakerListingChange.proposed_by) == user_id)
            .where(col(MakerListingChange.status) == ListingChangeStatus.DRAFT.value)
            .values(status=ListingChangeStatus.CANCELLED.value)
            .execution_options(synchronize_session=False)
        )

    def _after_commit(self, submitted: Submitted) -> EditOutcome:
        if submitted.profile is not None and self.index is not None:
            self.index.apply(submitted.profile)
        return EditOutcome(replies=(submitted.reply,))


def _with_new(change: MakerListingChange, value: object) -> dict[str, object]:
    old, _ = old_and_new(change)
    return {change_field(change).value: {"old": old, "new": value}}


def _prompt(t: ProfileTexts, maker: Maker, field: ListingField, old: object) -> Reply:
    current = shown_value(field, old, t.language)
    text = t(
        f"edit.prompt.{field.value}",
        name=maker.name,
        current=current,
        limit=MAX_DESCRIPTION_CHARS,
        max=MAX_MAKER_PHOTOS,
    )
    return Reply(text, buttons=_draft_buttons(t, field))


def _draft_buttons(t: ProfileTexts, field: ListingField) -> tuple[tuple[Button, ...], ...]:
    row = []
    if field is ListingField.PHOTOS:
        row.append(Button(t.plain("edit.button.done"), f"{DRAFT_PREFIX}{DraftChoice.DONE}"))
    row.append(Button(t.plain("edit.button.clear"), f"{DRAFT_PREFIX}{DraftChoice.CLEAR}"))
    row.append(Button(t.plain("edit.button.cancel"), f"{DRAFT_PREFIX}{DraftChoice.CANCEL}"))
    return (tuple(row),)
