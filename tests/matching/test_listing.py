"""A maker's listing read once: what it shows, how strongly, and where it says so."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.interpret import default_interpreter
from matching.listing import ListingReader
from matching.text import words

READER = ListingReader(default_interpreter())


def read(listed: tuple[str, ...] = (), described: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return READER.read(listed, described, listed_weight=1.0, described_weight=0.8)


@given(
    st.lists(st.sampled_from(["ek", "brons", "stickning", "plåt", "porslin", "x"]), max_size=5),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ,.", max_size=80),
)
def test_never_raises_and_every_piece_of_evidence_points_at_a_word(
    items: list[str], text: str
) -> None:
    reading = read(tuple(items), (text, "Verkstad"))
    texts = [*items, text, "Verkstad"]
    for weight in (*reading.weights.values(), *reading.variants.values()):
        assert 0.0 < weight <= 1.0
    for _key, source, first, last in reading.evidence:
        assert 0 <= first <= last < len(words(texts[source]))


@given(st.lists(st.sampled_from(["ek", "brons", "ull", "porslin", "x"]), max_size=5))
def test_listed_materials_weigh_the_best_of_their_parts(items: list[str]) -> None:
    expected: dict[str, float] = {}
    for item in items:
        for code, weight in read((item,)).weights.items():
            expected[code] = max(expected.get(code, 0.0), weight)
    assert read(tuple(items)).weights == pytest.approx(expected)


def test_listed_words_count_more_than_the_description() -> None:
    assert read(("ek",)).weights["wood"] == 1.0
    assert read((), ("Bygger i ek.",)).weights["wood"] == pytest.approx(0.8)


def test_koppar_beside_porcelain_is_cups_and_beside_brass_copper() -> None:
    porcelain = read(("porslin",), ("Gjuter porslin i små serier: koppar, vaser och lampfötter.",))
    assert "metal" not in porcelain.weights
    brass = read(("aluminium, mässing, koppar",))
    assert "metal.copper" in brass.variants


def test_a_process_working_on_none_of_the_makers_materials_is_no_evidence() -> None:
    leather = read(("läder", "läderarbete", "stansning"))
    assert "sheet_bending" not in leather.weights and "leather_work" in leather.weights
    porcelain = read(("stengods", "porslin", "slipgjutning", "pressning"))
    assert "sheet_bending" not in porcelain.weights


def test_foam_is_no_plastic_and_glass_fibre_no_glass() -> None:
    upholsterer = read(("möbeltyg", "skumplast"), ("Klär stolar.",))
    assert "foam" in upholsterer.weights and "plastic" not in upholsterer.weights
    boats = read(("glasfiber", "polyester"))
    assert "composite" in boats.weights
    assert "glass" not in boats.weights and "textile" not in boats.weights


def test_a_family_named_beside_specific_materials_says_nothing_more() -> None:
    framer = read(("ek", "furu"), ("Ramar i trä.",))
    assert "wood" not in framer.generic
    only_family = read(("trä",))
    assert only_family.generic == {"wood": 1.0}


def test_leather_named_generically_counts_as_cowhide() -> None:
    assert "leather.cowhide" in read(("läder",)).variants
