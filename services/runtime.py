"""The composition root: everything the bot runs, started on one database, typed.

``spok-bot run`` (Telegram), ``spok-bot chat`` (the terminal) and the benchmarks all call
:func:`start_runtime`; the Telegram edge reads the :class:`Runtime` it returns through
:class:`bot.telegram.context.BotServices`. Nothing else builds services.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from services.catalogue.worker import ParseWorker
from services.demo import seed_demo
from services.dialogue.contract import Dialogue
from services.dialogue.engine import DesignerDialogue
from services.hubs.desk import HubDesk, start_hub_desk
from services.hubs.invites import DEFAULT_INVITE_DAYS
from services.hubs.registry import HubSpec
from services.inbox import KEEP_HANDLED
from services.limits import SendLimiter, SendSlots
from services.matchmaking import Matchmaker
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.repositories.conversations import prune_processed_updates
from storage.repositories.inbox import prune_inbox
from storage.repositories.makers import count_makers

__all__ = ["KEEP_PROCESSED_UPDATES", "Runtime", "limits_for", "start_runtime"]

# Telegram keeps an unconfirmed update for at most 24 hours; a week of ids is plenty.
KEEP_PROCESSED_UPDATES = timedelta(days=7)


@dataclass(slots=True)
class Runtime:
    """The started services.

    ``hub_desk`` (invites, roles, hub chats, and with them the database every coordinator and
    maker feature uses) is there when the Telegram bot started it; the terminal chat runs the
    dialogue alone. ``limits`` are Telegram's sending limits on this database (every process
    on PostgreSQL shares them; SQLite runs one process, which keeps them in memory), used by
    the outbox sender and the bot's direct replies alike. Tests may build one with only the
    parts they exercise. ``parse_worker`` reads and plans uploaded catalogues off the event
    loop (a process, started on first use).
    """

    dialogue: Dialogue
    matchmaker: Matchmaker | None = None
    engine: AsyncEngine | None = None
    hub_desk: HubDesk | None = None
    seeded: int = 0  # demo makers loaded into an empty catalogue at start (0: none)
    limits: SendSlots | None = None
    parse_worker: ParseWorker = field(default_factory=ParseWorker)

    async def close(self) -> None:
        self.parse_worker.close()
        if self.engine is not None:
            await self.engine.dispose()


async def start_runtime(
    database_url: str,
    *,
    seed_demo_if_empty: bool = False,
    admin_ids: Collection[int] = (),
    notify: bool = True,
    hubs: Sequence[HubSpec] | None = None,
    invite_lifetime: timedelta = timedelta(days=DEFAULT_INVITE_DAYS),
    bot_username: str | None = None,
    parse_worker: ParseWorker | None = None,
) -> Runtime:
    """Migrate the database, with ``hubs`` sync the hubs and start the hub desk, optionally
    seed the demo catalogue, load the index, build the dialogue.

    ``hubs`` (the configured ones) are created or updated first, so requests saved from the
    very first conversation belong to a hub, however the bot was started.

    Raises what the database driver raises when the database cannot be opened (``OSError``,
    ``SQLAlchemyError``); callers turn that into a one-line message.
    """
    await upgrade(database_url)
    engine = create_engine(database_url)
    try:
        sessions = session_factory(engine)
        hub_desk = None
        if hubs is not None:
            hub_desk = await start_hub_desk(
                sessions,
                hubs=hubs,
                admin_ids=admin_ids,
                invite_lifetime=invite_lifetime,
                bot_username=bot_username,
            )
        seeded = 0
        async with sessions() as session:
            if seed_demo_if_empty and await count_makers(session=session) == 0:
                report = await seed_demo(session=session)
                seeded = len(report.rows)
            matchmaker = await Matchmaker.load(session=session)
            await prune_processed_updates(
                session=session, before=datetime.now(UTC) - KEEP_PROCESSED_UPDATES
            )
            await prune_inbox(session=session, before=datetime.now(UTC) - KEEP_HANDLED)
            await session.commit()
    except BaseException:
        await engine.dispose()
        raise
    dialogue = DesignerDialogue(sessions, matchmaker, admin_ids=admin_ids, notify=notify)
    return Runtime(
        dialogue,
        matchmaker,
        engine,
        hub_desk,
        seeded,
        limits_for(engine),
        parse_worker or ParseWorker(),
    )


def limits_for(engine: AsyncEngine) -> SendLimiter:
    """Telegram's limits for the processes on ``engine``'s database: shared through the
    database on PostgreSQL; in memory on SQLite, which runs one bot process."""
    if engine.dialect.name == "postgresql":
        return SendLimiter.on_database(engine)
    return SendLimiter.in_memory()
