"""A designer's rights over their data: see exactly what is stored, take it as a file, erase it.

:func:`stored_about` reads everything kept about one designer (profile, consent, requests,
introductions, check-in answers); :func:`export_json` is the same as a file. :func:`erase`
removes the personal data and the free text but keeps the anonymised facts (dates, materials,
municipality, volume stages, outcomes), so statistics and funder reports already handed in do
not change:

* the designer's row is deleted (name, company, email, phone, org number, consent, language);
* each request loses its link to them, its text and photo, and its exact position (a shared
  location becomes its municipality's centre); its date, hub, materials, processes, stage,
  quantity, municipality, radius and status stay;
* introductions and their outcomes stay; who pressed what (their Telegram id on events), the
  relays that were open for them, their button tokens and the queued or sent messages about
  them (:func:`services.introductions.forget_designer`) go; their check-ins not yet sent are
  cancelled, their answers stay as outcomes.

Deleted bytes can outlive a transaction inside the database files; :func:`scrub_after_erase`
(run by the dialogue once the erasure is committed) takes care of that, see
:func:`storage.engine.scrub`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.places import load_places
from services.followups.schedule import cancel_for_person
from services.introductions import forget_designer
from storage.models import (
    ActionToken,
    Designer,
    FollowUp,
    InboxUpdate,
    Introduction,
    IntroductionEvent,
    IntroductionRelay,
    Maker,
    MatchRequest,
)

__all__ = [
    "ERASED_REASON",
    "ERASED_TABLES",
    "StoredCheckin",
    "StoredData",
    "StoredIntroduction",
    "StoredRequest",
    "erase",
    "export_json",
    "stored_about",
]

ERASED_REASON = "erased"  # the follow-ups' last_error when their designer erased their data
# Tables an erasure deletes or overwrites rows in (scrubbed afterwards).
ERASED_TABLES = (
    "designers", "requests", "conversations", "outbox", "follow_ups", "introduction_events",
    "introduction_relays", "action_tokens", "inbox",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoredRequest:
    number: int
    created_at: datetime
    status: str
    text: str
    photo: bool
    materials: tuple[str, ...]
    processes: tuple[str, ...]
    volume_stage: str | None
    quantity: int | None
    place: str | None
    radius_km: float | None


@dataclass(frozen=True, slots=True)
class StoredIntroduction:
    request: int
    maker: str
    status: str
    asked_at: datetime
    introduced_at: datetime | None
    outcome: str | None
    ended_reason: str | None


@dataclass(frozen=True, slots=True)
class StoredCheckin:
    request: int
    maker: str
    kind: str
    answer: str
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredData:
    name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    org_number: str | None = None
    language: str | None = None
    consent_version: str | None = None
    consent_at: datetime | None = None
    checkins_off_at: datetime | None = None
    requests: tuple[StoredRequest, ...] = ()
    introductions: tuple[StoredIntroduction, ...] = field(default=())
    checkins: tuple[StoredCheckin, ...] = ()


async def stored_about(*, session: AsyncSession, designer: Designer) -> StoredData:
    """Everything stored about ``designer``, oldest request first."""
    requests = list(
        (
            await session.exec(
                select(MatchRequest)
                .where(col(MatchRequest.designer_id) == designer.id)
                .order_by(col(MatchRequest.created_at), col(MatchRequest.id))
            )
        ).all()
    )
    request_ids = [r.id for r in requests]
    made = (
        await session.exec(
            select(Introduction, Maker.name)
            .join(Maker, col(Maker.id) == col(Introduction.maker_id))
            .where(col(Introduction.request_id).in_(request_ids))
            .order_by(col(Introduction.request_id), col(Introduction.id))
        )
    ).all()
    answers = (
        await session.exec(
            select(FollowUp, Introduction.request_id, Maker.name)
            .join(Introduction, col(Introduction.id) == col(FollowUp.introduction_id))
            .join(Maker, col(Maker.id) == col(Introduction.maker_id))
            .where(
                col(Introduction.request_id).in_(request_ids),
                col(FollowUp.side) == "designer",
                col(FollowUp.answer).is_not(None),
            )
            .order_by(col(FollowUp.answered_at), col(FollowUp.id))
        )
    ).all()
    return StoredData(
        name=designer.name,
        company=designer.company,
        email=designer.email,
        phone=designer.phone,
        org_number=designer.org_number,
        language=designer.language,
        consent_version=designer.consent_version,
        consent_at=designer.consent_at,
        checkins_off_at=designer.checkins_off_at,
        requests=tuple(
            StoredRequest(
                number=r.id or 0,
                created_at=r.created_at,
                status=r.status,
                text=r.text,
                photo=r.photo_file_id is not None,
                materials=tuple(r.materials),
                processes=tuple(r.processes),
                volume_stage=r.volume_stage,
                quantity=r.quantity,
                place=r.place_name,
                radius_km=r.radius_km,
            )
            for r in requests
        ),
        introductions=tuple(
            StoredIntroduction(
                request=i.request_id,
                maker=maker,
                status=i.status,
                asked_at=i.created_at,
                introduced_at=i.introduced_at,
                outcome=i.outcome,
                ended_reason=i.ended_reason,
            )
            for i, maker in made
        ),
        checkins=tuple(
            StoredCheckin(
                request=request_id,
                maker=maker,
                kind=f.kind,
                answer=f.answer or "",
                answered_at=f.answered_at,
            )
            for f, request_id, maker in answers
        ),
    )


def export_json(data: StoredData, *, exported_at: datetime) -> bytes:
    """The file a designer gets: everything in :class:`StoredData`, as UTF-8 JSON."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    document = {
        "exported_at": exported_at.isoformat(),
        "about": "Everything SPOK's bot stores about you (profile, consent, requests, "
        "introductions and check-in answers).",
        **plain(asdict(data)),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


