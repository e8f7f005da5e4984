"""SPOK's regional hubs: which exist, which counties each covers, and whose a request is.

Hubs follow counties (län). The seed below is SPOK's current network; ``HUBS_FILE`` replaces it
with a TOML list (see :func:`load_hubs_file`). Exactly one hub covers no county: the national
fallback that a request belongs to when no regional hub covers its place.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from matching.places import load_places
from services.operator_texts import OperatorTexts
from storage.models import Hub, Maker
from storage.repositories.hubs import get_hub, get_hub_by_slug, list_coordinators, list_hubs

__all__ = [
    "NATIONAL_SLUG",
    "SEED_HUBS",
    "HubConfigError",
    "HubMap",
    "HubOverview",
    "HubSpec",
    "coordinator_chats",
    "county_of_municipality",
    "ensure_hubs",
    "hub_for_county",
    "hub_for_request",
    "hub_of_maker",
    "hub_overview",
    "load_hubs_file",
    "validate_hubs",
]

NATIONAL_SLUG = "sverige"


@dataclass(frozen=True, slots=True)
class HubSpec:
    """A hub as configured: its stable slug, display name and county codes ("14")."""

    slug: str
    name: str
    counties: tuple[str, ...] = ()


SEED_HUBS: tuple[HubSpec, ...] = (
    HubSpec("vastra-gotaland", "SPOK Västra Götaland", ("14",)),
    HubSpec("skane", "SPOK Skåne", ("12",)),
    HubSpec("blekinge", "SPOK Blekinge", ("10",)),
    HubSpec("halland", "SPOK Halland", ("13",)),
    HubSpec("stockholm", "SPOK Stockholm", ("01",)),
    HubSpec(NATIONAL_SLUG, "SPOK Sverige", ()),
)


class HubConfigError(ValueError):
    """A hub list that cannot be used; the message says which hub and why."""


def validate_hubs(hubs: Sequence[HubSpec]) -> tuple[HubSpec, ...]:
    """``hubs`` if they are usable: unique slugs (letters, digits, ``-``, ``_``), known county
    codes, no county in two hubs, exactly one national fallback (no counties)."""
    known_counties = {county.code for county in load_places().counties()}
    slugs: set[str] = set()
    covered: dict[str, str] = {}
    fallbacks = []
    for hub in hubs:
        if not hub.slug or not all(c.isascii() and (c.isalnum() or c in "-_") for c in hub.slug):
            raise HubConfigError(f"hub slug {hub.slug!r}: use letters, digits, - and _")
        if len(hub.slug) > 64:
            raise HubConfigError(f"hub slug {hub.slug!r}: at most 64 characters")
        if hub.slug in slugs:
            raise HubConfigError(f"hub slug {hub.slug!r} appears twice")
        slugs.add(hub.slug)
        if not hub.name.strip():
            raise HubConfigError(f"hub {hub.slug!r} has no name")
        for county in hub.counties:
            if county not in known_counties:
                raise HubConfigError(f"hub {hub.slug!r}: unknown county code {county!r}")
            if county in covered:
                raise HubConfigError(
                    f"county {county} is in both {covered[county]!r} and {hub.slug!r}"
                )
            covered[county] = hub.slug
        if not hub.counties:
            fallbacks.append(hub.slug)
    if len(fallbacks) != 1:
        raise HubConfigError(
            "exactly one hub must cover no county (the national fallback); "
            f"found {len(fallbacks)}: {', '.join(fallbacks) or 'none'}"
        )
    return tuple(hubs)


def load_hubs_file(path: Path) -> tuple[HubSpec, ...]:
    """Hubs from a TOML file, validated::

        [[hubs]]
        slug = "vastra-gotaland"
        name = "SPOK Västra Götaland"
        counties = ["14"]

        [[hubs]]
        slug = "sverige"
        name = "SPOK Sverige"
        counties = []

    Raises :class:`HubConfigError` (also for a missing or unreadable file).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise HubConfigError(f"cannot read {path}: {error}") from None
    rows = data.get("hubs")
    if not isinstance(rows, list) or not rows:
        raise HubConfigError(f"{path}: expected a list of [[hubs]]")
    hubs = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise HubConfigError(f"{path}: hub {number} is not a table")
        slug, name, counties = row.get("slug"), row.get("name"), row.get("counties", [])
        if not isinstance(slug, str) or not isinstance(name, str):
            raise HubConfigError(f"{path}: hub {number} needs a slug and a name (text)")
        if not isinstance(counties, list) or not all(isinstance(c, str) for c in counties):
            raise HubConfigError(f"{path}: hub {slug!r}: counties must be a list of codes")
        hubs.append(HubSpec(slug=slug, name=name, counties=tuple(counties)))
    return validate_hubs(hubs)


