"""A maker edits their own listing, one field at a time; the hub's coordinators decide.

The steps, each one transaction, with every state in :class:`~storage.models.MakerListingChange`
(nothing in memory, so a restart or a second process changes nothing):

1. **begin** – the maker presses a field's button under /profile (or a coordinator presses
   "Photos" on the desk's card): a ``draft`` row for that field, and the prompt. Any earlier
   draft of the same person is cancelled.
2. **take_text / take_photo** – the next message of someone with a draft (no older than
   :data:`DRAFT_LIFETIME`) is the new value; a value that cannot be read is asked for again.
   Photos collect in the draft until "Done" (**finish**) or the third photo.
3. **submit** – the draft becomes ``pending``, an earlier pending change of the same field is
   ``superseded``, and the hub's coordinator chats get old → new with Approve/Reject buttons
   (one :class:`~storage.models.ActionToken` addressed to the hub; the data is
   ``lst:<token>:a`` or ``:r``), through the outbox in the same transaction. Someone who
   coordinates the maker's hub (the desk's photos) is not asked: their change is applied.
4. **decide** – only whoever coordinates the maker's hub (or an admin) may press; the first
   press decides (a conditional update, so two coordinators cannot both). Approve sets the
   fields on the listing, commits, and then hands the listing to the running ranking
   (``index.apply``), as the catalogue import does; the maker is told either way.

Until a change is approved the listing, and with it the ranking, is what it was.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile
from services.hubs.access import Access, access_for, log_refusal
from services.hubs.notices import maker_hub_id, new_token, notify_hub
from services.makers.fields import (
    MAX_DESCRIPTION_CHARS,
    ListingField,
    current_value,
    empty_value,
    read_value,
    show_value,
)
from services.makers.texts import ProfileTexts
from services.messages import Button, Reply, language_for
from services.outbox import enqueue
from storage.models import (
    MAX_MAKER_PHOTOS,
    ActionToken,
    ListingChangeStatus,
    Maker,
    MakerListingChange,
)

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

log = logging.getLogger(__name__)

EDIT_PREFIX = "mk:edit:"  # + "<maker id>:<field>": the buttons under /profile
DRAFT_PREFIX = "mk:draft:"  # + a DraftChoice: the buttons under a draft's prompt
DECIDE_PREFIX = "lst:"  # + "<token>:a" or ":r": the coordinators' Approve / Reject
DECIDE_ACTION = "listing.decide"
APPROVE, REJECT = "a", "r"
DRAFT_LIFETIME = timedelta(hours=1)  # a draft older than this is no longer waited for
NOTICE_KIND = "listing_change"
DECISION_KIND = "listing_change_decided"
MAKER_LANGUAGE = "sv"  # bot-initiated messages to makers and hubs (as the lifecycle's)


class ListingIndex(Protocol):
    """The running ranking: told about a changed listing after it is committed."""

    def apply(self, maker: MakerProfile) -> None: ...


class DraftChoice(StrEnum):
    DONE = "done"  # the photos sent so far are the new photos
    CLEAR = "clear"  # the field is to be emptied
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """What to show the person: ``replies`` in the chat, ``notice`` as a button's toast."""

    replies: tuple[Reply, ...] = ()
    notice: str = ""


def edit_data(maker_id: int, field: ListingField) -> str:
    return f"{EDIT_PREFIX}{maker_id}:{field.value}"


def parse_edit(data: str) -> tuple[int, ListingField] | None:
    """``(maker id, field)`` from an edit button's data, ``None`` for anything else."""
    maker_id, _, field = data.removeprefix(EDIT_PREFIX).partition(":")
    if not data.startswith(EDIT_PREFIX) or not maker_id.isdigit():
        return None
    try:
        return int(maker_id), ListingField(field)
    except ValueError:
        return None


def parse_decision(data: str) -> tuple[str, str] | None:
    """``(token, choice)`` from an Approve/Reject button's data, ``None`` for anything else."""
    token, _, choice = data.removeprefix(DECIDE_PREFIX).partition(":")
    if not data.startswith(DECIDE_PREFIX) or not token or len(token) > 32:
        return None
    return (token, choice) if choice in (APPROVE, REJECT) else None