async def erase(*, session: AsyncSession, designer: Designer) -> None:
    """Erase ``designer``'s personal data and free text, keeping the anonymised facts (see the
    module's docstring). Flushes; the caller commits, then scrubs the files."""
    assert designer.id is not None
    user_id = designer.telegram_user_id
    if user_id is not None:
        await forget_designer(session=session, designer_id=designer.id, telegram_user_id=user_id)
    await cancel_for_person(session, designer_ids=[designer.id], reason=ERASED_REASON)
    requests = list(
        (
            await session.exec(
                select(MatchRequest).where(col(MatchRequest.designer_id) == designer.id)
            )
        ).all()
    )
    introduction_ids = select(Introduction.id).where(
        col(Introduction.request_id).in_([r.id for r in requests])
    )
    places = load_places()
    for request in requests:
        request.designer_id = None
        request.text = ""
        request.photo_file_id = None
        if request.municipality_code:
            municipality = places.municipality(request.municipality_code)
            request.place_name = municipality.name
            request.lat, request.lon = municipality.lat, municipality.lon
        else:
            request.place_name, request.lat, request.lon = None, None, None
        session.add(request)
    if user_id is not None:
        await session.exec(
            update(IntroductionEvent)
            .where(
                col(IntroductionEvent.introduction_id).in_(introduction_ids),
                col(IntroductionEvent.actor_user_id) == user_id,
            )
            .values(actor_user_id=None)
            .execution_options(synchronize_session=False)
        )
        await session.exec(
            delete(IntroductionRelay).where(col(IntroductionRelay.writer_user_id) == user_id)
        )
        await session.exec(delete(ActionToken).where(col(ActionToken.allowed_user_id) == user_id))
        # What they sent the bot, kept a week as received (the erasing update too): the
        # content goes, the update ids stay (a redelivery must still find them).
        await session.exec(
            update(InboxUpdate)
            .where(col(InboxUpdate.chat_key) == user_id)
            .values(payload={})
            .execution_options(synchronize_session=False)
        )
    await session.exec(delete(Designer).where(col(Designer.id) == designer.id))
    await session.flush()
