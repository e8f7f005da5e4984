"""The introduction lifecycle: brief → Interested / Not now / question → contacts or
alternatives; reminders and "unanswered" on the working-day clock; people who blocked the bot.

Every function works in the caller's transaction (nothing here commits) and sends only through
the outbox (:func:`services.outbox.enqueue`), so a message exists exactly when the change that
caused it is committed. Every status change is a conditional ``UPDATE`` (``brief_sent`` → …), so
two answers racing each other change the introduction once; each change is an
:class:`~storage.models.IntroductionEvent` with its time and actor.

Button data are opaque tokens (:class:`~storage.models.ActionToken`): a token addressed to a
person works for that person only, one addressed to a hub for whoever coordinates it (admins
included); anything else is refused and logged through :func:`services.hubs.access.log_refusal`.
Contact details travel in exactly two messages, both written only when the maker (or a
coordinator on their behalf) says Interested to an introduction the designer asked for.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.interpret import concept_label
from matching.models import VolumeStage
from matching.places import Place, load_places
from services.hubs.access import access_for, log_refusal
from services.hubs.notices import designer_label, maker_hub_id, new_token, notify_hub
from services.hubs.registry import hub_for_request
from services.introductions.anonymise import without_contacts
from services.introductions.calendar import add_working_days
from services.introductions.texts import IntroTexts
from services.matchmaking import DesignerRequest, Matchmaker, RequestError
from services.messages import Button, Html, Reply
from services.outbox import OnBlocked, enqueue
from storage.models import (
    ActionToken,
    Designer,
    Introduction,
    IntroductionEvent,
    IntroductionRelay,
    IntroductionStatus,
    Maker,
    MatchRequest,
    Outbox,
    RequestStatus,
    utcnow,
)

__all__ = [
    "REMINDER_AFTER_WORKING_DAYS",
    "UNANSWERED_AFTER_REMINDER_WORKING_DAYS",
    "Action",
    "DeclineReason",
    "PressOutcome",
    "PressStatus",
    "RelayOutcome",
    "TickReport",
    "blocked_hook",
    "forget_designer",
    "mark_reachable",
    "person_blocked",
    "press",
    "relay",
    "submit_request",
    "tick",
]

REMINDER_AFTER_WORKING_DAYS = 3
UNANSWERED_AFTER_REMINDER_WORKING_DAYS = 2
MAX_ALTERNATIVES = 3
MAX_RELAYED_CHARS = 1500
RELAY_OPEN_FOR = timedelta(hours=24)  # an unanswered question lapses after this
MAX_CAPTION_WHAT = 500  # a brief with a photo is a caption (Telegram: at most 1024 characters)
MAKER_LANGUAGE = "sv"  # makers and coordinators read Swedish unless we know better
HUB_LANGUAGE = "sv"


class Action(StrEnum):
    """What a token's button does (``ActionToken.action``)."""

    INTERESTED = "interested"
    NOT_NOW = "not_now"  # shows the reasons; changes nothing yet
    DECLINE = "decline"  # stored as "decline:<reason>"
    QUESTION = "question"  # the maker's next message goes to the designer
    INTRODUCE = "introduce"  # the designer asks for one of the alternatives offered
    OPEN = "open"  # a coordinator opens a request from a notice (repeatable, changes nothing)


class DeclineReason(StrEnum):
    FULLY_BOOKED = "fully_booked"
    NOT_OUR_KIND = "not_our_kind"
    VOLUME = "volume"
    OTHER = "other"


class PressStatus(StrEnum):
    DONE = "done"  # the press changed something (or showed the next choice)
    ALREADY = "already"  # answered before: nothing changed
    REFUSED = "refused"  # unknown, forged or someone else's token: nothing changed, logged


@dataclass(frozen=True, slots=True)
class PressOutcome:
    """What the transport shows the person who pressed: ``notice`` as the button's toast,
    ``replies`` as messages in the chat where the button was."""

    status: PressStatus
    notice: str = ""
    replies: tuple[Reply, ...] = ()
    introduction_id: int | None = None


@dataclass(frozen=True, slots=True)
class RelayOutcome:
    """A relayed message: the confirmation to show its writer."""

    replies: tuple[Reply, ...]
    introduction_id: int


@dataclass(frozen=True, slots=True)
class TickReport:
    reminded: int = 0
    unanswered: int = 0


_OPEN = IntroductionStatus.BRIEF_SENT.value
_TAG = re.compile(r"</?\w+>")


# -- small helpers --------------------------------------------------------------------------


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
    place = _municipality(request.municipality_code) or request.place_name
    lines.append(t("brief.place", place=place or t("anywhere")))
    return Html("\n".join(lines))


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


# -- submitting -----------------------------------------------------------------------------


