"""The inbox table: an update is stored once, claimed per chat in order, and a claim that was
never committed (its process died) is taken again; on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.inbox import Inbox
from services.messages import Reply
from services.outbox import enqueue_replies
from services.privacy import erase
from storage.models import Designer, InboxStatus, InboxUpdate, Outbox
from storage.repositories.inbox import count_inbox, prune_inbox

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def message(update_id: int, chat: int, text: str = "hej") -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Alva"},
            "text": text,
        },
    }


def inbox_on(session_maker: async_sessionmaker[AsyncSession]) -> Inbox:
    return Inbox(session_maker, clock=lambda: AT)


async def statuses(session_maker: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    async with session_maker() as session:
        rows = (await session.exec(select(InboxUpdate))).all()
    return {row.update_id: row.status for row in rows}


async def test_an_update_delivered_twice_is_stored_once(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    inbox = inbox_on(session_maker)
    assert await inbox.receive(message(1, 100)) is True
    assert await inbox.receive(message(1, 100, "changed on the way")) is False
    async with session_maker() as session:
        (row,) = (await session.exec(select(InboxUpdate))).all()
    assert (row.update_id, row.chat_key, row.status) == (1, 100, "pending")
    assert row.payload["message"]["text"] == "hej"  # type: ignore[index]


async def test_a_chats_updates_are_claimed_in_order_and_other_chats_meanwhile(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    inbox = inbox_on(session_maker)
    for update_id, chat in ((1, 100), (2, 100), (3, 200)):
        await inbox.receive(message(update_id, chat))
    async with session_maker() as first, session_maker() as second:
        await first.begin()
        claimed = await inbox.claim(first)
        assert claimed is not None and claimed.update_id == 1
        await second.begin()
        # Chat 100 is being handled (a row lock on PostgreSQL; on SQLite, where one process
        # runs, the edge names the chats it is handling): its next update is not free.
        other = await inbox.claim(second, exclude=() if not inbox.sqlite else (100,))
        assert other is not None and other.update_id == 3
        await inbox.done(first, claimed)
        await first.commit()
        await inbox.done(second, other)
        await second.commit()
    async with session_maker() as session:
        await session.begin()
        following = await inbox.claim(session)
        assert following is not None and following.update_id == 2
        await inbox.done(session, following)
        await session.commit()
    assert await statuses(session_maker) == {1: "done", 2: "done", 3: "done"}
    async with session_maker() as session:
        assert await inbox.claim(session) is None


async def test_a_claim_whose_process_died_before_its_commit_is_taken_again(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    """The process "dies" with the update claimed and its effects written but not committed:
    its connection goes (the server rolls the transaction back and, on PostgreSQL, releases
    the row lock: the lease ends with the connection), and another worker takes the update,
    from the start, with nothing of the first attempt left."""
    inbox = inbox_on(session_maker)
    await inbox.receive(message(7, 300))
    dying = session_maker()
    await dying.begin()
    claimed = await inbox.claim(dying)
    assert claimed is not None and claimed.update_id == 7
    dying.add(InboxUpdate(source="effect", update_id=1, chat_key=0, payload={}, received_at=AT))
    await dying.flush()
    if not inbox.sqlite:
        async with session_maker() as other:  # held: nobody else may take it meanwhile
            await other.begin()
            assert await inbox.claim(other) is None
    connection = await dying.connection()
    await connection.invalidate()  # the process is gone: its connection with it
    await dying.close()

    async with session_maker() as session:
        await session.begin()
        again = await inbox.claim(session)
        assert again is not None and again.update_id == 7
        await inbox.done(session, again)
        await session.commit()
    assert await statuses(session_maker) == {7: "done"}  # the dead attempt's effect is gone


async def test_rolled_back_handling_leaves_the_update_pending(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    inbox = inbox_on(session_maker)
    await inbox.receive(message(8, 400))
    async with session_maker() as session:
        await session.begin()
        claimed = await inbox.claim(session)
        assert claimed is not None
        await inbox.done(session, claimed)
        await session.rollback()
    assert await statuses(session_maker) == {8: "pending"}


async def test_a_failed_update_is_marked_and_not_claimed_again(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    inbox = inbox_on(session_maker)
    await inbox.receive(message(9, 500))
    async with session_maker() as session:
        row = (await session.exec(select(InboxUpdate))).one()
    assert row.id is not None
    assert await inbox.failed(row.id) == []
    assert await statuses(session_maker) == {9: "failed"}
    async with session_maker() as session:
        assert await inbox.claim(session) is None


async def test_handled_updates_are_pruned_after_a_week_and_pending_ones_never(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    old = Inbox(session_maker, clock=lambda: AT - timedelta(days=8))
    await old.receive(message(1, 1))
    await old.receive(message(2, 2))
    async with session_maker() as session:
        await session.begin()
        claimed = await old.claim(session)
        assert claimed is not None
        await old.done(session, claimed)
        await session.commit()
    async with session_maker() as session, session.begin():
        assert await prune_inbox(session=session, before=AT - timedelta(days=7)) == 1
    async with session_maker() as session:
        assert await count_inbox(session=session) == {InboxStatus.PENDING.value: 1}


async def test_a_chat_waits_while_its_earlier_replies_are_on_their_way(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    """Replies queued by a chat's previous update and not yet tried (or being sent under a
    live lease) hold that chat's next update back, so two processes never send a chat's
    replies out of order; other chats go on. A reply that failed once holds nothing up."""
    inbox = inbox_on(session_maker)
    await inbox.receive(message(1, 100))
    await inbox.receive(message(2, 200))
    async with session_maker() as session, session.begin():
        await enqueue_replies(
            session=session, chat_id=100, replies=[Reply("svar")], language_code=None, now=AT
        )
    async with session_maker() as session:
        await session.begin()
        claimed = await inbox.claim(session)
        assert claimed is not None and claimed.update_id == 2
        await session.rollback()
    async with session_maker() as session, session.begin():
        await session.exec(update(Outbox).values(attempts=1))  # tried once and failed
    async with session_maker() as session:
        await session.begin()
        claimed = await inbox.claim(session)
        assert claimed is not None and claimed.update_id == 1
        await session.rollback()


async def test_an_erasure_empties_what_the_person_sent_and_keeps_the_update_ids(
    session_maker: async_sessionmaker[AsyncSession],
) -> None:
    inbox = inbox_on(session_maker)
    await inbox.receive(message(1, 4242, "Alva Ek, alva@example.se, 070-123 45 67"))
    await inbox.receive(message(2, 777, "someone else"))
    async with session_maker() as session, session.begin():
        designer = Designer(telegram_user_id=4242, name="Alva Ek", email="alva@example.se")
        session.add(designer)
        await session.flush()
        await erase(session=session, designer=designer)
    async with session_maker() as session:
        rows = {r.update_id: r.payload for r in (await session.exec(select(InboxUpdate))).all()}
    assert rows[1] == {}
    assert rows[2]["message"]["text"] == "someone else"  # type: ignore[index]
    assert await inbox.receive(message(1, 4242)) is False  # still known: not handled again
