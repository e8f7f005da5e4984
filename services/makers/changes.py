"""The vocabulary of a listing change: its buttons' data, what a change holds and how it is
applied, shared by the edit (:mod:`services.makers.edits`) and the decision
(:mod:`services.makers.approval`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerProfile
from services.makers.fields import ListingField, show_value
from services.messages import Reply
from storage.models import ListingChangeStatus, Maker, MakerListingChange

__all__ = [
    "APPROVE",
    "DECIDE_ACTION",
    "DECIDE_PREFIX",
    "DRAFT_PREFIX",
    "EDIT_PREFIX",
    "MAKER_LANGUAGE",
    "REJECT",
    "EditOutcome",
    "ListingIndex",
    "Submitted",
    "apply_change",
    "change_field",
    "edit_data",
    "new_photos",
    "old_and_new",
    "parse_decision",
    "parse_edit",
    "pending_changes",
    "shown_value",
]

EDIT_PREFIX = "mk:edit:"  # + "<maker id>:<field>": the buttons under /profile
DRAFT_PREFIX = "mk:draft:"  # + a DraftChoice: the buttons under a draft's prompt
DECIDE_PREFIX = "lst:"  # + "<token>:a" or ":r": the coordinators' Approve / Reject
DECIDE_ACTION = "listing.decide"  # ActionToken.action of Approve / Reject
APPROVE, REJECT = "a", "r"
MAKER_LANGUAGE = "sv"  # bot-initiated messages to makers and hubs (as the lifecycle's)
MAX_SHOWN_CHARS = 300


class ListingIndex(Protocol):
    """The running ranking: told about a changed listing after it is committed."""

    def apply(self, maker: MakerProfile) -> None: ...


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """What to show the person: ``replies`` in the chat, ``notice`` as a button's toast."""

    replies: tuple[Reply, ...] = ()
    notice: str = ""


@dataclass(frozen=True, slots=True)
class Submitted:
    """A step that changed something: the reply, and the changed listing for the ranking
    (handed over after the commit)."""

    reply: Reply
    profile: MakerProfile | None = None


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


def change_field(change: MakerListingChange) -> ListingField:
    """The one field a change is about (a change holds one field)."""
    (name,) = change.changes
    return ListingField(name)


def old_and_new(change: MakerListingChange) -> tuple[object, object]:
    values = change.changes[change_field(change).value]
    assert isinstance(values, dict)
    return values.get("old"), values.get("new")


def new_photos(change: MakerListingChange) -> Sequence[str]:
    _, new = old_and_new(change)
    return [str(item) for item in new] if isinstance(new, list) else []


def apply_change(
    maker: Maker, change: MakerListingChange, decided_by: int, now: datetime
) -> MakerProfile:
    """Set the change's new values on the listing and mark it approved; returns the profile
    the ranking is to see once this is committed."""
    for name, values in change.changes.items():
        assert isinstance(values, dict)
        setattr(maker, ListingField(name).attribute, values["new"])
    maker.updated_at = now
    change.status = ListingChangeStatus.APPROVED.value
    change.decided_by = decided_by
    change.decided_at = now
    return maker.to_profile()


def shown_value(field: ListingField, value: object, language: str) -> str:
    """:func:`~services.makers.fields.show_value`, cut to a line or two for a notice."""
    text = show_value(field, value, language)
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"
