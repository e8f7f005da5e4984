"""Start the dialogue on a database: what ``spok-bot run`` and ``spok-bot chat`` share."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from services.demo import seed_demo
from services.dialogue.engine import DesignerDialogue
from services.hubs.desk import HubDesk
from services.hubs.registry import HubSpec, ensure_hubs
from services.matchmaking import Matchmaker
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.repositories.conversations import prune_processed_updates
from storage.repositories.makers import count_makers

# Telegram keeps an unconfirmed update for at most 24 hours; a week of ids is plenty.
KEEP_PROCESSED_UPDATES = timedelta(days=7)


@dataclass(slots=True)
class DialogueRuntime:
    dialogue: DesignerDialogue
    matchmaker: Matchmaker
    engine: AsyncEngine
    seeded: int = 0  # demo makers loaded into an empty catalogue at start (0: none)
    # Invites, roles and hub chats on the same database; set by the Telegram bot's start.
    hub_desk: HubDesk | None = None

    async def close(self) -> None:
        await self.engine.dispose()


async def start_dialogue(
    database_url: str,
    *,
    seed_demo_if_empty: bool = False,
    admin_ids: Collection[int] = (),
    notify: bool = True,
    hubs: Sequence[HubSpec] = (),
) -> DialogueRuntime:
    """Migrate the database, optionally seed the demo catalogue, load the index, build the dialogue.

    ``hubs`` (the configured ones) are created or updated first, so requests saved from the
    very first conversation belong to a hub, however the bot was started.

    Raises what the database driver raises when the database cannot be opened (``OSError``,
    ``SQLAlchemyError``); callers turn that into a one-line message.
    """
    await upgrade(database_url)
    engine = create_engine(database_url)
    try:
        sessions = session_factory(engine)
        seeded = 0
        async with sessions() as session:
            if hubs:
                await ensure_hubs(session=session, hubs=hubs)
            if seed_demo_if_empty and await count_makers(session=session) == 0:
                report = await seed_demo(session=session)
                seeded = len(report.rows)
            matchmaker = await Matchmaker.load(session=session)
            await prune_processed_updates(
                session=session, before=datetime.now(UTC) - KEEP_PROCESSED_UPDATES
            )
            await session.commit()
    except BaseException:
        await engine.dispose()
        raise
    dialogue = DesignerDialogue(sessions, matchmaker, admin_ids=admin_ids, notify=notify)
    return DialogueRuntime(dialogue, matchmaker, engine, seeded)
