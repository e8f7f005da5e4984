"""What the lifecycle's steps share: chats, events, transitions and the brief's rendering.

Internal to :mod:`services.introductions`; the steps import these helpers, nothing else does."""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.interpret import concept_label
from matching.models import VolumeStage
from matching.places import load_places
from services.brief_details import budget_phrase, deadline_phrase
from services.hubs.notices import new_token
from services.introductions.anonymise import without_contacts
from services.introductions.calendar import STOCKHOLM
from services.introductions.model import _OPEN, _TAG, MAX_CAPTION_WHAT, Action
from services.introductions.texts import IntroTexts
from services.messages import Button, Html, Reply
from storage.models import (
    AttachmentKind,
    Designer,
    Introduction,
    IntroductionEvent,
    IntroductionStatus,
    Maker,
    MatchRequest,
    RequestAttachment,
)


def _designer_texts(designer: Designer | None) -> IntroTexts:
    return IntroTexts(designer.language if designer is not None else None)


def _maker_chat(maker: Maker) -> int | None:
    """The maker's private chat, if the bot can write to them (a private chat id is the user
    id); ``None`` means their hub's coordinators act for them."""
    if maker.telegram_user_id is None or maker.unreachable_at is not None:
        return None
    return maker.telegram_user_id


def _designer_chat(designer: Designer | None) -> int | None:
    if designer is None or designer.telegram_user_id is None or designer.unreachable_at:
        return None
    return designer.telegram_user_id


def _record(
    session: AsyncSession,
    introduction: Introduction,
    event: str,
    *,
    now: datetime,
    actor: int | None,
    **detail: object,
) -> None:
    assert introduction.id is not None
    session.add(
        IntroductionEvent(
            introduction_id=introduction.id,
            at=now,
            actor_user_id=actor,
            event=event,
            detail=dict(detail),
        )
    )


async def _transition(
    session: AsyncSession,
    introduction: Introduction,
    to: IntroductionStatus,
    now: datetime,
    **values: object,
) -> bool:
    """``brief_sent`` → ``to`` unless someone else answered first; refreshes ``introduction``."""
    result = await session.exec(
        update(Introduction)
        .where(col(Introduction.id) == introduction.id, col(Introduction.status) == _OPEN)
        .values(status=to.value, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(introduction)
    return bool(result.rowcount)


def _municipality(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return load_places().municipality(code).name
    except KeyError:
        return None


def _brief(t: IntroTexts, request: MatchRequest, *, short: bool = False) -> Html:
    """The anonymised brief: what, materials/processes, volume, quantity, municipality."""
    what = without_contacts(request.text.strip())
    if short and len(what) > MAX_CAPTION_WHAT:
        what = what[: MAX_CAPTION_WHAT - 1].rstrip() + "…"
    lines = [t("brief.what", text=what or t("none"))]
    labels = []
    for code in [*request.materials, *request.processes]:
        try:
            labels.append(concept_label(code, t.language))
        except KeyError:
            continue
    if labels:
        lines.append(t("brief.capabilities", items=", ".join(labels)))
    if request.volume_stage in {stage.value for stage in VolumeStage}:
        lines.append(t("brief.volume", volume=t(f"volume.{request.volume_stage}")))
    if request.quantity:
        lines.append(t("brief.quantity", quantity=request.quantity))
    if request.deadline is not None:
        asked_on = request.created_at.astimezone(STOCKHOLM).date()
        words = without_contacts(request.deadline_text) if request.deadline_text else None
        phrase = deadline_phrase(t.language, request.deadline, words, asked_on=asked_on)
        lines.append(t("brief.deadline", deadline=phrase))
    budget = budget_phrase(t.language, request.budget_min_sek, request.budget_max_sek)
    if budget is not None:
        lines.append(t("brief.budget", budget=budget))
    place = _municipality(request.municipality_code) or request.place_name
    lines.append(t("brief.place", place=place or t("anywhere")))
    return Html("\n".join(lines))


def _file_reply(caption: Html, attachment: RequestAttachment) -> Reply:
    """One of a brief's files, sent again by Telegram's id: a photo as a photo, any other
    file as a document (the bytes and the file name the designer sent, with their consent,
    see services.dialogue.attachments); the caption names the request, never the designer."""
    if attachment.kind == AttachmentKind.PHOTO.value:
        return Reply(caption, photo_file_id=attachment.file_id)
    return Reply(caption, document_file_id=attachment.file_id)


def _file_names(t: IntroTexts, attachments: list[RequestAttachment]) -> str:
    return ", ".join(a.file_name or t(f"file_kind.{a.kind}") for a in attachments)


def _plain(text: str) -> str:
    """Telegram HTML as plain text (for the copyable brief)."""
    return html.unescape(_TAG.sub("", text))


def _number(t: IntroTexts, request: MatchRequest) -> Html:
    return t("number", number=request.id)


def _card(t: IntroTexts, **values: str | None) -> Html:
    return Html(
        "\n".join(t(f"card.{name}", value=value) for name, value in values.items() if value)
    )


def _maker_contacts(maker: Maker) -> str:
    return ", ".join(v for v in (maker.contact_name, maker.email, maker.phone) if v) or "–"


async def _answer_buttons(
    session: AsyncSession,
    t: IntroTexts,
    introduction: Introduction,
    now: datetime,
    *,
    user_id: int | None = None,
    hub_id: int | None = None,
) -> tuple[tuple[Button, ...], ...]:
    """Interested / Not now (/ Ask a question, for the maker's own account)."""
    address = {"introduction_id": introduction.id, "allowed_user_id": user_id, "hub_id": hub_id}
    interested = new_token(session, action=Action.INTERESTED, now=now, **address)
    not_now = new_token(session, action=Action.NOT_NOW, now=now, **address)
    rows: list[tuple[Button, ...]] = [
        (
            Button(t("button.interested"), interested),
            Button(t("button.not_now"), not_now),
        )
    ]
    if user_id is not None:
        question = new_token(session, action=Action.QUESTION, now=now, **address)
        rows.append((Button(t("button.question"), question),))
    return tuple(rows)


async def _parties(
    session: AsyncSession, introduction: Introduction
) -> tuple[MatchRequest, Maker, Designer | None]:
    request = await session.get(MatchRequest, introduction.request_id)
    maker = await session.get(Maker, introduction.maker_id)
    assert request is not None and maker is not None  # foreign keys, cascading deletes
    designer = (
        await session.get(Designer, request.designer_id)
        if request.designer_id is not None
        else None
    )
    return request, maker, designer
