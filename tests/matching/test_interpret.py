"""Free text → taxonomy, with confidences and the words that caused each hit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.interpret import default_interpreter
from matching.taxonomy import concept_by_code


def codes(text: str) -> set[str]:
    interpretation = default_interpreter().interpret(text)
    return {h.code for g in interpretation.groups for h in g.hits}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ekbord", {"wood"}),
        ("rostfria", {"metal"}),
        ("stickade", {"knitting"}),
        ("glasblåsta", {"glassblowing", "glass"}),
        ("glaserade skålar", {"glazing"}),
        ("laserskurna plåtdetaljer", {"laser_cutting", "sheet_bending", "metal"}),
        ("Jag vill ha en stoppad stol med ekram", {"upholstery", "wood"}),
        ("CNC-fräsning i aluminium", {"cnc_milling", "metal"}),
        ("steam bending oak chairs", {"steam_bending", "wood"}),
        ("hand-blown glass vases", {"glassblowing", "glass"}),
        ("träsvarvade skålar", {"wood_turning", "wood"}),
        ("screen printed tote bags", {"screen_printing"}),
        ("gjuta i betong", {"concrete_casting", "concrete"}),
        ("bronsgjutning", {"metal_casting", "metal"}),
        ("aluminiumgjutning", {"metal_casting", "metal"}),
        ("bokhyllor i ek", {"wood"}),
        ("en tryckt bok", {"digital_printing", "paper"}),
        ("3D-printade prototyper", {"3d_printing"}),
        ("handblåsta vaser", {"glassblowing"}),
    ],
)
def test_swedish_and_english_inflections_and_compounds(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("typo", "code"),
    [("svetsnig", "welding"), ("keramk", "ceramics"), ("snikeri", "joinery"),
     ("porslinn", "ceramics"), ("welidng", "welding"), ("rostfritt stal", "metal"),
     ("bjork", "wood"), ("vavning", "weaving")],
)  # fmt: skip
def test_typos_and_missing_diacritics(typo: str, code: str) -> None:
    assert code in codes(typo)


def test_hits_carry_confidence_and_the_words_that_caused_them() -> None:
    interpretation = default_interpreter().interpret("Ett ekbord och svetsnig av stålram")
    by_code = {h.code: h for g in interpretation.groups for h in g.hits}
    assert by_code["wood"].words == ("ekbord",)
    assert by_code["wood"].confidence == pytest.approx(0.9)
    assert by_code["welding"].words == ("svetsnig",)
    assert 0.7 < by_code["welding"].confidence < 1.0  # a typo is less certain than a word
    assert "stålram" in by_code["metal"].words


def test_unknown_words_are_kept_for_the_makers_own_words() -> None:
    interpretation = default_interpreter().interpret("lampskärmar i linne")
    assert "lampskarmar" in interpretation.free_words
    assert [h.code for h in interpretation.materials] == ["textile"]


def test_no_false_hits_on_ordinary_words() -> None:
    everyday = (
        "betalning", "trappa", "kontor", "vi behöver hjälp snabbt", "program", "på plats",
        "platsbyggda", "tradition", "granskning", "trädgårdsmöbler",
    )  # fmt: skip
    for text in everyday:
        assert codes(text) == set(), text


def test_ambiguous_word_is_one_group_settled_by_a_named_material() -> None:
    alone = default_interpreter().interpret("gjutning")
    assert len(alone.groups) == 1 and len(alone.groups[0].hits) == 3
    assert codes("gjutning i brons") == {"metal_casting", "metal"}


@given(st.text(max_size=300))
def test_never_raises_and_stays_in_bounds(text: str) -> None:
    interpretation = default_interpreter().interpret(text)
    taxonomy = concept_by_code()
    for group in interpretation.groups:
        assert group.hits
        for hit in group.hits:
            assert hit.code in taxonomy
            assert 0.0 < hit.confidence <= 1.0
            assert all(word in text for word in hit.words)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ,.-", max_size=120))
def test_lean_maker_analysis_agrees_with_full_reading(text: str) -> None:
    interpreter = default_interpreter()
    full = interpreter.interpret(text, fuzzy=False)
    expected: dict[str, float] = {}
    for group in full.groups:
        for hit in group.hits:
            expected[hit.code] = max(expected.get(hit.code, 0.0), hit.confidence)
    weights, _ = interpreter.analyse(text)
    assert set(weights) == set(expected)


@given(st.text(max_size=200))
def test_fast_word_split_equals_fold(text: str) -> None:
    from matching.text import fold, words

    assert words(text) == fold(text).split()


@given(
    st.lists(st.sampled_from(["ek", "gjutning", "brons", "bok", "stickning", "plåt", "x"])),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ,.", max_size=80),
)
def test_listing_analysis_is_the_weighted_best_of_its_parts(items: list[str], text: str) -> None:
    interpreter = default_interpreter()
    listed, _ = interpreter.analyse(*items)
    described, _ = interpreter.analyse(text, "Verkstad")
    expected = {code: 1.0 * conf for code, conf in listed.items()}
    for code, conf in described.items():
        expected[code] = max(expected.get(code, 0.0), 0.8 * conf)
    found, _ = interpreter.analyse_listing(
        items, (text, "Verkstad"), listed_weight=1.0, described_weight=0.8
    )
    assert found == pytest.approx(expected)
