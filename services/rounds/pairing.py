"""Proposing a round's pairing and approving it.

:func:`propose` scores every entry against every maker of the round (:mod:`.scoring`) and
stores the pairing of greatest total expected yes that respects each maker's capacity
(:mod:`.solver`); entries no maker of the round fits stay unpaired. :func:`move_options` and
:func:`move` let a coordinator give an entry another eligible maker with a place left.
:func:`approve` turns every pair into an introduction and submits them all at once through the
normal lifecycle (:func:`services.introductions.submit_request`): the maker gets the
anonymised brief and answers, and contact details pass only after both said yes. Unpaired
entries become unmet requests, which the hub hears of as always. Each designer is told how
their round went.

Everything works in the caller's transaction and sends only through the outbox.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.introductions import submit_request
from services.messages import Reply
from services.outbox import enqueue
from services.rounds.scoring import ExpectedYes
from services.rounds.solver import best_pairing
from services.rounds.texts import RoundTexts
from storage.models import (
    Designer,
    Introduction,
    Maker,
    MatchRequest,
    RequestStatus,
    Round,
    RoundEntry,
    RoundPair,
    RoundPairStatus,
    RoundStatus,
)
from storage.repositories.rounds import (
    list_entries,
    list_pairs,
    list_round_makers,
    replace_pairs,
    set_status,
)

__all__ = ["MoveOption", "approve", "move", "move_options", "propose"]

OPEN_PAIR = (RoundPairStatus.PROPOSED.value, RoundPairStatus.SWAPPED.value)


async def propose(
    *, session: AsyncSession, round_: Round, expected_yes: ExpectedYes, now: datetime
) -> list[RoundPair]:
    """Store the best pairing for the round (closed or proposed) and mark it proposed."""
    assert round_.id is not None
    makers = await list_round_makers(session=session, round_id=round_.id)
    entries = await list_entries(session=session, round_id=round_.id)
    profiles = [maker.to_profile() for _, maker in makers]
    scores: list[list[float | None]] = []
    for _, request, _ in entries:
        eligible = expected_yes(request, profiles, today=now.date())
        scores.append([eligible.get(maker.external_id) for _, maker in makers])
    pairing = best_pairing(scores, [place.capacity for place, _ in makers])
    pairs = []
    for (entry, _, _), column, row in zip(entries, pairing.makers, scores, strict=True):
        if column is None:
            continue
        maker = makers[column][1]
        assert entry.id is not None and maker.id is not None
        pairs.append(
            RoundPair(
                round_id=round_.id, entry_id=entry.id, maker_id=maker.id, score=row[column] or 0.0
            )
        )
    await replace_pairs(session=session, round_id=round_.id, pairs=pairs)
    await set_status(
        session=session,
        round_id=round_.id,
        before=(RoundStatus.CLOSED.value, RoundStatus.PROPOSED.value),
        after=RoundStatus.PROPOSED.value,
        proposed_at=now,
    )
    await session.refresh(round_)
    return pairs


@dataclass(frozen=True, slots=True)
class MoveOption:
    maker: Maker
    score: float
    places_left: int


async def move_options(
    *,
    session: AsyncSession,
    round_: Round,
    entry_id: int,
    expected_yes: ExpectedYes,
    now: datetime,
) -> list[MoveOption]:
    """The makers an entry may be moved to: eligible for its brief, not its maker now, with a
    place left; best first."""
    assert round_.id is not None
    entry = next(
        (
            e
            for e, _, _ in await list_entries(session=session, round_id=round_.id)
            if e.id == entry_id
        ),
        None,
    )
    if entry is None:
        return []
    request = await session.get(MatchRequest, entry.request_id)
    if request is None:
        return []
    makers = await list_round_makers(session=session, round_id=round_.id)
    pairs = await list_pairs(session=session, round_id=round_.id)
    current = next((p.maker_id for p in pairs if p.entry_id == entry_id), None)
    taken = _load(pairs)
    eligible = expected_yes(request, [m.to_profile() for _, m in makers], today=now.date())
    options = []
    for place, maker in makers:
        score = eligible.get(maker.external_id)
        left = place.capacity - taken.get(place.maker_id, 0)
        if score is None or maker.id == current or left <= 0:
            continue
        options.append(MoveOption(maker, score, left))
    options.sort(key=lambda option: (-option.score, option.maker.name))
    return options


async def move(
    *,
    session: AsyncSession,
    round_: Round,
    entry_id: int,
    maker_id: int,
    expected_yes: ExpectedYes,
    now: datetime,
) -> bool:
    """Give the entry ``maker_id`` instead (or at all), if that is still one of its options."""
    assert round_.id is not None
    options = await move_options(
        session=session, round_=round_, entry_id=entry_id, expected_yes=expected_yes, now=now
    )
    chosen = next((o for o in options if o.maker.id == maker_id), None)
    if chosen is None:
        return False
    pairs = await list_pairs(session=session, round_id=round_.id)
    pair = next((p for p in pairs if p.entry_id == entry_id), None)
    if pair is None:
        pair = RoundPair(round_id=round_.id, entry_id=entry_id, maker_id=maker_id)
    pair.maker_id = maker_id
    pair.score = chosen.score
    pair.status = RoundPairStatus.SWAPPED.value
    session.add(pair)
    await session.flush()
    return True


def _load(pairs: Sequence[RoundPair]) -> dict[int, int]:
    load: dict[int, int] = {}
    for pair in pairs:
        load[pair.maker_id] = load.get(pair.maker_id, 0) + 1
    return load


async def approve(
    *,
    session: AsyncSession,
    round_: Round,
    user_id: int,
    now: datetime,
    admin_ids: Collection[int],
) -> bool:
    """The proposal as it stands goes out: one introduction per pair, briefed through the
    normal lifecycle; unpaired entries become unmet requests. ``False`` if the round was not
    (or no longer) proposed."""
    assert round_.id is not None
    moved = await set_status(
        session=session,
        round_id=round_.id,
        before=(RoundStatus.PROPOSED.value,),
        after=RoundStatus.APPROVED.value,
        approved_at=now,
        approved_by=user_id,
    )
    if not moved:
        return False
    pairs = {p.entry_id: p for p in await list_pairs(session=session, round_id=round_.id)}
    makers = {m.id: m for _, m in await list_round_makers(session=session, round_id=round_.id)}
    for entry, request, designer in await list_entries(session=session, round_id=round_.id):
        assert request.id is not None
        pair = pairs.get(entry.id or 0)
        maker = makers.get(pair.maker_id) if pair is not None else None
        if pair is not None and maker is not None and pair.status in OPEN_PAIR:
            introduction = Introduction(
                request_id=request.id, maker_id=pair.maker_id, created_at=now, updated_at=now
            )
            session.add(introduction)
            await session.flush()
            pair.introduction_id = introduction.id
            pair.status = RoundPairStatus.APPROVED.value
            session.add(pair)
            request.status = RequestStatus.SUBMITTED.value
        else:
            maker = None
            request.status = RequestStatus.UNMET.value
        request.updated_at = now
        session.add(request)
        await session.flush()
        await submit_request(session=session, request_id=request.id, now=now, admin_ids=admin_ids)
        await _tell_designer(session, round_, entry, request, designer, maker, now)
    await session.refresh(round_)
    return True


async def _tell_designer(
    session: AsyncSession,
    round_: Round,
    entry: RoundEntry,
    request: MatchRequest,
    designer: Designer | None,
    maker: Maker | None,
    now: datetime,
) -> None:
    if designer is None or designer.telegram_user_id is None or designer.unreachable_at:
        return
    t = RoundTexts(designer.language)
    if maker is not None:
        text = t("designer.paired", theme=round_.theme, number=request.id, maker=maker.name)
    else:
        text = t("designer.unmet", theme=round_.theme, number=request.id)
    await enqueue(
        session=session,
        chat_id=designer.telegram_user_id,
        recipient_user_id=designer.telegram_user_id,
        reply=Reply(text),
        kind="round.result",
        now=now,
        dedupe_key=f"round:{round_.id}:entry:{entry.id}",
    )