async def pending_changes(
    *, session: AsyncSession, maker_ids: Collection[int]
) -> list[MakerListingChange]:
    """The changes of these listings still waiting for a coordinator, oldest first."""
    rows = await session.exec(
        select(MakerListingChange)
        .where(col(MakerListingChange.maker_id).in_(list(maker_ids)))
        .where(col(MakerListingChange.status) == ListingChangeStatus.PENDING.value)
        .order_by(col(MakerListingChange.proposed_at), col(MakerListingChange.id))
    )
    return list(rows.all())


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
            field = _field(draft)
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
            if _field(draft) is not ListingField.PHOTOS:
                return EditOutcome(replies=(Reply(t("edit.text_expected")),))
            photos = list(_new(draft))
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
            field = _field(draft)
            if choice == DraftChoice.CANCEL:
                draft.status = ListingChangeStatus.CANCELLED.value
                session.add(draft)
                await session.commit()
                return EditOutcome(replies=(Reply(t("edit.cancelled")),))
            if choice == DraftChoice.CLEAR:
                value = empty_value(field)
            elif choice == DraftChoice.DONE and field is ListingField.PHOTOS:
                value = list(_new(draft))
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
    ) -> _Submitted:
        maker = await session.get(Maker, draft.maker_id)
        assert maker is not None  # the draft is deleted with its maker
        field = _field(draft)
        old = current_value(maker, field)
        label = t.plain(f"field.{field.value}")
        if value == old:
            draft.status = ListingChangeStatus.CANCELLED.value
            session.add(draft)
            return _Submitted(Reply(t("edit.unchanged")))
        draft.changes = {field.value: {"old": old, "new": value}}
        draft.proposed_at = now
        access = await self._access(session, draft.proposed_by)
        hub_id = await maker_hub_id(session, maker)
        if access.can_coordinate(hub_id):  # the hub's own edit: nobody else to ask
            profile = _apply(maker, draft, draft.proposed_by, now)
            session.add_all([maker, draft])
            reply = Reply(t("edit.applied", field=label, name=maker.name))
            return _Submitted(reply, profile)
        assert maker.id is not None
        for earlier in await pending_changes(session=session, maker_ids=[maker.id]):
            if field.value in earlier.changes:  # its buttons now say "replaced"
                earlier.status = ListingChangeStatus.SUPERSEDED.value
                session.add(earlier)
        draft.status = ListingChangeStatus.PENDING.value
        session.add(draft)
        await session.flush()
        await self._notify_hub(session, maker, draft, hub_id, now)
        return _Submitted(Reply(t("edit.sent", field=label)))

    async def _notify_hub(
        self,
        session: AsyncSession,
        maker: Maker,
        change: MakerListingChange,
        hub_id: int | None,
        now: datetime,
    ) -> None:
        assert change.id is not None
        hub = ProfileTexts(MAKER_LANGUAGE)
        field = _field(change)
        values = change.changes[field.value]
        assert isinstance(values, dict)
        token = new_token(
            session,
            action=DECIDE_ACTION,
            now=now,
            maker_id=maker.id,
            hub_id=hub_id,
            listing_change_id=change.id,
        )
        key = f"listing-change:{change.id}"
        if field is ListingField.PHOTOS:  # the photos to judge, each with a caption
            photos = values["new"] if isinstance(values["new"], list) else []
            for number, file_id in enumerate(photos, start=1):
                caption = hub("change.photo", name=maker.name, number=number, count=len(photos))
                await notify_hub(
                    session,
                    hub_id=hub_id,
                    reply=Reply(caption, photo_file_id=str(file_id)),
                    kind=NOTICE_KIND,
                    key=f"{key}:photo:{number}",
                    now=now,
                    admin_ids=self.admin_ids,
                )
        text = hub(
            "change.notice",
            name=maker.name,
            external_id=maker.external_id,
            field=hub.plain(f"field.{field.value}"),
            old=_shown(field, values["old"], MAKER_LANGUAGE),
            new=_shown(field, values["new"], MAKER_LANGUAGE),
        )
        buttons = (
            (
                Button(hub.plain("change.button.approve"), f"{DECIDE_PREFIX}{token}:{APPROVE}"),
                Button(hub.plain("change.button.reject"), f"{DECIDE_PREFIX}{token}:{REJECT}"),
            ),
        )
        await notify_hub(
            session,
            hub_id=hub_id,
            reply=Reply(text, buttons=buttons),
            kind=NOTICE_KIND,
            key=key,
            now=now,
            admin_ids=self.admin_ids,
        )

    # -- 4. decide -------------------------------------------------------------------------

    async def decide(
        self, *, user_id: int, token: str, choice: str, now: datetime, language: str
    ) -> EditOutcome:
        """A coordinator's Approve or Reject. Anyone else is refused (and logged); a change
        already decided or replaced by a newer one changes nothing."""
        t = ProfileTexts(language_for(language))
        async with self.sessions() as session:
            access = await self._access(session, user_id)
            row = (
                await session.exec(select(ActionToken).where(col(ActionToken.token) == token))
            ).first()
            if row is None or row.action != DECIDE_ACTION or row.listing_change_id is None:
                log_refusal(access, "listing_decision", token="unknown")
                return EditOutcome(notice=t.plain("change.press.unknown"))
            change = await session.get(MakerListingChange, row.listing_change_id)
            maker = await session.get(Maker, row.maker_id) if row.maker_id is not None else None
            if change is None or maker is None:
                return EditOutcome(notice=t.plain("change.press.unknown"))
            if not access.can_coordinate(await maker_hub_id(session, maker)):
                log_refusal(access, "listing_decision", change_id=change.id)
                return EditOutcome(notice=t.plain("change.press.not_allowed"))
            if change.status == ListingChangeStatus.SUPERSEDED:
                return EditOutcome(notice=t.plain("change.press.superseded"))
            approve = choice == APPROVE
            status = ListingChangeStatus.APPROVED if approve else ListingChangeStatus.REJECTED
            decided = await session.exec(
                update(MakerListingChange)
                .where(col(MakerListingChange.id) == change.id)
                .where(col(MakerListingChange.status) == ListingChangeStatus.PENDING.value)
                .values(status=status.value, decided_by=user_id, decided_at=now)
                .execution_options(synchronize_session=False)
            )
            if not decided.rowcount:  # decided already, by this press or another's
                return EditOutcome(notice=t.plain("change.press.decided"))
            await session.exec(
                update(ActionToken)
                .where(col(ActionToken.id) == row.id)
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            field = _field(change)
            label = t.plain(f"field.{field.value}")
            profile = None
            if approve:
                profile = _apply(maker, change, user_id, now)
                session.add(maker)
            await self._tell_maker(session, maker, change, approve, now)
            key = "change.approved" if approve else "change.rejected"
            reply = Reply(t(key, field=label, name=maker.name))
            log.info("listing change %s %s by user %s", change.id, status.value, user_id)
            await session.commit()
        return self._after_commit(_Submitted(reply, profile))

    async def _tell_maker(
        self,
        session: AsyncSession,
        maker: Maker,
        change: MakerListingChange,
        approved: bool,
        now: datetime,
    ) -> None:
        t = ProfileTexts(MAKER_LANGUAGE)
        field = _field(change)
        values = change.changes[field.value]
        assert isinstance(values, dict)
        key = "change.maker_approved" if approved else "change.maker_rejected"
        text = t(
            key,
            field=t.plain(f"field.{field.value}"),
            name=maker.name,
            new=_shown(field, values["new"], MAKER_LANGUAGE),
        )
        await enqueue(
            session=session,
            chat_id=change.proposed_by,  # a private chat's id is the person's user id
            recipient_user_id=change.proposed_by,
            reply=Reply(text),
            kind=DECISION_KIND,
            now=now,
            dedupe_key=f"listing-change-decided:{change.id}",
        )

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

    def _after_commit(self, submitted: _Submitted) -> EditOutcome:
        if submitted.profile is not None and self.index is not None:
            self.index.apply(submitted.profile)
        return EditOutcome(replies=(submitted.reply,))


@dataclass(frozen=True, slots=True)
class _Submitted:
    reply: Reply
    profile: MakerProfile | None = None  # the changed listing, for the ranking after commit


def _field(change: MakerListingChange) -> ListingField:
    (name,) = change.changes
    return ListingField(name)


def _new(change: MakerListingChange) -> Sequence[str]:
    values = change.changes[_field(change).value]
    new = values.get("new") if isinstance(values, dict) else None
    return [str(item) for item in new] if isinstance(new, list) else []


def _with_new(change: MakerListingChange, value: object) -> dict[str, object]:
    field = _field(change)
    values = change.changes[field.value]
    old = values.get("old") if isinstance(values, dict) else None
    return {field.value: {"old": old, "new": value}}


def _apply(
    maker: Maker, change: MakerListingChange, decided_by: int, now: datetime
) -> MakerProfile:
    """Set the change's new values on the listing; the profile the ranking is to see."""
    for name, values in change.changes.items():
        assert isinstance(values, dict)
        setattr(maker, ListingField(name).attribute, values["new"])
    maker.updated_at = now
    change.status = ListingChangeStatus.APPROVED.value
    change.decided_by = decided_by
    change.decided_at = now
    return maker.to_profile()


def _shown(field: ListingField, value: object, language: str) -> str:
    text = show_value(field, value, language)
    return text if len(text) <= 300 else text[:299] + "…"


def _prompt(t: ProfileTexts, maker: Maker, field: ListingField, old: object) -> Reply:
    current = _shown(field, old, t.language)
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