async def submit_request(
    *,
    session: AsyncSession,
    request_id: int,
    now: datetime,
    admin_ids: Collection[int] = (),
) -> None:
    """The designer asked for introductions (or sent the request to the hub as unmet).

    Sets the request's hub, sends each ``requested`` introduction's brief (to the maker, or to
    the maker's hub for makers the bot cannot reach) and tells the request's hub. Idempotent:
    briefs go out once per introduction, notices once per chat.
    """
    request = await session.get(MatchRequest, request_id)
    if request is None:
        return
    try:
        hub = await hub_for_request(session=session, municipality_code=request.municipality_code)
        request.hub_id = hub.id
        hub_name = hub.name
    except LookupError:  # hubs never synced: the admins still hear of it
        hub_name = "SPOK"
    session.add(request)
    result = await session.exec(
        select(Introduction)
        .where(col(Introduction.request_id) == request_id)
        .order_by(col(Introduction.id))
    )
    introductions = list(result.all())
    t = IntroTexts(HUB_LANGUAGE)
    brief = _brief(t, request)
    if request.status == RequestStatus.UNMET.value or not introductions:
        reply = Reply(
            t("hub.unmet", number=_number(t, request), hub=hub_name, brief=brief),
            buttons=await _open_button(session, t, request, now),
        )
        await notify_hub(
            session,
            hub_id=request.hub_id,
            reply=reply,
            kind="intro.unmet",
            key=f"unmet:{request_id}",
            now=now,
            admin_ids=admin_ids,
        )
        await session.flush()
        return
    lines = []
    for introduction in introductions:
        maker = await session.get(Maker, introduction.maker_id)
        if maker is None:
            continue
        if introduction.status == IntroductionStatus.REQUESTED.value:
            await _send_brief(session, request, introduction, maker, now, admin_ids)
        reachable = _maker_chat(maker) is not None
        lines.append(t("hub.maker" if reachable else "hub.maker_offline", name=maker.name))
    reply = Reply(
        t(
            "hub.new_request",
            number=_number(t, request),
            hub=hub_name,
            brief=brief,
            makers=Html("\n".join(lines)),
        ),
        buttons=await _open_button(session, t, request, now),
    )
    await notify_hub(
        session,
        hub_id=request.hub_id,
        reply=reply,
        kind="intro.new_request",
        key=f"request:{request_id}",
        now=now,
        admin_ids=admin_ids,
    )
    await session.flush()


async def _open_button(
    session: AsyncSession, t: IntroTexts, request: MatchRequest, now: datetime
) -> tuple[tuple[Button, ...], ...]:
    value = new_token(
        session, action=Action.OPEN, now=now, request_id=request.id, hub_id=request.hub_id
    )
    return ((Button(t("button.open"), value),),)


async def _open_request(session: AsyncSession, row: ActionToken) -> PressOutcome:
    """The request as its hub sees it: the brief, the designer and each maker's answer."""
    t = IntroTexts(HUB_LANGUAGE)
    request = await session.get(MatchRequest, row.request_id) if row.request_id else None
    if request is None:  # erased meanwhile
        return PressOutcome(PressStatus.ALREADY, t("press.already"))
    designer = (
        await session.get(Designer, request.designer_id)
        if request.designer_id is not None
        else None
    )
    designer_lines = (
        _card(
            t,
            name=designer.name,
            company=designer.company,
            email=designer.email,
            phone=designer.phone,
        )
        if designer is not None
        else t("none")
    )
    rows = await session.exec(
        select(Introduction, Maker)
        .join(Maker, col(Maker.id) == col(Introduction.maker_id))
        .where(col(Introduction.request_id) == request.id)
        .order_by(col(Introduction.id))
    )
    makers = [
        t("hub.request_maker", name=maker.name, status=t(f"intro_status.{introduction.status}"))
        for introduction, maker in rows.all()
    ]
    text = t(
        "hub.request",
        number=_number(t, request),
        status=t(f"request_status.{request.status}"),
        brief=_brief(t, request),
        designer=designer_lines or t("none"),
        makers=Html("\n".join(makers)) if makers else t("none"),
    )
    return PressOutcome(PressStatus.DONE, replies=(Reply(text),))


