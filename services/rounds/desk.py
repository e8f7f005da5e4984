"""The coordinator's side of a round: ``/round`` and the round card's buttons, and the job
that closes rounds whose sign-up window ended.

``/round`` lists the hub's rounds; ``/round new [hub;] theme; closes [; opens]`` starts one
(a draft); ``/round makers N id[:capacity] …`` sets the makers taking part (without ids: lists
the hub's makers to pick from); ``/round N`` shows the round's card. The card's buttons open
sign-up (the deep link is shown), close it now, move a designer to another maker and approve.
Only the round's hub's coordinators (and admins) may do any of it; anyone else is refused and
logged by user id (:mod:`services.hubs.access`).

A card's buttons carry ``rnd:<token>:<choice>``; the token is an ActionToken addressed to the
round's hub (``action`` ``round:<id>``), so any of its coordinators may press it, and the
round's status decides what a press can still do (a second *Approve* finds it approved).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.hubs.access import Access, access_for, log_refusal
from services.hubs.notices import designer_label, maker_hub_id, new_token, notify_hub
from services.introductions.calendar import STOCKHOLM
from services.messages import Button, Html, Reply
from services.rounds.join import LINK_PREFIX
from services.rounds.pairing import approve, move, move_options, propose
from services.rounds.scoring import ExpectedYes
from services.rounds.texts import RoundTexts
from storage.models import ActionToken, Hub, Maker, MakerStatus, Round, RoundStatus
from storage.repositories.hubs import get_hub, get_hub_by_slug
from storage.repositories.rounds import (
    add_round,
    due_rounds,
    list_entries,
    list_pairs,
    list_round_makers,
    list_rounds,
    lock_round,
    set_round_makers,
    set_status,
)

__all__ = ["DATA_PREFIX", "HUB_LANGUAGE", "Pressed", "RoundDesk"]

DATA_PREFIX = "rnd:"
HUB_LANGUAGE = "sv"  # notices to a hub's chat, as the introductions' are
MAX_THEME = 200
MAX_CAPACITY = 20
MAX_MAKERS = 100  # the ranking's limit: a round's makers are scored in one ranking
LISTED_MAKERS_SHOWN = 80
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?")
_MAKER = re.compile(r"([^\s,:;]+)(?::(\d+))?")


@dataclass(frozen=True, slots=True)
class Pressed:
    notice: str | None = None
    replies: tuple[Reply, ...] = field(default=())


def parse_moment(text: str) -> datetime | None:
    """``2026-12-20`` (the end of that day, Stockholm time) or ``2026-12-20 18:00``.

    >>> parse_moment("2026-12-20").isoformat()
    '2026-12-20T23:00:00+00:00'
    >>> parse_moment("2026-12-20 18:00").isoformat()
    '2026-12-20T17:00:00+00:00'
    """
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups()[:3])
    try:
        if match.group(4) is None:
            local = datetime.combine(datetime(year, month, day).date(), time(), STOCKHOLM)
            local += timedelta(days=1)
        else:
            local = datetime(year, month, day, int(match.group(4)), int(match.group(5)))
            local = local.replace(tzinfo=STOCKHOLM)
    except ValueError:
        return None

    return local.astimezone(UTC)


def _local(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


class RoundDesk:
    """Every round action a coordinator takes, each in one transaction of its own."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        admin_ids: Collection[int],
        expected_yes: ExpectedYes,
    ) -> None:
        self.sessions = sessions
        self.admin_ids = frozenset(admin_ids)
        self.expected_yes = expected_yes

    # -- /round ----------------------------------------------------------------------------

    async def command(
        self, *, user_id: int, language: str, argument: str, now: datetime, bot_username: str
    ) -> Reply:
        t = RoundTexts(language)
        async with self.sessions() as session, session.begin():
            access = await access_for(
                session=session, telegram_user_id=user_id, admin_ids=self.admin_ids
            )
            if not access.is_staff:
                log_refusal(access, "round")
                return Reply(t("refused"))
            words = argument.split()
            verb = words[0].lower() if words else ""
            if not verb:
                return await self._list(session, access, t)
            if verb in ("new", "ny"):
                return await self._create(session, access, t, argument[len(words[0]) :], now)
            if verb in ("makers", "tillverkare"):
                return await self._makers(session, access, t, words[1:], now, bot_username)
            if verb.isdigit():
                round_ = await self._round(session, access, int(verb))
                if isinstance(round_, str):
                    return Reply(t(round_, number=verb))
                return await self._card(session, t, round_, now, bot_username)
            return Reply(t("usage"))

    async def _round(self, session: AsyncSession, access: Access, round_id: int) -> Round | str:
        """The round, locked, if this person may act for it; else the refusal's text key."""
        round_ = await lock_round(session=session, round_id=round_id)
        if round_ is None:
            return "unknown_round"
        if not access.can_coordinate(round_.hub_id):
            log_refusal(access, "round", round=round_id)
            return "not_your_round"
        return round_

    async def _list(self, session: AsyncSession, access: Access, t: RoundTexts) -> Reply:
        hub_ids = None if access.is_admin else access.coordinator_hub_ids
        rounds = await list_rounds(session=session, hub_ids=hub_ids, limit=10)
        lines: list[str] = [t("list.title")]
        for round_ in rounds:
            lines.append(
                t(
                    "list.item",
                    number=round_.id,
                    theme=round_.theme,
                    status=t.plain(f"status.{round_.status}"),
                    closes=_local(round_.closes_at),
                )
            )
        if not rounds:
            lines.append(t("list.none"))
        lines += ["", t("usage")]
        return Reply(Html("\n".join(lines)))

    async def _create(
        self, session: AsyncSession, access: Access, t: RoundTexts, rest: str, now: datetime
    ) -> Reply:
        fields = [part.strip() for part in rest.split(";")]
        hub: Hub | None = None
        if len(fields) >= 3:
            hub = await get_hub_by_slug(session=session, slug=fields[0].lower())
            if hub is not None:
                fields = fields[1:]
        if hub is None:
            hubs = sorted(access.coordinator_hub_ids)
            if len(hubs) != 1:
                return Reply(t("new.choose_hub"))
            hub = await get_hub(session=session, hub_id=hubs[0])
        if hub is None or hub.id is None or not access.can_coordinate(hub.id):
            log_refusal(access, "round.new", hub=hub.id if hub else None)
            return Reply(t("refused"))
        if len(fields) < 2 or not fields[0]:
            return Reply(t("new.usage"))
        theme = fields[0][:MAX_THEME]
        closes = parse_moment(fields[1])
        opens = parse_moment(fields[2]) if len(fields) > 2 and fields[2] else now
        if closes is None or opens is None:
            return Reply(t("new.bad_date"))
        if closes <= max(now, opens):
            return Reply(t("new.closes_first"))
        round_ = await add_round(
            session=session,
            round_=Round(
                hub_id=hub.id,
                theme=theme,
                token=secrets.token_urlsafe(12),
                opens_at=opens,
                closes_at=closes,
                created_by=access.user_id,
                created_at=now,
            ),
        )
        return Reply(t("new.created", number=round_.id, theme=theme, hub=hub.name))

    async def _makers(
        self,
        session: AsyncSession,
        access: Access,
        t: RoundTexts,
        words: list[str],
        now: datetime,
        bot_username: str,
    ) -> Reply:
        if not words or not words[0].isdigit():
            return Reply(t("makers.usage"))
        round_ = await self._round(session, access, int(words[0]))
        if isinstance(round_, str):
            return Reply(t(round_, number=words[0]))
        if round_.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
            return Reply(t("makers.too_late"))
        wanted = [m for m in _MAKER.finditer(" ".join(words[1:]))]
        if not wanted:
            return await self._hub_makers(session, t, round_)
        ids = [m.group(1) for m in wanted]
        found = {
            maker.external_id: maker
            for maker in (
                await session.exec(select(Maker).where(col(Maker.external_id).in_(ids)))
            ).all()
        }
        problems, chosen = [], []
        for match in wanted:
            external_id, capacity = match.group(1), int(match.group(2) or 1)
            maker = found.get(external_id)
            if maker is None or maker.id is None:
                problems.append(t("makers.unknown", id=external_id))
            elif await maker_hub_id(session, maker) != round_.hub_id:
                problems.append(t("makers.other_hub", id=external_id, name=maker.name))
            elif not 1 <= capacity <= MAX_CAPACITY:
                problems.append(t("makers.bad_capacity", id=external_id, max=MAX_CAPACITY))
            else:
                chosen.append((maker.id, capacity))
        chosen = list(dict(chosen).items())[:MAX_MAKERS]
        if problems:
            return Reply(Html("\n".join([t("makers.problems"), *problems])))
        assert round_.id is not None
        await set_round_makers(session=session, round_id=round_.id, capacities=chosen)
        return await self._card(session, t, round_, now, bot_username)

    async def _hub_makers(self, session: AsyncSession, t: RoundTexts, round_: Round) -> Reply:
        makers = (
            await session.exec(
                select(Maker)
                .where(col(Maker.status) != MakerStatus.UNLISTED.value)
                .order_by(col(Maker.name))
            )
        ).all()
        lines = [t("makers.pick", number=round_.id)]
        shown = 0
        for maker in makers:
            if await maker_hub_id(session, maker) != round_.hub_id:
                continue
            if shown == LISTED_MAKERS_SHOWN:
                lines.append(t("makers.more"))
                break
            lines.append(
                t("makers.item", id=maker.external_id, name=maker.name, town=maker.place_name)
            )
            shown += 1
        return Reply(Html("\n".join(lines)))

    # -- the card --------------------------------------------------------------------------

    async def _card(
        self,
        session: AsyncSession,
        t: RoundTexts,
        round_: Round,
        now: datetime,
        bot_username: str,
        *,
        notice: str | None = None,
    ) -> Reply:
        assert round_.id is not None
        hub = await get_hub(session=session, hub_id=round_.hub_id)
        makers = await list_round_makers(session=session, round_id=round_.id)
        entries = await list_entries(session=session, round_id=round_.id)
        lines: list[str] = [
            t(
                "card.title",
                number=round_.id,
                theme=round_.theme,
                hub=hub.name if hub else "–",
                status=t.plain(f"status.{round_.status}"),
            ),
            t("card.window", opens=_local(round_.opens_at), closes=_local(round_.closes_at)),
            t(
                "card.makers",
                count=len(makers),
                places=sum(place.capacity for place, _ in makers),
                makers=", ".join(f"{m.name} ({place.capacity})" for place, m in makers) or "–",
            ),
            t("card.entries", count=len(entries)),
        ]
        if notice:
            lines.insert(0, notice)
        token = new_token(session, action=f"round:{round_.id}", now=now, hub_id=round_.hub_id)

        def button(key: str, choice: str, **values: object) -> Button:
            return Button(t.plain(key, **values), f"{DATA_PREFIX}{token}:{choice}")

        rows: list[tuple[Button, ...]] = []
        if round_.status == RoundStatus.DRAFT:
            if makers:
                rows.append((button("button.open", "open"),))
            else:
                lines.append(t("card.add_makers", number=round_.id))
        elif round_.status == RoundStatus.OPEN:
            link = f"https://t.me/{bot_username}?start={LINK_PREFIX}{round_.token}"
            lines.append(t("card.link", link=link))
            rows.append((button("button.close", "close"),))
        elif round_.status in (RoundStatus.PROPOSED, RoundStatus.APPROVED):
            pairs = {p.entry_id: p for p in await list_pairs(session=session, round_id=round_.id)}
            names = {m.id: m.name for _, m in makers}
            lines.append(
                t(
                    "card.proposal",
                    pairs=len(pairs),
                    total=f"{sum(p.score for p in pairs.values()):.2f}",
                )
            )
            unmet = []
            for entry, request, designer in entries:
                pair = pairs.get(entry.id or 0)
                who = designer_label(designer)
                if pair is None:
                    unmet.append(t("card.unmet_item", number=request.id, designer=who))
                    if round_.status == RoundStatus.PROPOSED:
                        rows.append((button("button.pair", f"move:{entry.id}", number=request.id),))
                    continue
                lines.append(
                    t(
                        "card.pair",
                        number=request.id,
                        designer=who,
                        maker=names.get(pair.maker_id, "–"),
                        score=f"{pair.score:.2f}",
                        status=t.plain(f"pair_status.{pair.status}"),
                    )
                )
                if round_.status == RoundStatus.PROPOSED:
                    rows.append((button("button.move", f"move:{entry.id}", number=request.id),))
            lines.append(t("card.unmet", count=len(unmet)))
            lines += unmet
            if round_.status == RoundStatus.PROPOSED:
                rows.append((button("button.approve", "approve"),))
        return Reply(Html("\n".join(lines)), buttons=tuple(rows))

    # -- buttons ---------------------------------------------------------------------------

    async def press(
        self, *, user_id: int, language: str, data: str, now: datetime, bot_username: str
    ) -> Pressed:
        t = RoundTexts(language)
        token, _, choice = data.removeprefix(DATA_PREFIX).partition(":")
        async with self.sessions() as session, session.begin():
            access = await access_for(
                session=session, telegram_user_id=user_id, admin_ids=self.admin_ids
            )
            row = (
                await session.exec(select(ActionToken).where(col(ActionToken.token) == token))
            ).first()
            if row is None or not row.action.startswith("round:"):
                log_refusal(access, "round.press", reason="unknown")
                return Pressed(t.plain("press.unknown"))
            round_ = await self._round(session, access, int(row.action.removeprefix("round:")))
            if isinstance(round_, str):
                return Pressed(t.plain("press.refused"))
            return await self._pressed(session, t, round_, access, choice, now, bot_username)

    async def _pressed(
        self,
        session: AsyncSession,
        t: RoundTexts,
        round_: Round,
        access: Access,
        choice: str,
        now: datetime,
        bot_username: str,
    ) -> Pressed:
        assert round_.id is not None
        status = round_.status
        if choice == "open" and status == RoundStatus.DRAFT:
            if not await list_round_makers(session=session, round_id=round_.id):
                return Pressed(t.plain("press.no_makers"))
            await set_status(
                session=session,
                round_id=round_.id,
                before=(RoundStatus.DRAFT.value,),
                after=RoundStatus.OPEN.value,
            )
            await session.refresh(round_)
        elif choice == "close" and status == RoundStatus.OPEN:
            await self._close(session, round_, now)
        elif choice.startswith("move:") and status == RoundStatus.PROPOSED:
            return await self._move_options(session, t, round_, choice, now)
        elif choice.startswith("to:") and status == RoundStatus.PROPOSED:
            _, entry_id, maker_id = choice.split(":")
            moved = await move(
                session=session,
                round_=round_,
                entry_id=int(entry_id),
                maker_id=int(maker_id),
                expected_yes=self.expected_yes,
                now=now,
            )
            if not moved:
                return Pressed(t.plain("press.no_room"))
        elif choice == "approve" and status == RoundStatus.PROPOSED:
            await approve(
                session=session,
                round_=round_,
                user_id=access.user_id,
                now=now,
                admin_ids=self.admin_ids,
            )
            card = await self._card(session, t, round_, now, bot_username, notice=t("approved"))
            return Pressed(t.plain("press.done"), (card,))
        elif choice != "show":
            return Pressed(
                t.plain("press.already"), (await self._card(session, t, round_, now, bot_username),)
            )
        card = await self._card(session, t, round_, now, bot_username)
        return Pressed(t.plain("press.done"), (card,))

    async def _move_options(
        self, session: AsyncSession, t: RoundTexts, round_: Round, choice: str, now: datetime
    ) -> Pressed:
        entry_id = int(choice.removeprefix("move:"))
        options = await move_options(
            session=session,
            round_=round_,
            entry_id=entry_id,
            expected_yes=self.expected_yes,
            now=now,
        )
        token = new_token(session, action=f"round:{round_.id}", now=now, hub_id=round_.hub_id)
        rows = [
            (
                Button(
                    t.plain(
                        "button.to", maker=o.maker.name, score=f"{o.score:.2f}", left=o.places_left
                    ),
                    f"{DATA_PREFIX}{token}:to:{entry_id}:{o.maker.id}",
                ),
            )
            for o in options
        ]
        rows.append((Button(t.plain("button.back"), f"{DATA_PREFIX}{token}:show"),))
        text = t("move.prompt") if options else t("move.none")
        return Pressed(None, (Reply(text, buttons=tuple(rows)),))

    async def _close(self, session: AsyncSession, round_: Round, now: datetime) -> None:
        assert round_.id is not None
        closed = await set_status(
            session=session,
            round_id=round_.id,
            before=(RoundStatus.OPEN.value,),
            after=RoundStatus.CLOSED.value,
            closes_at=min(now, round_.closes_at),
        )
        if closed:
            await session.refresh(round_)
            await propose(session=session, round_=round_, expected_yes=self.expected_yes, now=now)

    # -- the closing job -------------------------------------------------------------------

    async def close_due(self, *, now: datetime, bot_username: str) -> int:
        """Close every round whose sign-up ended, propose its pairing and send the card to
        the hub's coordinators; how many rounds were closed. Each round in a transaction of
        its own, so one round's trouble leaves the others closed."""
        async with self.sessions() as session:
            round_ids = await due_rounds(session=session, now=now)
        closed = 0
        t = RoundTexts(HUB_LANGUAGE)
        for round_id in round_ids:
            async with self.sessions() as session, session.begin():
                round_ = await lock_round(session=session, round_id=round_id)
                if round_ is None or round_.status != RoundStatus.OPEN or round_.closes_at > now:
                    continue
                await self._close(session, round_, now)
                card = await self._card(
                    session, t, round_, now, bot_username, notice=t("closed_notice")
                )
                await notify_hub(
                    session,
                    hub_id=round_.hub_id,
                    reply=card,
                    kind="round.proposed",
                    key=f"round:{round_id}:proposed",
                    now=now,
                    admin_ids=self.admin_ids,
                )
                closed += 1
        return closed
