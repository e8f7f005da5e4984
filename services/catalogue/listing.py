"""The coordinators' listing desk: find a maker (``/maker``), pause, unlist or relist them, set
how many briefs they get a week (the reciprocal ranking's cap), make an invite link for them,
and see the stale listings (``/stale``).

A coordinator acts on their own hubs' makers only (admins on all); a maker's hub is the one set
on the listing, else the hub of its county (:class:`services.catalogue.tokens.HubMap`). A maker's
card carries one single-use token for its buttons (see :mod:`services.catalogue.tokens`); every
action answers with the card as it is now, with a fresh token. A changed listing is committed,
then handed to the running matchmaker, so the next search already sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.models import MakerStatus
from matching.text import fold
from services.catalogue.desk import CatalogueDesk
from services.catalogue.tokens import DeskRefusal, HubMap, claim, issue, token_row
from services.hubs.access import Access, log_refusal
from services.hubs.invites import InviteCreated, InviteRefusal, create_maker_invite
from services.reciprocal.model import DEFAULT_WEEKLY_CAP
from storage.models import FollowUp, FollowUpKind, FollowUpStatus, Maker
from storage.repositories.hubs import list_hubs
from storage.repositories.makers import list_makers

__all__ = [
    "CAP_CHOICES",
    "MAKER_ACTION",
    "PAUSE_DAYS",
    "ListingDesk",
    "MakerCard",
    "MakerChoice",
    "MakerFound",
    "StaleListing",
]

MAKER_ACTION = "cat.maker"
SEARCH_LIMIT = 5
SEARCH_CUTOFF = 80.0
MIN_PARTIAL_CHARS = 5
CLEAR_LEAD = 8.0  # the best match is shown as a card when no other comes this close


class MakerChoice:
    UNLIST = "u"
    RELIST = "r"
    INVITE = "i"
    PAUSE = "p"  # + days: "p14"
    CAP = "c"  # + briefs a week: "c5"


PAUSE_DAYS = (14, 30, 90)  # the card's pause buttons
CAP_CHOICES = (1, 2, 3, 5, 10)  # the card's weekly cap buttons (3 is the default)


@dataclass(frozen=True, slots=True)
class MakerCard:
    maker: Maker
    hub_name: str
    token: str
    invite: InviteCreated | None = None  # set right after the invite button
    done: str = ""  # the choice just carried out ("": a plain look-up)


@dataclass(frozen=True, slots=True)
class MakerFound:
    """A search: ``card`` when one maker is clearly meant, else ``matches`` to choose from."""

    card: MakerCard | None
    matches: tuple[Maker, ...] = ()


@dataclass(frozen=True, slots=True)
class StaleListing:
    maker: Maker
    last_unanswered: datetime | None  # the latest freshness check nobody answered


@dataclass(frozen=True)
class ListingDesk:
    desk: CatalogueDesk

    async def find(self, *, user_id: int, query: str, now: datetime) -> MakerFound | DeskRefusal:
        """The makers of the person's hubs whose id, name or place resembles ``query``."""
        async with self.desk.sessions() as session:
            access = await self.desk.access(session, user_id)
            if not access.is_staff:
                log_refusal(access, "maker_search")
                return DeskRefusal.NOT_STAFF
            hubs = HubMap(await list_hubs(session=session))
            makers = [m for m in await list_makers(session=session) if _mine(access, hubs, m)]
            wanted = fold(query)
            exact = [m for m in makers if fold(m.external_id) == wanted]
            scored = sorted(
                ((score, m) for m in makers if (score := _score(wanted, m)) >= SEARCH_CUTOFF),
                key=lambda pair: (-pair[0], pair[1].name),
            )
            if exact or (
                scored and (len(scored) == 1 or scored[0][0] - scored[1][0] >= CLEAR_LEAD)
            ):
                maker = exact[0] if exact else scored[0][1]
                card = await self._card(session, access, hubs, maker, now)
                await session.commit()
                return MakerFound(card)
            return MakerFound(None, tuple(m for _, m in scored[:SEARCH_LIMIT]))

    async def press(
        self, *, user_id: int, token: str, choice: str, now: datetime
    ) -> MakerCard | DeskRefusal | InviteRefusal:
        """A button under a maker's card: pause for N days, unlist, relist or invite."""
        async with self.desk.sessions() as session:
            access = await self.desk.access(session, user_id)
            row = await token_row(
                session, token=token, action_prefix=MAKER_ACTION, access=access, now=now
            )
            if isinstance(row, DeskRefusal):
                return row
            maker = await session.get(Maker, row.maker_id) if row.maker_id is not None else None
            if maker is None:
                return DeskRefusal.UNKNOWN_MAKER
            hubs = HubMap(await list_hubs(session=session))
            if not _mine(access, hubs, maker):  # no longer their hub's (moved, or role taken)
                log_refusal(access, "maker_action", maker_id=maker.id)
                return DeskRefusal.NOT_ALLOWED
            if not await claim(session, row, now):
                return DeskRefusal.USED
            invite = None
            changed = _act(maker, choice, now)
            if choice == MakerChoice.INVITE:
                created = await create_maker_invite(
                    session=session,
                    access=access,
                    maker_external_id=maker.external_id,
                    now=now,
                    lifetime=self.desk.invite_lifetime,
                )
                if isinstance(created, InviteRefusal):
                    return created
                invite = created
            elif not changed and choice not in _KNOWN:
                return DeskRefusal.UNKNOWN
            if changed:
                maker.updated_at = now
                session.add(maker)
            card = await self._card(session, access, hubs, maker, now, done=choice, invite=invite)
            profile = maker.to_profile()
            await session.commit()
        if changed and self.desk.index is not None:
            self.desk.index.apply(profile)
        return card

    async def stale(self, *, user_id: int) -> list[StaleListing] | DeskRefusal:
        """The person's hubs' makers with unanswered "still taking requests?" checks (a
        freshness penalty), the stalest first, with when the last such check went unanswered."""
        async with self.desk.sessions() as session:
            access = await self.desk.access(session, user_id)
            if not access.is_staff:
                log_refusal(access, "stale_listings")
                return DeskRefusal.NOT_STAFF
            hubs = HubMap(await list_hubs(session=session))
            rows = await session.exec(
                select(Maker)
                .where(col(Maker.freshness_penalty) > 0)
                .order_by(col(Maker.freshness_penalty).desc(), col(Maker.name))
            )
            makers = [m for m in rows.all() if _mine(access, hubs, m)]
            last = await session.exec(
                select(FollowUp.maker_id, func.max(FollowUp.due_at))
                .where(
                    col(FollowUp.kind) == FollowUpKind.FRESHNESS.value,
                    col(FollowUp.status) == FollowUpStatus.UNANSWERED.value,
                    col(FollowUp.maker_id).in_([m.id for m in makers]),
                )
                .group_by(col(FollowUp.maker_id))
            )
            unanswered = {maker_id: due for maker_id, due in last.all()}
        return [StaleListing(m, unanswered.get(m.id)) for m in makers]

    async def _card(
        self,
        session: AsyncSession,
        access: Access,
        hubs: HubMap,
        maker: Maker,
        now: datetime,
        *,
        done: str = "",
        invite: InviteCreated | None = None,
    ) -> MakerCard:
        hub = hubs.of_maker(maker)
        token = await issue(
            session,
            action=MAKER_ACTION,
            user_id=access.user_id,
            now=now,
            hub_id=hub.id,
            maker_id=maker.id,
        )
        return MakerCard(maker, hub.name, token, invite, done)