async def _send_brief(
    session: AsyncSession,
    request: MatchRequest,
    introduction: Introduction,
    maker: Maker,
    now: datetime,
    admin_ids: Collection[int],
) -> None:
    await session.flush()  # the introduction needs its id for the tokens
    assert introduction.id is not None
    t = IntroTexts(MAKER_LANGUAGE)
    chat = _maker_chat(maker)
    if chat is not None:
        text = Html(
            "\n".join(
                [
                    t("brief.title", number=_number(t, request)),
                    _brief(t, request, short=request.photo_file_id is not None),
                    "",
                    t("brief.footer"),
                ]
            )
        )
        buttons = await _answer_buttons(session, t, introduction, now, user_id=chat)
        await enqueue(
            session=session,
            chat_id=chat,
            recipient_user_id=chat,
            reply=Reply(text, buttons=buttons, photo_file_id=request.photo_file_id),
            kind="intro.brief",
            now=now,
            dedupe_key=f"brief:{introduction.id}",
        )
        sent_to = "maker"
    else:
        hub_id = await maker_hub_id(session, maker)
        copy = "\n".join(
            [_plain(t("brief.title", number=_number(t, request))), _plain(_brief(t, request))]
        )
        text = t(
            "hub.on_behalf",
            maker=maker.name,
            number=_number(t, request),
            contacts=_maker_contacts(maker),
            copy=copy,
        )
        buttons = await _answer_buttons(session, t, introduction, now, hub_id=hub_id)
        await notify_hub(
            session,
            hub_id=hub_id,
            reply=Reply(text, buttons=buttons),
            kind="intro.brief_hub",
            key=f"brief:{introduction.id}",
            now=now,
            admin_ids=admin_ids,
        )
        sent_to = "hub"
    introduction.status = IntroductionStatus.BRIEF_SENT.value
    introduction.brief_sent_at = now
    introduction.updated_at = now
    session.add(introduction)
    _record(session, introduction, "brief_sent", now=now, actor=None, to=sent_to)


# -- pressing a button ----------------------------------------------------------------------


async def press(
    *,
    session: AsyncSession,
    token: str,
    user_id: int,
    admin_ids: Collection[int],
    now: datetime,
    matchmaker: Matchmaker | None = None,
) -> PressOutcome:
    """Resolve a button of a bot-initiated message for ``user_id`` and act on it.

    ``matchmaker`` ranks the alternatives offered to a designer after a decline (without it
    the designer is told that the hub looks further).
    """
    access = await access_for(session=session, telegram_user_id=user_id, admin_ids=admin_ids)
    await mark_reachable(session=session, telegram_user_id=user_id)
    t = IntroTexts(HUB_LANGUAGE)
    row = (await session.exec(select(ActionToken).where(col(ActionToken.token) == token))).first()
    if row is None:
        log_refusal(access, "press", token="unknown")
        return PressOutcome(PressStatus.REFUSED, t("press.refused"))
    introduction = (
        await session.get(Introduction, row.introduction_id)
        if row.introduction_id is not None
        else None
    )
    if row.allowed_user_id is not None:
        allowed = row.allowed_user_id == user_id
        if allowed and introduction is not None and row.action != Action.INTRODUCE:
            allowed = introduction.maker_id in access.maker_ids  # the listing is still theirs
    else:  # the hub's coordinators; a hub-less token is the admins' (see can_coordinate)
        allowed = access.can_coordinate(row.hub_id)
    if not allowed:
        log_refusal(
            access, "press", token_id=row.id, button=row.action, introduction=row.introduction_id
        )
        return PressOutcome(
            PressStatus.REFUSED, t("press.refused"), introduction_id=row.introduction_id
        )
    if row.used_at is not None:
        return PressOutcome(
            PressStatus.ALREADY, t("press.already"), introduction_id=row.introduction_id
        )
    if row.action == Action.OPEN:
        return await _open_request(session, row)
    if row.action == Action.INTRODUCE:
        return await _introduce(session, row, now, admin_ids)
    if introduction is None:
        return PressOutcome(PressStatus.ALREADY, t("press.already"))
    if introduction.status != _OPEN:
        return PressOutcome(
            PressStatus.ALREADY, t("press.already"), introduction_id=introduction.id
        )
    on_behalf = row.allowed_user_id is None
    if row.action == Action.INTERESTED:
        outcome = await _interested(session, introduction, user_id, on_behalf, now, admin_ids)
    elif row.action == Action.NOT_NOW:
        return await _reasons(session, row, introduction, now)
    elif row.action.startswith(f"{Action.DECLINE}:"):
        reason = DeclineReason(row.action.split(":", 1)[1])
        outcome = await _declined(
            session, introduction, reason, user_id, on_behalf, now, admin_ids, matchmaker
        )
    elif row.action == Action.QUESTION and not on_behalf:
        return await _open_question(session, introduction, user_id, now)
    else:
        log_refusal(access, "press", token_id=row.id, button=row.action)
        return PressOutcome(PressStatus.REFUSED, t("press.refused"))
    if outcome.status is PressStatus.DONE:
        row.used_at = now
        session.add(row)
    await session.flush()
    return outcome