async def ensure_hubs(*, session: AsyncSession, hubs: Sequence[HubSpec]) -> list[Hub]:
    """Create or update each hub by slug (name and counties); the hubs in ``hubs``' order.

    Idempotent: hubs that already match are not written. A hub's bound chat is never touched,
    and hubs no longer configured are kept (makers, requests and coordinators refer to them).
    Flushes; the caller commits.
    """
    result = []
    for spec in validate_hubs(hubs):
        hub = await get_hub_by_slug(session=session, slug=spec.slug)
        if hub is None:
            hub = Hub(slug=spec.slug, name=spec.name, counties=list(spec.counties))
            session.add(hub)
        elif hub.name != spec.name or hub.counties != list(spec.counties):
            hub.name = spec.name
            hub.counties = list(spec.counties)  # a new list: JSON columns are not mutation-tracked
            session.add(hub)
        result.append(hub)
    await session.flush()
    return result


def hub_for_county(*, hubs: Sequence[Hub], county_code: str | None) -> Hub:
    """The hub covering ``county_code``, else the national fallback (the hub without counties).

    ``LookupError`` when neither exists (hubs were never synced).
    """
    fallback = None
    for hub in hubs:
        if county_code is not None and county_code in hub.counties:
            return hub
        if not hub.counties and fallback is None:
            fallback = hub
    if fallback is None:
        raise LookupError("no hub covers this county and there is no national fallback hub")
    return fallback


def county_of_municipality(municipality_code: str | None) -> str | None:
    """SCB's municipality code starts with its county's: "1480" (Göteborg) → "14"."""
    if municipality_code and len(municipality_code) == 4 and municipality_code.isdigit():
        return municipality_code[:2]
    return None


async def hub_for_request(*, session: AsyncSession, municipality_code: str | None) -> Hub:
    """The hub a request from ``municipality_code`` belongs to (see :func:`hub_for_county`)."""
    hubs = await list_hubs(session=session)
    return hub_for_county(hubs=hubs, county_code=county_of_municipality(municipality_code))


async def hub_of_maker(*, session: AsyncSession, maker: Maker) -> Hub:
    """The hub a maker belongs to: the one set on the listing, else the hub of its county."""
    if maker.hub_id is not None:
        hub = await get_hub(session=session, hub_id=maker.hub_id)
        if hub is not None:
            return hub
    return await hub_for_request(session=session, municipality_code=maker.municipality_code)


@dataclass(frozen=True, slots=True)
class HubOverview:
    """One line of ``spok-bot hubs list``."""

    slug: str
    name: str
    counties: tuple[str, ...]  # county names, e.g. "Skåne län"
    chat_id: int | None
    coordinators: int

    def to_text(self) -> str:
        area = ", ".join(self.counties) or "all of Sweden (national fallback)"
        chat = f"chat {self.chat_id}" if self.chat_id is not None else "no chat bound"
        coordinators = OperatorTexts().plain("hubs.coordinators", count=self.coordinators)
        return f"{self.slug}: {self.name} — {area}; {chat}; {coordinators}"


async def hub_overview(*, session: AsyncSession) -> list[HubOverview]:
    """Every hub in the database with its counties, bound chat and number of coordinators."""
    places = load_places()
    overview = []
    for hub in await list_hubs(session=session):
        assert hub.id is not None
        coordinators = await list_coordinators(session=session, hub_id=hub.id)
        overview.append(
            HubOverview(
                slug=hub.slug,
                name=hub.name,
                counties=tuple(places.county(code).name for code in hub.counties),
                chat_id=hub.telegram_chat_id,
                coordinators=len(coordinators),
            )
        )
    return overview


async def coordinator_chats(
    *, session: AsyncSession, hub_id: int, fallback_ids: Collection[int] = ()
) -> list[int]:
    """Where the hub's coordinator notifications go: its bound group chat; with none, each of
    its coordinators' private chats (a private chat's id is the person's user id); with no
    coordinators either, ``fallback_ids`` (the admins), so a notice always has a reader."""
    hub = await get_hub(session=session, hub_id=hub_id)
    if hub is not None and hub.telegram_chat_id is not None:
        return [hub.telegram_chat_id]
    coordinators = await list_coordinators(session=session, hub_id=hub_id)
    if coordinators:
        return [coordinator.telegram_user_id for coordinator in coordinators]
    return sorted(fallback_ids)


@dataclass(frozen=True)
class HubMap:
    """The hubs, held once per use case, to say whose a maker (or a place) is without a query
    per maker: the hub set on the listing, else the hub of its county (as
    :func:`services.hubs.registry.hub_of_maker`)."""

    hubs: Sequence[Hub]

    def by_id(self, hub_id: int | None) -> Hub | None:
        return next((hub for hub in self.hubs if hub.id == hub_id), None)

    def of_place(self, municipality_code: str | None) -> Hub:
        return hub_for_county(hubs=self.hubs, county_code=county_of_municipality(municipality_code))

    def of_maker(self, maker: Maker) -> Hub:
        return self.by_id(maker.hub_id) or self.of_place(maker.municipality_code)
