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


@given(st.text(max_size=200))
def test_fast_word_split_equals_fold(text: str) -> None:
    from matching.text import fold, words

    assert words(text) == fold(text).split()


@pytest.mark.parametrize(
    ("text", "expected", "free"),
    [
        # koppar: cups beside porcelain and mugs, copper beside casting
        ("koppar och vaser i porslin", {"ceramics"}, "koppar"),
        ("porslinskoppar med dekor", {"ceramics", "ceramic_decoration"}, None),
        ("gjutna detaljer i koppar", {"metal", "metal_casting"}, None),
        # a product noun implies a material only when nothing else is named
        ("kakelplattor i glas", {"glass"}, None),
        ("handgjort kakel", {"ceramics"}, None),
        ("vävda mattor", {"weaving"}, None),
        # one word, several trades: the material settles it
        ("stansning av läder", {"leather", "leather_work"}, None),
        ("stansning av plåt", {"metal", "sheet_bending"}, None),
        ("formpressade sitsar i björkfaner", {"steam_bending", "wood"}, None),
        # traps: stoneware is no stone, glass fibre no glass, foam no plastic
        ("muggar i stengods", {"ceramics"}, None),
        ("skrov i glasfiber", {"composite"}, None),
        ("skum till sittdynor", {"foam"}, None),
        ("väska i lackläder", {"leather"}, None),
        ("arbetskläder i denim", {"textile"}, None),
        # a generic "printed" folds into the printing named
        ("Risograph printed posters", {"risograph", "paper"}, None),
        # the writer's trade is not what they want made
        ("Jag är textildesigner och vill ta fram krukor i betong", {"concrete"}, None),
        ("Vi är möbelsnickare och behöver beslag i mässing", {"metal"}, None),
        ("söker en möbelsnickare till ett skåp", {"joinery"}, None),
    ],
)
def test_words_in_context(text: str, expected: set[str], free: str | None) -> None:
    interpretation = default_interpreter().interpret(text)
    assert codes(text) == expected
    if free:
        assert free in interpretation.free_words


def test_specific_materials_are_kept_with_their_family() -> None:
    interpretation = default_interpreter().interpret("bronsgjutning och rostfri plåt")
    (metal,) = interpretation.materials
    assert set(metal.variants) == {"metal.bronze", "metal.ferrous"}
    (plastic,) = default_interpreter().interpret("lock i PA och PP").materials
    assert {"plastic.pa", "plastic.pp"} <= set(plastic.variants)


@pytest.mark.parametrize(
    ("word", "concepts", "suggestion"),
    [
        ("kohud", ("leather",), None),
        ("nubuck", ("leather",), None),
        ("PET", ("plastic",), None),
        ("återvunnen PET", ("plastic", "recycled"), None),
        ("glasfiber", ("composite",), None),
        ("kolfiber", ("composite",), None),
        ("jersey", ("textile",), None),
        ("jeresy", ("textile",), "jersey"),
        ("merinoul", ("textile",), "merinoull"),
        ("wellpapp", ("paper",), None),
        ("stoppning", ("upholstery",), None),
        ("storformatstryck", ("large_format_printing",), None),
        ("blipblop", (), None),
    ],
)
def test_catalogue_words_map_or_suggest(
    word: str, concepts: tuple[str, ...], suggestion: str | None
) -> None:
    from matching.interpret import catalogue_word

    found = catalogue_word(word)
    assert found.concepts == concepts and found.known == bool(concepts)
    assert found.suggestion == suggestion