async def _reasons(
    session: AsyncSession, row: ActionToken, introduction: Introduction, now: datetime
) -> PressOutcome:
    t = IntroTexts(MAKER_LANGUAGE)
    buttons = []
    for reason in DeclineReason:
        value = new_token(
            session,
            action=f"{Action.DECLINE}:{reason}",
            now=now,
            introduction_id=introduction.id,
            allowed_user_id=row.allowed_user_id,
            hub_id=row.hub_id,
        )
        buttons.append((Button(t(f"button.reason.{reason}"), value),))
    await session.flush()
    return PressOutcome(
        PressStatus.DONE,
        replies=(Reply(t("maker.reasons"), buttons=tuple(buttons)),),
        introduction_id=introduction.id,
    )


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


async def _interested(
    session: AsyncSession,
    introduction: Introduction,
    actor: int,
    on_behalf: bool,
    now: datetime,
    admin_ids: Collection[int],
) -> PressOutcome:
    t = IntroTexts(MAKER_LANGUAGE)
    if not await _transition(
        session, introduction, IntroductionStatus.INTERESTED, now, introduced_at=now
    ):
        return PressOutcome(
            PressStatus.ALREADY, t("press.already"), introduction_id=introduction.id
        )
    request, maker, designer = await _parties(session, introduction)
    # Both sides agreed: the designer by asking for this introduction, the maker now.
    _record(
        session,
        introduction,
        "interested",
        now=now,
        actor=actor,
        on_behalf=on_behalf,
        consent="designer asked for the introduction; maker answered interested",
    )
    assert introduction.id is not None
    designer_chat = _designer_chat(designer)
    if designer_chat is not None:
        dt = _designer_texts(designer)
        card = _card(
            dt,
            name=maker.contact_name,
            email=maker.email,
            phone=maker.phone,
            website=maker.website,
            place=maker.place_name or _municipality(maker.municipality_code),
        )
        await enqueue(
            session=session,
            chat_id=designer_chat,
            recipient_user_id=designer_chat,
            reply=Reply(
                dt("designer.card", maker=maker.name, number=_number(dt, request), lines=card)
            ),
            kind="intro.contact",
            now=now,
            dedupe_key=f"contact:designer:{introduction.id}",
        )
    if designer is not None:
        # The maker's own chat, or the coordinator who answered for a maker without Telegram.
        maker_chat = actor if on_behalf else (_maker_chat(maker) or actor)
        card = _card(
            t,
            name=designer.name,
            company=designer.company,
            email=designer.email,
            phone=designer.phone,
        )
        await enqueue(
            session=session,
            chat_id=maker_chat,
            recipient_user_id=maker_chat,
            reply=Reply(t("maker.card", number=_number(t, request), lines=card)),
            kind="intro.contact",
            now=now,
            dedupe_key=f"contact:maker:{introduction.id}",
        )
    notice = t(
        "hub.made", maker=maker.name, designer=designer_label(designer), number=_number(t, request)
    )
    return await _answered(
        session, introduction, request, maker, notice, "made", "maker.interested",
        on_behalf=on_behalf, now=now, admin_ids=admin_ids,
    )  # fmt: skip


async def _declined(
    session: AsyncSession,
    introduction: Introduction,
    reason: DeclineReason,
    actor: int,
    on_behalf: bool,
    now: datetime,
    admin_ids: Collection[int],
    matchmaker: Matchmaker | None,
) -> PressOutcome:
    t = IntroTexts(MAKER_LANGUAGE)
    changed = await _transition(
        session, introduction, IntroductionStatus.DECLINED, now, decline_reason=reason.value
    )
    if not changed:
        return PressOutcome(
            PressStatus.ALREADY, t("press.already"), introduction_id=introduction.id
        )
    request, maker, designer = await _parties(session, introduction)
    _record(
        session,
        introduction,
        "declined",
        now=now,
        actor=actor,
        reason=reason.value,
        on_behalf=on_behalf,
    )
    assert introduction.id is not None
    await _tell_designer(
        session,
        request,
        maker,
        designer,
        "designer.declined",
        f"declined:{introduction.id}",
        now,
        matchmaker,
    )
    notice = t(
        "hub.declined", maker=maker.name, number=_number(t, request), reason=t(f"reason.{reason}")
    )
    return await _answered(
        session, introduction, request, maker, notice, "declined", "maker.declined",
        on_behalf=on_behalf, now=now, admin_ids=admin_ids,
    )  # fmt: skip


async def _answered(
    session: AsyncSession,
    introduction: Introduction,
    request: MatchRequest,
    maker: Maker,
    notice: Html,
    outcome: str,
    confirmation_key: str,
    *,
    on_behalf: bool,
    now: datetime,
    admin_ids: Collection[int],
) -> PressOutcome:
    """What every answer ends with: the hub told, open questions closed, the answerer thanked
    (a coordinator answering on a maker's behalf is told it was recorded)."""
    t = IntroTexts(MAKER_LANGUAGE)
    await notify_hub(
        session,
        hub_id=request.hub_id,
        reply=Reply(notice),
        kind=f"intro.{outcome}",
        key=f"{outcome}:{introduction.id}",
        now=now,
        admin_ids=admin_ids,
    )
    await _close_relays(session, introduction, now)
    confirmation = t("hub.recorded", maker=maker.name) if on_behalf else t(confirmation_key)
    return PressOutcome(
        PressStatus.DONE, t("press.done"), (Reply(confirmation),), introduction_id=introduction.id
    )


