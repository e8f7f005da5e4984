"""Designers, their requests and the introductions they asked for. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Designer, Introduction, Maker, MatchRequest, RequestAttachment

__all__ = [
    "add_introductions",
    "count_introductions",
    "create_request",
    "get_designer_by_telegram_id",
    "list_requests",
    "save_designer",
]


async def get_designer_by_telegram_id(
    *, session: AsyncSession, telegram_user_id: int
) -> Designer | None:
    result = await session.exec(
        select(Designer).where(Designer.telegram_user_id == telegram_user_id)
    )
    return result.first()


async def save_designer(*, session: AsyncSession, designer: Designer) -> Designer:
    """Insert or update; flushes so a new designer has its ``id``."""
    session.add(designer)
    await session.flush()
    return designer


async def create_request(*, session: AsyncSession, request: MatchRequest) -> MatchRequest:
    session.add(request)
    await session.flush()
    return request


async def add_attachments(
    *, session: AsyncSession, request_id: int, attachments: Sequence[RequestAttachment]
) -> None:
    """Store the files that go with request ``request_id``'s brief, in the order given."""
    for attachment in attachments:
        attachment.request_id = request_id
        session.add(attachment)
    await session.flush()


async def list_attachments(*, session: AsyncSession, request_id: int) -> list[RequestAttachment]:
    """A request's files, in the order the designer sent them."""
    result = await session.exec(
        select(RequestAttachment)
        .where(col(RequestAttachment.request_id) == request_id)
        .order_by(col(RequestAttachment.id))
    )
    return list(result.all())


async def add_introductions(
    *, session: AsyncSession, request_id: int, maker_external_ids: Sequence[str]
) -> list[Introduction]:
    """One ``requested`` introduction per maker that still exists, in the order given."""
    if not maker_external_ids:
        return []
    result = await session.exec(
        select(Maker).where(col(Maker.external_id).in_(list(maker_external_ids)))
    )
    by_external_id = {maker.external_id: maker for maker in result.all()}
    introductions = []
    for external_id in maker_external_ids:
        maker = by_external_id.get(external_id)
        if maker is None or maker.id is None:
            continue
        introduction = Introduction(request_id=request_id, maker_id=maker.id)
        session.add(introduction)
        introductions.append(introduction)
    await session.flush()
    return introductions


async def list_requests(
    *, session: AsyncSession, designer_id: int, limit: int = 20
) -> list[MatchRequest]:
    """The designer's requests, newest first."""
    result = await session.exec(
        select(MatchRequest)
        .where(MatchRequest.designer_id == designer_id)
        .order_by(col(MatchRequest.created_at).desc(), col(MatchRequest.id).desc())
        .limit(limit)
    )
    return list(result.all())


async def count_introductions(*, session: AsyncSession, request_id: int) -> int:
    result = await session.exec(
        select(func.count()).select_from(Introduction).where(Introduction.request_id == request_id)
    )
    return result.one()
