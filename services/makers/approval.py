"""The hub's side of a listing change: the notice with Approve/Reject, and the decision.

A submitted change reaches every coordinator chat of the maker's hub through the outbox (in
the transaction that submitted it): old → new, photos each as a photo first, and two buttons
sharing one :class:`~storage.models.ActionToken` addressed to the hub (``hub_id``; a hub group
chat may hold people who are not coordinators, so the press itself is checked). Only whoever
coordinates the maker's hub now, or an admin, may decide; the first press decides, through an
update conditional on the change still pending, so two coordinators cannot both. The maker is
told either way, through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, log_refusal
from services.hubs.notices import maker_hub_id, new_token, notify_hub
from services.makers.changes import (
    APPROVE,
    DECIDE_ACTION,
    DECIDE_PREFIX,
    MAKER_LANGUAGE,
    REJECT,
    EditOutcome,
    Submitted,
    apply_change,
    change_field,
    new_photos,
    old_and_new,
    shown_value,
)
from services.makers.fields import ListingField
from services.makers.texts import ProfileTexts
from services.messages import Button, Reply
from services.outbox import enqueue
from storage.models import ActionToken, ListingChangeStatus, Maker, MakerListingChange

__all__ = ["DECISION_KIND", "NOTICE_KIND", "decide_change", "notify_coordinators"]

log = logging.getLogger(__name__)

NOTICE_KIND = "listing_change"
DECISION_KIND = "listing_change_decided"


async def notify_coordinators(
    session: AsyncSession,
    *,
    maker: Maker,
    change: MakerListingChange,
    hub_id: int | None,
    now: datetime,
    admin_ids: Collection[int],
) -> None:
    """Queue the change's notice (and its photos) for the hub's coordinator chats."""
    assert change.id is not None
    t = ProfileTexts(MAKER_LANGUAGE)
    field = change_field(change)
    old, new = old_and_new(change)
    token = new_token(
        session,
        action=DECIDE_ACTION,
        now=now,
        maker_id=maker.id,
        hub_id=hub_id,
        listing_change_id=change.id,
    )
    key = f"listing-change:{change.id}"
    photos = new_photos(change) if field is ListingField.PHOTOS else []
    for number, file_id in enumerate(photos, start=1):  # the photos to judge, captioned
        caption = t("change.photo", name=maker.name, number=number, count=len(photos))
        await notify_hub(
            session,
            hub_id=hub_id,
            reply=Reply(caption, photo_file_id=file_id),
            kind=NOTICE_KIND,
            key=f"{key}:photo:{number}",
            now=now,
            admin_ids=admin_ids,
        )
    text = t(
        "change.notice",
        name=maker.name,
        external_id=maker.external_id,
        field=t.plain(f"field.{field.value}"),
        old=shown_value(field, old, MAKER_LANGUAGE),
        new=shown_value(field, new, MAKER_LANGUAGE),
    )
    buttons = (
        (
            Button(t.plain("change.button.approve"), f"{DECIDE_PREFIX}{token}:{APPROVE}"),
            Button(t.plain("change.button.reject"), f"{DECIDE_PREFIX}{token}:{REJECT}"),
        ),
    )
    await notify_hub(
        session,
        hub_id=hub_id,
        reply=Reply(text, buttons=buttons),
        kind=NOTICE_KIND,
        key=key,
        now=now,
        admin_ids=admin_ids,
    )


async def decide_change(
    session: AsyncSession,
    *,
    access: Access,
    token: str,
    choice: str,
    now: datetime,
    t: ProfileTexts,
) -> EditOutcome | Submitted:
    """Approve (``choice`` :data:`APPROVE`) or reject the change the token names. A refusal,
    or a change already decided or replaced, is an :class:`EditOutcome` with a notice and
    changes nothing; a decision is :class:`Submitted` (with the listing's new profile when
    approved). Does not commit."""
    row = (await session.exec(select(ActionToken).where(col(ActionToken.token) == token))).first()
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
        .values(status=status.value, decided_by=access.user_id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    if not decided.rowcount:  # decided already, by an earlier press or another coordinator
        return EditOutcome(notice=t.plain("change.press.decided"))
    await session.exec(
        update(ActionToken)
        .where(col(ActionToken.id) == row.id)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    profile = None
    if approve:
        profile = apply_change(maker, change, access.user_id, now)
        session.add_all([maker, change])
    await _tell_maker(session, maker, change, approve, now)
    label = t.plain(f"field.{change_field(change).value}")
    key = "change.approved" if approve else "change.rejected"
    log.info("listing change %s %s by user %s", change.id, status.value, access.user_id)
    return Submitted(Reply(t(key, field=label, name=maker.name)), profile)


async def _tell_maker(
    session: AsyncSession,
    maker: Maker,
    change: MakerListingChange,
    approved: bool,
    now: datetime,
) -> None:
    t = ProfileTexts(MAKER_LANGUAGE)
    field = change_field(change)
    _, new = old_and_new(change)
    key = "change.maker_approved" if approved else "change.maker_rejected"
    text = t(
        key,
        field=t.plain(f"field.{field.value}"),
        name=maker.name,
        new=shown_value(field, new, MAKER_LANGUAGE),
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