async def _tell_designer(
    session: AsyncSession,
    request: MatchRequest,
    maker: Maker,
    designer: Designer | None,
    key: str,
    dedupe_key: str,
    now: datetime,
    matchmaker: Matchmaker | None,
) -> None:
    """Kind news for the designer, with the next best makers not asked yet as buttons."""
    chat = _designer_chat(designer)
    if chat is None:
        return
    dt = _designer_texts(designer)
    parts = [dt(key, maker=maker.name, number=_number(dt, request))]
    alternatives = await _alternatives(session, request, matchmaker)
    rows: list[tuple[Button, ...]] = []
    if alternatives:
        parts.append(
            dt("designer.alternatives", items="\n".join(f"• {m.name}" for m in alternatives))
        )
        for alternative in alternatives:
            value = new_token(
                session,
                action=Action.INTRODUCE,
                now=now,
                request_id=request.id,
                maker_id=alternative.id,
                allowed_user_id=chat,
            )
            rows.append((Button(dt("button.introduce", maker=alternative.name), value),))
    else:
        parts.append(dt("designer.no_alternatives"))
    await enqueue(
        session=session,
        chat_id=chat,
        recipient_user_id=chat,
        reply=Reply(Html("\n\n".join(parts)), buttons=tuple(rows)),
        kind="intro.news",
        now=now,
        dedupe_key=dedupe_key,
    )


async def _alternatives(
    session: AsyncSession, request: MatchRequest, matchmaker: Matchmaker | None
) -> list[Maker]:
    """The best makers for ``request`` that were not asked about it yet (at most three)."""
    if matchmaker is None or not request.text.strip():
        return []
    place = None
    if request.municipality_code and request.lat is not None and request.lon is not None:
        try:
            municipality = matchmaker.places.municipality(request.municipality_code)
        except KeyError:
            municipality = None
        if municipality is not None:
            name = request.place_name or municipality.name
            place = Place(name, "municipality", municipality, request.lat, request.lon, None)
    concepts = tuple([*request.materials, *request.processes]) or None
    try:
        ranked = matchmaker.rank(
            DesignerRequest(
                text=request.text,
                place=place,
                radius_km=request.radius_km if place is not None else None,
                county_code=request.county_code,
                volume_stage=VolumeStage(request.volume_stage) if request.volume_stage else None,
                quantity=request.quantity,
                concepts=concepts,
                limit=MAX_ALTERNATIVES + 10,
            )
        )
    except (RequestError, ValueError):
        return []
    asked = set(
        (
            await session.exec(
                select(Introduction.maker_id).where(col(Introduction.request_id) == request.id)
            )
        ).all()
    )
    # Only makers whose listing shows the work: a weaker candidate is no "next best".
    external_ids = [match.maker_id for match in ranked.result.fits]
    if not external_ids:
        return []
    makers = (
        await session.exec(select(Maker).where(col(Maker.external_id).in_(external_ids)))
    ).all()
    by_external = {maker.external_id: maker for maker in makers}
    chosen = []
    for external_id in external_ids:
        maker = by_external.get(external_id)
        if maker is not None and maker.id not in asked:
            chosen.append(maker)
        if len(chosen) == MAX_ALTERNATIVES:
            break
    return chosen


async def _introduce(
    session: AsyncSession, row: ActionToken, now: datetime, admin_ids: Collection[int]
) -> PressOutcome:
    """The designer asked for an alternative: a new introduction, briefed at once."""
    request = await session.get(MatchRequest, row.request_id) if row.request_id else None
    maker = await session.get(Maker, row.maker_id) if row.maker_id else None
    designer = (
        await session.get(Designer, request.designer_id)
        if request is not None and request.designer_id is not None
        else None
    )
    dt = _designer_texts(designer)
    row.used_at = now
    session.add(row)
    if request is None or maker is None or maker.id is None:
        return PressOutcome(PressStatus.ALREADY, dt("press.already"))
    exists = (
        await session.exec(
            select(Introduction).where(
                col(Introduction.request_id) == request.id, col(Introduction.maker_id) == maker.id
            )
        )
    ).first()
    if exists is not None:
        await session.flush()
        return PressOutcome(PressStatus.ALREADY, dt("press.already"), introduction_id=exists.id)
    introduction = Introduction(
        request_id=row.request_id or 0, maker_id=maker.id, created_at=now, updated_at=now
    )
    session.add(introduction)
    await session.flush()
    _record(session, introduction, "requested", now=now, actor=row.allowed_user_id)
    await _send_brief(session, request, introduction, maker, now, admin_ids)
    await session.flush()
    return PressOutcome(
        PressStatus.DONE,
        dt("press.done"),
        (Reply(dt("designer.introduced", maker=maker.name)),),
        introduction_id=introduction.id,
    )


