"""A result card shows what the fuller listing says where it helps choose, in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from matching.models import ClientKind, MakerProfile, Offer
from services.dialogue.cards import listing_facts, maker_card
from services.dialogue.texts import Texts
from services.matchmaking import DesignerRequest, Matchmaker

TODAY = date(2026, 6, 1)
PLAT = MakerProfile(
    "plat-1", "Plåt & Form", 57.7072, 11.9668, municipality_code="1480",
    materials=("stål",), processes=("laserskärning",), description="Plåtdetaljer.",
    min_order=50, lead_time_days=21,
    works_with=frozenset({ClientKind.STUDENTS, ClientKind.COMPANIES}),
    offers=frozenset({Offer.SURFACE_TREATMENT, Offer.PARTS}),
    portfolio_url="https://plat.example.se/jobb", last_confirmed=TODAY,
)  # fmt: skip


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            "📦 tar serier från 50 st · ledtid ca 3 veckor · jobbar med studenter, företag · "
            "erbjuder komponenter, ytbehandling",
        ),
        (
            "en",
            "📦 takes runs from 50 pcs · lead time about 3 weeks · works with students, "
            "companies · offers parts, surface treatment",
        ),
    ],
)
def test_the_fuller_listing_is_one_line_on_the_card(language: str, expected: str) -> None:
    assert listing_facts(Texts(language), language, PLAT) == expected


def test_an_unstated_listing_adds_no_line_and_single_pieces_are_said_so() -> None:
    bare = replace(
        PLAT, min_order=None, lead_time_days=None, works_with=frozenset(), offers=frozenset()
    )
    assert listing_facts(Texts("sv"), "sv", bare) is None
    single = replace(bare, min_order=1, works_with=frozenset(ClientKind))
    assert listing_facts(Texts("sv"), "sv", single) == (
        "📦 tar även enstaka exemplar · tar uppdrag från alla slags kunder"
    )


def test_the_card_carries_the_facts_and_the_portfolio_link() -> None:
    matchmaker = Matchmaker.from_profiles([PLAT])
    (match,) = matchmaker.rank(
        DesignerRequest(text="laserskuren plåt", limit=5), today=TODAY
    ).matches

    card = maker_card(Texts("sv"), "sv", 1, match, matchmaker.index.get(match.maker_id))

    assert "tar serier från 50 st" in card
    assert "🖼 Tidigare arbeten: https://plat.example.se/jobb" in card
    assert "tar serier" not in maker_card(Texts("sv"), "sv", 1, match)  # no listing, no facts
