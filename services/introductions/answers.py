"""Pressing a button: Interested, Not now (with a reason), a question, a coordinator
answering for a maker; contacts pass only on Interested, alternatives on Not now."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import VolumeStage
from matching.places import Place
from services.hubs.access import access_for, log_refusal
from services.hubs.notices import designer_label, new_token, notify_hub
from services.introductions.blocked import mark_reachable
from services.introductions.common import (
    _card,
    _designer_chat,
    _designer_texts,
    _maker_chat,
    _municipality,
    _number,
    _parties,
    _record,
    _transition,
)
from services.introductions.model import (
    _OPEN,
    HUB_LANGUAGE,
    MAKER_LANGUAGE,
    MAX_ALTERNATIVES,
    Action,
    DeclineReason,
    PressOutcome,
    PressStatus,
)
from services.introductions.relay import _close_relays, _open_question
from services.introductions.submit import _open_request, _send_brief
from services.introductions.texts import IntroTexts
from services.matchmaking import DesignerRequest, Matchmaker, RequestError
from services.messages import Button, Html, Reply
from services.outbox import enqueue
from services.reciprocal.store import load_signals
from storage.models import (
    ActionToken,
    Designer,
    Introduction,
    IntroductionStatus,
    Maker,
    MatchRequest,
)


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
    alternatives = await _alternatives(session, request, matchmaker, now)
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
    session: AsyncSession, request: MatchRequest, matchmaker: Matchmaker | None, now: datetime
) -> list[Maker]:
    """The best makers for ``request`` that were not asked about it yet (at most three); with
    the reciprocal ranking, those likely to say yes first and none whose week is full."""
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
                deadline=request.deadline,
            ),
            today=now.date(),
            signals=(
                await load_signals(session=session, now=now, default_cap=matchmaker.weekly_cap)
                if matchmaker.reciprocal
                else None
            ),
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