# -- questions, relayed ---------------------------------------------------------------------


async def _open_question(
    session: AsyncSession, introduction: Introduction, user_id: int, now: datetime
) -> PressOutcome:
    assert introduction.id is not None
    # A second tap on "Ask a question" keeps the one open question, not two.
    await _close_relays(session, introduction, now)
    session.add(
        IntroductionRelay(
            introduction_id=introduction.id,
            writer_user_id=user_id,
            writer_role="maker",
            opened_at=now,
        )
    )
    await session.flush()
    t = IntroTexts(MAKER_LANGUAGE)
    return PressOutcome(
        PressStatus.DONE,
        replies=(Reply(t("maker.question_prompt")),),
        introduction_id=introduction.id,
    )


async def _close_relays(session: AsyncSession, introduction: Introduction, now: datetime) -> None:
    await session.exec(
        update(IntroductionRelay)
        .where(
            col(IntroductionRelay.introduction_id) == introduction.id,
            col(IntroductionRelay.closed_at).is_(None),
        )
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    )


async def relay(
    *, session: AsyncSession, from_user_id: int, text: str, now: datetime
) -> RelayOutcome | None:
    """Pass ``text`` on if ``from_user_id`` has an open relay: a maker's question to the
    designer (who may then answer once), the designer's answer back to the maker with the
    answer buttons again. Neither side sees the other's contact details. ``None``: no open
    relay, the text is not for this module."""
    open_relay = (
        await session.exec(
            select(IntroductionRelay)
            .where(
                col(IntroductionRelay.writer_user_id) == from_user_id,
                col(IntroductionRelay.closed_at).is_(None),
                # An unanswered relay lapses, so a text days later is the conversation's again.
                col(IntroductionRelay.opened_at) > now - RELAY_OPEN_FOR,
            )
            .order_by(col(IntroductionRelay.opened_at).desc(), col(IntroductionRelay.id).desc())
        )
    ).first()
    if open_relay is None:
        return None
    open_relay.closed_at = now
    session.add(open_relay)
    introduction = await session.get(Introduction, open_relay.introduction_id)
    assert introduction is not None and introduction.id is not None and open_relay.id is not None
    request, maker, designer = await _parties(session, introduction)
    message = text.strip()[:MAX_RELAYED_CHARS]
    if open_relay.writer_role == "maker":
        t = IntroTexts(MAKER_LANGUAGE)
        chat = _designer_chat(designer)
        if chat is not None:
            dt = _designer_texts(designer)
            what = request.text.strip()
            what = what if len(what) <= 60 else what[:59] + "…"
            await enqueue(
                session=session,
                chat_id=chat,
                recipient_user_id=chat,
                reply=Reply(
                    dt("designer.question", number=_number(dt, request), what=what, text=message)
                ),
                kind="intro.relay",
                now=now,
                dedupe_key=f"relay:{open_relay.id}",
            )
            session.add(
                IntroductionRelay(
                    introduction_id=introduction.id,
                    writer_user_id=chat,
                    writer_role="designer",
                    opened_at=now,
                )
            )
        _record(session, introduction, "question", now=now, actor=from_user_id, chars=len(message))
        confirmation = t("maker.question_sent")
    else:
        dt = _designer_texts(designer)
        t = IntroTexts(MAKER_LANGUAGE)
        chat = _maker_chat(maker)
        if chat is not None:
            buttons: tuple[tuple[Button, ...], ...] = ()
            if introduction.status == _OPEN:
                buttons = await _answer_buttons(session, t, introduction, now, user_id=chat)
            await enqueue(
                session=session,
                chat_id=chat,
                recipient_user_id=chat,
                reply=Reply(
                    t("maker.answer", number=_number(t, request), text=message), buttons=buttons
                ),
                kind="intro.relay",
                now=now,
                dedupe_key=f"relay:{open_relay.id}",
            )
        _record(session, introduction, "answer", now=now, actor=from_user_id, chars=len(message))
        confirmation = dt("designer.answer_sent")
    await session.flush()
    return RelayOutcome(replies=(Reply(confirmation),), introduction_id=introduction.id)


# -- the clock ------------------------------------------------------------------------------


