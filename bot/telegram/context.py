"""The started services every Telegram feature reads, typed: one object, built once in
:func:`bot.telegram.app.build_application`.

It is empty until the Application's ``post_init`` starts the :class:`~services.runtime.Runtime`
and empty again after ``post_shutdown``, so the services live exactly as long as the bot's
event loop. Features that need the database step aside while there is no hub desk (a runtime
that has none, as in some tests). ``clock`` dates everything the edge does; tests move it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.telegram.transport.scope import current_scope, run_after_commit
from services.catalogue.desk import CatalogueDesk
from services.catalogue.listing import ListingDesk
from services.dialogue.contract import Dialogue
from services.followups import FollowUpPolicy
from services.hubs.desk import HubDesk
from services.matchmaking import Matchmaker
from services.runtime import Runtime
from storage.models import utcnow


@dataclass
class BotServices:
    clock: Callable[[], datetime] = field(default=lambda: utcnow())
    followup_policy: FollowUpPolicy = field(default_factory=FollowUpPolicy)
    runtime: Runtime | None = None
    catalogue: CatalogueDesk | None = None  # built on the hub desk and the matchmaker
    listings: ListingDesk | None = None

    def start(self, runtime: Runtime) -> None:
        self.runtime = runtime
        desk = runtime.hub_desk
        if desk is None:
            self.catalogue = self.listings = None
            return
        self.catalogue = CatalogueDesk(
            desk.sessions,
            desk.admin_ids,
            runtime.matchmaker,
            desk.invite_lifetime,
            worker=runtime.parse_worker,
        )
        self.listings = ListingDesk(self.catalogue)

    def stop(self) -> None:
        self.runtime = None
        self.catalogue = self.listings = None

    def dialogue(self) -> Dialogue:
        if self.runtime is None:
            raise RuntimeError("the bot's services are not running")
        return self.runtime.dialogue

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """The session a handler writes its effects in, never committing itself.

        While the update is handled from the inbox this is the update's own transaction: the
        edge marks the update done in it and commits once, so its effects, its replies and its
        done mark are kept or lost together. Otherwise (no database behind the inbox: tests
        of single features) a session of its own, committed when the block ends without an
        exception.
        """
        scope = current_scope()
        if scope is not None:
            yield scope.session
            return
        sessions = self.sessions
        if sessions is None:
            raise RuntimeError("the bot's services have no database")
        async with sessions() as session:
            yield session
            await session.commit()
            await run_after_commit(session)

    @property
    def hub_desk(self) -> HubDesk | None:
        return self.runtime.hub_desk if self.runtime is not None else None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession] | None:
        """The database of every coordinator and maker feature (the hub desk's)."""
        desk = self.hub_desk
        return desk.sessions if desk is not None else None

    @property
    def admin_ids(self) -> frozenset[int]:
        desk = self.hub_desk
        return desk.admin_ids if desk is not None else frozenset()

    @property
    def matchmaker(self) -> Matchmaker | None:
        return self.runtime.matchmaker if self.runtime is not None else None

    @property
    def bot_username(self) -> str | None:
        desk = self.hub_desk
        return desk.bot_username if desk is not None else None
