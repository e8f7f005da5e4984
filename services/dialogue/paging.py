"""The result list's mechanics, apart from what a card says: pages, stable numbers, picks.

A search ranks up to :data:`MAX_SHOWN` makers once, in a deterministic order, so maker number 7
is the seventh of that ranking on every page, forward or back, and after a restart. Pages show
:data:`PAGE_SIZE` of them. Picks are the makers' catalogue ids, kept across pages, edits of the
request and new searches until the designer removes them (or starts a new request), at most
:data:`MAX_PICKS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

PAGE_SIZE = 5
MAX_SHOWN = 50
MAX_PICKS = 3


@dataclass(frozen=True, slots=True)
class Window:
    """One page of the ranking: numbers ``first``..``last`` (1-based, inclusive)."""

    page: int
    first: int
    last: int
    total: int  # makers that fit at all (may exceed what is shown)
    has_previous: bool
    has_next: bool


def window(page: int, ranked: int, total: int) -> Window:
    """Page ``page`` of ``ranked`` ranked makers (of ``total`` that fit); a page past the end
    (the catalogue shrank since) is the last one.

    >>> w = window(1, 9, 9)
    >>> (w.first, w.last, w.has_previous, w.has_next)
    (6, 9, True, False)
    >>> window(0, 50, 120).has_next, window(9, 50, 120).has_next
    (True, False)
    """
    shown = min(ranked, MAX_SHOWN)
    last_page = max((shown - 1) // PAGE_SIZE, 0)
    page = min(max(page, 0), last_page)
    first = page * PAGE_SIZE + 1
    last = min(first + PAGE_SIZE - 1, shown)
    return Window(page, first, last, total, page > 0, last < shown)


class PickOutcome(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    FULL = "full"  # already MAX_PICKS: remove one first


def toggle(picks: Sequence[str], maker_id: str) -> tuple[list[str], PickOutcome]:
    """Pick ``maker_id``, or remove it if it was picked; the picks in the order made.

    >>> toggle(["a"], "b"), toggle(["a", "b"], "a")
    ((['a', 'b'], <PickOutcome.ADDED: 'added'>), (['b'], <PickOutcome.REMOVED: 'removed'>))
    >>> toggle(["a", "b", "c"], "d")[1]
    <PickOutcome.FULL: 'full'>
    """
    if maker_id in picks:
        return [p for p in picks if p != maker_id], PickOutcome.REMOVED
    if len(picks) >= MAX_PICKS:
        return list(picks), PickOutcome.FULL
    return [*picks, maker_id], PickOutcome.ADDED


def typed_number(text: str) -> int | None:
    """A maker's number typed instead of pressed: "7", "nr 7", "#7", "7." → 7.

    >>> [typed_number(t) for t in ("7", "nr 7", "#12", "7.", "no. 3", "sju", "7 st")]
    [7, 7, 12, 7, 3, None, None]
    """
    cleaned = text.strip().casefold().removeprefix("nr").removeprefix("no.").removeprefix("no")
    cleaned = cleaned.strip().removeprefix("#").removesuffix(".").strip()
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 3 else None