async def tick(
    *,
    session: AsyncSession,
    now: datetime,
    admin_ids: Collection[int] = (),
    matchmaker: Matchmaker | None = None,
) -> TickReport:
    """Remind makers who have not answered within 3 working days (once); 2 working days after
    the reminder mark the introduction unanswered, offer the designer alternatives and tell
    the hub. Safe to run as often as wanted, by several processes (each step is a conditional
    update; messages carry dedupe keys)."""
    reminded = unanswered = 0
    # 3 working days are at least 3 calendar days: the database narrows, the calendar decides.
    due = await session.exec(
        select(Introduction).where(
            col(Introduction.status) == _OPEN,
            col(Introduction.reminded_at).is_(None),
            col(Introduction.brief_sent_at) <= now - timedelta(days=REMINDER_AFTER_WORKING_DAYS),
        )
    )
    for introduction in list(due.all()):
        assert introduction.brief_sent_at is not None
        if add_working_days(introduction.brief_sent_at, REMINDER_AFTER_WORKING_DAYS) > now:
            continue
        if await _remind(session, introduction, now, admin_ids):
            reminded += 1
    stale = await session.exec(
        select(Introduction).where(
            col(Introduction.status) == _OPEN,
            col(Introduction.reminded_at)
            <= now - timedelta(days=UNANSWERED_AFTER_REMINDER_WORKING_DAYS),
        )
    )
    for introduction in list(stale.all()):
        assert introduction.reminded_at is not None
        deadline = add_working_days(
            introduction.reminded_at, UNANSWERED_AFTER_REMINDER_WORKING_DAYS
        )
        if deadline > now:
            continue
        if await _unanswered(session, introduction, now, admin_ids, matchmaker):
            unanswered += 1
    await session.flush()
    return TickReport(reminded=reminded, unanswered=unanswered)