_KNOWN = (
    {MakerChoice.UNLIST, MakerChoice.RELIST, MakerChoice.INVITE}
    | {f"{MakerChoice.PAUSE}{days}" for days in PAUSE_DAYS}
    | {f"{MakerChoice.CAP}{cap}" for cap in CAP_CHOICES}
)


def _act(maker: Maker, choice: str, now: datetime) -> bool:
    """Change the listing as ``choice`` says; ``True`` if it changed."""
    before = (maker.status, maker.paused_until, maker.weekly_brief_cap)
    if choice == MakerChoice.UNLIST:
        maker.status, maker.paused_until = MakerStatus.UNLISTED.value, None
    elif choice == MakerChoice.RELIST:
        maker.status, maker.paused_until = MakerStatus.LISTED.value, None
    elif choice in _KNOWN and choice.startswith(MakerChoice.PAUSE):
        days = int(choice[len(MakerChoice.PAUSE) :])
        maker.status = MakerStatus.PAUSED.value
        maker.paused_until = (now + timedelta(days=days)).date()
    elif choice in _KNOWN and choice.startswith(MakerChoice.CAP):
        cap = int(choice[len(MakerChoice.CAP) :])
        maker.weekly_brief_cap = None if cap == DEFAULT_WEEKLY_CAP else cap
    return (maker.status, maker.paused_until, maker.weekly_brief_cap) != before


def _mine(access: Access, hubs: HubMap, maker: Maker) -> bool:
    return access.can_coordinate(hubs.of_maker(maker).id)


def _score(wanted: str, maker: Maker) -> float:
    if not wanted:
        return 0.0
    name = fold(maker.name)
    # A part of the name ("ekdahl") counts only when long enough to mean something: "vg 1"
    # is in many names.
    partial = fuzz.partial_ratio(wanted, name) if len(wanted) >= MIN_PARTIAL_CHARS else 0.0
    name_score = max(fuzz.ratio(wanted, name), fuzz.token_set_ratio(wanted, name), partial)
    place = fuzz.ratio(wanted, fold(maker.place_name)) if maker.place_name else 0.0
    ident = fuzz.ratio(wanted, fold(maker.external_id))
    return float(max(name_score, place, ident))
