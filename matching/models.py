"""Plain value types that flow into and out of the matching core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class VolumeStage(StrEnum):
    """How many of a thing the designer needs; the hubs' three stages."""

    PROTOTYPE = "prototype"  # one-off / prototype (unikat, enstyck, prototyp)
    PILOT = "pilot"  # pilot or small series (småserie, pilotserie)
    PRODUCTION = "production"  # ongoing production (löpande tillverkning)


STAGE_ORDER = (VolumeStage.PROTOTYPE, VolumeStage.PILOT, VolumeStage.PRODUCTION)


def neighbouring_stages(stage: VolumeStage) -> frozenset[VolumeStage]:
    """The stages next to ``stage``: a prototype shop may stretch to a small series."""
    position = STAGE_ORDER.index(stage)
    return frozenset(
        STAGE_ORDER[i] for i in (position - 1, position + 1) if 0 <= i < len(STAGE_ORDER)
    )


class MakerStatus(StrEnum):
    LISTED = "listed"
    PAUSED = "paused"
    UNLISTED = "unlisted"


class Offer(StrEnum):
    """What kind of thing a maker sells (a listing's ``offers``; several may apply).

    An empty set means the listing does not say, never "offers nothing".
    """

    PRODUCTS = "products"  # finished products (produkter)
    PARTS = "parts"  # parts and components made to drawing (komponenter, detaljer)
    MATERIALS = "materials"  # raw or semi-finished material (virke, plåt, tyg)
    SURFACE_TREATMENT = "surface_treatment"  # painting, coating, finishing (ytbehandling)
    TOOLS = "tools"  # tools, jigs, moulds (verktyg, formar)
    CRAFT = "craft"  # handcraft, one-offs by hand (hantverk)


class ClientKind(StrEnum):
    """Whom a maker takes work from (a listing's ``works_with``; several may apply).

    An empty set means the listing does not say, never "works with nobody": a ranking must
    treat it as unknown, not as a refusal.
    """

    STUDENTS = "students"  # students and school projects (studenter)
    SOLE_TRADERS = "sole_traders"  # sole traders, one-person firms (enskild firma)
    COMPANIES = "companies"  # companies (företag)
    PUBLIC_SECTOR = "public_sector"  # municipalities, regions, agencies (offentlig sektor)


OFFER_ORDER = tuple(Offer)
CLIENT_ORDER = tuple(ClientKind)


@dataclass(frozen=True, slots=True)
class MakerProfile:
    """What the ranking needs to know about one maker listing.

    ``materials`` and ``processes`` are the maker's own words as written in the catalogue
    ("ek, björk", "CNC-fräsning"); the index maps them onto the taxonomy itself.
    """

    id: str  # the catalogue's stable external id
    name: str
    lat: float
    lon: float
    municipality_code: str = ""
    materials: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    volumes: frozenset[VolumeStage] = field(default_factory=frozenset)
    description: str = ""
    status: MakerStatus = MakerStatus.LISTED
    paused_until: date | None = None
    last_confirmed: date | None = None
    # 0 = fresh; raised by unanswered "still taking requests?" checks, 1 = fully stale.
    freshness_penalty: float = 0.0
    town: str = ""  # the place as the catalogue names it ("Skene", "Borås")
    website: str = ""
    # The fuller listing (all optional; "unknown" is None / empty, never a refusal):
    # the smallest order the maker takes, in pieces (None: not stated, no known minimum);
    min_order: int | None = None
    # their usual lead time from order to delivery, in days (None: not stated);
    lead_time_days: int | None = None
    offers: frozenset[Offer] = field(default_factory=frozenset)  # empty: not stated
    works_with: frozenset[ClientKind] = field(default_factory=frozenset)  # empty: not stated
    # machines and equipment in the maker's own words ("5-axlig CNC, kantpress 100 t"),
    # searched as part of the listing's text like the description;
    equipment: str = ""
    portfolio_url: str = ""  # a link to their work ("" when none)
    # Opaque ids of up to three photos of their work, shown by the bot; the ranking ignores them.
    photos: tuple[str, ...] = ()

    def is_available(self, today: date) -> bool:
        """Listed, or paused with a paused-until date that has passed."""
        if self.status is MakerStatus.LISTED:
            return True
        if self.status is MakerStatus.PAUSED:
            return self.paused_until is not None and self.paused_until < today
        return False