async def _remind(
    session: AsyncSession, introduction: Introduction, now: datetime, admin_ids: Collection[int]
) -> bool:
    result = await session.exec(
        update(Introduction)
        .where(
            col(Introduction.id) == introduction.id,
            col(Introduction.status) == _OPEN,
            col(Introduction.reminded_at).is_(None),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:
        return False
    await session.refresh(introduction)
    assert introduction.id is not None
    request, maker, _designer = await _parties(session, introduction)
    t = IntroTexts(MAKER_LANGUAGE)
    chat = _maker_chat(maker)
    if chat is not None:
        what = without_contacts(request.text.strip())
        what = what if len(what) <= 60 else what[:59] + "…"
        buttons = await _answer_buttons(session, t, introduction, now, user_id=chat)
        await enqueue(
            session=session,
            chat_id=chat,
            recipient_user_id=chat,
            reply=Reply(
                t("maker.reminder", number=_number(t, request), what=what), buttons=buttons
            ),
            kind="intro.reminder",
            now=now,
            dedupe_key=f"reminder:{introduction.id}",
        )
    else:
        hub_id = await maker_hub_id(session, maker)
        buttons = await _answer_buttons(session, t, introduction, now, hub_id=hub_id)
        text = t(
            "hub.reminder",
            maker=maker.name,
            number=_number(t, request),
            contacts=_maker_contacts(maker),
        )
        await notify_hub(
            session,
            hub_id=hub_id,
            reply=Reply(text, buttons=buttons),
            kind="intro.reminder",
            key=f"reminder:{introduction.id}",
            now=now,
            admin_ids=admin_ids,
        )
    _record(session, introduction, "reminded", now=now, actor=None, to="maker" if chat else "hub")
    return True


async def _unanswered(
    session: AsyncSession,
    introduction: Introduction,
    now: datetime,
    admin_ids: Collection[int],
    matchmaker: Matchmaker | None,
) -> bool:
    if not await _transition(session, introduction, IntroductionStatus.UNANSWERED, now):
        return False
    assert introduction.id is not None
    request, maker, designer = await _parties(session, introduction)
    _record(session, introduction, "unanswered", now=now, actor=None)
    await _tell_designer(
        session,
        request,
        maker,
        designer,
        "designer.unanswered",
        f"unanswered:{introduction.id}",
        now,
        matchmaker,
    )
    t = IntroTexts(HUB_LANGUAGE)
    await notify_hub(
        session,
        hub_id=request.hub_id,
        reply=Reply(t("hub.unanswered", maker=maker.name, number=_number(t, request))),
        kind="intro.unanswered",
        key=f"unanswered:{introduction.id}",
        now=now,
        admin_ids=admin_ids,
    )
    await _close_relays(session, introduction, now)
    return True


# -- people who blocked the bot -------------------------------------------------------------


async def person_blocked(
    session: AsyncSession,
    chat_id: int,
    recipient_user_id: int | None,
    *,
    admin_ids: Collection[int] = (),
    now: datetime | None = None,
) -> None:
    """The outbox's :data:`~services.outbox.OnBlocked` hook: the designer or maker behind a
    private chat that blocked the bot is marked unreachable, and their hub is told (once per
    time they become unreachable). Group chats and unknown people change nothing. (The bot
    chains :func:`services.followups.blocked_hook` after it: their check-ins are cancelled.)"""
    user_id = recipient_user_id if recipient_user_id is not None else chat_id
    if user_id <= 0:  # group chats have negative ids
        return
    when = now or utcnow()
    t = IntroTexts(HUB_LANGUAGE)
    designer = (
        await session.exec(select(Designer).where(col(Designer.telegram_user_id) == user_id))
    ).first()
    if designer is not None and designer.unreachable_at is None:
        designer.unreachable_at = when
        session.add(designer)
        latest = (
            await session.exec(
                select(MatchRequest)
                .where(
                    col(MatchRequest.designer_id) == designer.id,
                    col(MatchRequest.hub_id).is_not(None),
                )
                .order_by(col(MatchRequest.created_at).desc(), col(MatchRequest.id).desc())
            )
        ).first()
        if latest is not None:
            await notify_hub(
                session,
                hub_id=latest.hub_id,
                reply=Reply(t("hub.unreachable_designer", name=designer_label(designer))),
                kind="intro.unreachable",
                key=f"unreachable:designer:{designer.id}:{when.isoformat()}",
                now=when,
                admin_ids=admin_ids,
            )
    makers = (await session.exec(select(Maker).where(col(Maker.telegram_user_id) == user_id))).all()
    for maker in makers:
        if maker.unreachable_at is not None:
            continue
        maker.unreachable_at = when
        session.add(maker)
        await notify_hub(
            session,
            hub_id=await maker_hub_id(session, maker),
            reply=Reply(t("hub.unreachable_maker", name=maker.name)),
            kind="intro.unreachable",
            key=f"unreachable:maker:{maker.id}:{when.isoformat()}",
            now=when,
            admin_ids=admin_ids,
        )
    await session.flush()


def blocked_hook(
    admin_ids: Collection[int] = (), clock: Callable[[], datetime] = utcnow
) -> OnBlocked:
    """:func:`person_blocked` with the admins as the notice's last resort, dated by ``clock``
    (the sender's), for the sender."""

    async def hook(session: AsyncSession, chat_id: int, recipient_user_id: int | None) -> None:
        await person_blocked(session, chat_id, recipient_user_id, admin_ids=admin_ids, now=clock())

    return hook


# Kinds of outbox rows keyed on an introduction, a request or a relay (see the dedupe keys above).
_INTRODUCTION_KEYS = (
    "brief", "contact:designer", "contact:maker", "made", "declined", "reminder", "unanswered",
)  # fmt: skip
_REQUEST_KEYS = ("request", "unmet")


async def forget_designer(
    *, session: AsyncSession, designer_id: int, telegram_user_id: int
) -> None:
    """Before a designer's data is erased: drop every outbox row about them.

    Queued rows would otherwise still go out (a contact card, a relayed text), sent rows keep
    a copy of what they said, and on SQLite the erased rows' ids are given to the next
    request, whose notices would then look like duplicates of these and never be sent.
    """
    request_ids = list(
        (
            await session.exec(
                select(MatchRequest.id).where(col(MatchRequest.designer_id) == designer_id)
            )
        ).all()
    )
    introduction_ids = list(
        (
            await session.exec(
                select(Introduction.id).where(col(Introduction.request_id).in_(request_ids))
            )
        ).all()
    )
    relay_ids = list(
        (
            await session.exec(
                select(IntroductionRelay.id).where(
                    col(IntroductionRelay.introduction_id).in_(introduction_ids)
                )
            )
        ).all()
    )
    keys = [f"{kind}:{i}" for kind in _INTRODUCTION_KEYS for i in introduction_ids]
    keys += [f"{kind}:{i}" for kind in _REQUEST_KEYS for i in request_ids]
    keys += [f"relay:{i}" for i in relay_ids]
    keys.append(f"unreachable:designer:{designer_id}")
    about_them = [col(Outbox.dedupe_key) == key for key in keys]
    about_them += [col(Outbox.dedupe_key).startswith(f"{key}:") for key in keys]
    about_them += [
        col(Outbox.chat_id) == telegram_user_id,
        col(Outbox.recipient_user_id) == telegram_user_id,
    ]
    await session.exec(delete(Outbox).where(or_(*about_them)))


async def mark_reachable(*, session: AsyncSession, telegram_user_id: int) -> None:
    """Whoever writes to the bot or presses its buttons can be written to again (a person who
    once blocked the bot and came back is no longer handled as unreachable)."""
    for table in (Designer, Maker):
        await session.exec(
            update(table)
            .where(col(table.telegram_user_id) == telegram_user_id)
            .where(col(table.unreachable_at).is_not(None))
            .values(unreachable_at=None)
        )
