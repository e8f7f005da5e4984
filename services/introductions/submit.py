"""Submitting: a designer's request becomes anonymised briefs to the chosen makers (or
to the hub for a maker without Telegram), and the hub hears of the request."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.notices import maker_hub_id, new_token, notify_hub
from services.hubs.registry import hub_for_request
from services.introductions.common import (
    _answer_buttons,
    _brief,
    _card,
    _file_names,
    _file_reply,
    _maker_chat,
    _maker_contacts,
    _number,
    _plain,
    _record,
)
from services.introductions.model import (
    HUB_LANGUAGE,
    MAKER_LANGUAGE,
    Action,
    PressOutcome,
    PressStatus,
)
from services.introductions.texts import IntroTexts
from services.messages import Button, Html, Reply
from services.outbox import enqueue
from storage.models import (
    ActionToken,
    Designer,
    Introduction,
    IntroductionStatus,
    Maker,
    MatchRequest,
    RequestStatus,
)
from storage.repositories.designers import list_attachments


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
    attachments = await list_attachments(session=session, request_id=request_id)
    if attachments:
        brief = Html(brief + "\n" + t("hub.files", names=_file_names(t, attachments)))
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
    assert request.id is not None
    brief = _brief(t, request)
    attachments = await list_attachments(session=session, request_id=request.id)
    if attachments:
        brief = Html(brief + "\n" + t("hub.files", names=_file_names(t, attachments)))
    text = t(
        "hub.request",
        number=_number(t, request),
        status=t(f"request_status.{request.status}"),
        brief=brief,
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
    assert request.id is not None
    attachments = await list_attachments(session=session, request_id=request.id)
    files = [t("brief.files", count=len(attachments))] if attachments else []
    if chat is not None:
        text = Html(
            "\n".join(
                [
                    t("brief.title", number=_number(t, request)),
                    _brief(t, request, short=request.photo_file_id is not None),
                    *files,
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
        # The files after the brief's text (the outbox keeps a chat's rows in order).
        for index, attachment in enumerate(attachments, start=1):
            caption = t("brief.file", index=index, total=len(attachments), number=request.id)
            await enqueue(
                session=session,
                chat_id=chat,
                recipient_user_id=chat,
                reply=_file_reply(caption, attachment),
                kind="intro.brief_file",
                now=now,
                dedupe_key=f"brief:{introduction.id}:file:{attachment.id}",
            )
        sent_to = "maker"
    else:
        hub_id = await maker_hub_id(session, maker)
        copy = "\n".join(
            [
                _plain(t("brief.title", number=_number(t, request))),
                _plain(_brief(t, request)),
                *(_plain(line) for line in files),
            ]
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
        for index, attachment in enumerate(attachments, start=1):  # to forward with the copy
            caption = t(
                "hub.file",
                index=index,
                total=len(attachments),
                number=request.id,
                maker=maker.name,
            )
            await notify_hub(
                session,
                hub_id=hub_id,
                reply=_file_reply(caption, attachment),
                kind="intro.brief_hub_file",
                key=f"brief:{introduction.id}:file:{attachment.id}",
                now=now,
                admin_ids=admin_ids,
            )
        sent_to = "hub"
    introduction.status = IntroductionStatus.BRIEF_SENT.value
    introduction.brief_sent_at = now
    introduction.updated_at = now
    session.add(introduction)
    _record(session, introduction, "brief_sent", now=now, actor=None, to=sent_to)
