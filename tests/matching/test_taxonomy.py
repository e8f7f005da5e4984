"""The taxonomy covers what the hubs' makers do, in Swedish and English."""

import pytest

from matching.interpret import default_interpreter
from matching.taxonomy import MATERIALS, PROCESSES, ConceptKind, concept_by_code, concepts
from matching.text import fold

REQUIRED_MATERIALS = {
    "wood",
    "metal",
    "textile",
    "ceramics",
    "glass",
    "stone",
    "concrete",
    "plastic",
    "leather",
    "paper",
    "other",
}
REQUIRED_PROCESSES = {
    "cnc_milling", "laser_cutting", "welding", "sheet_bending", "powder_coating",
    "metal_casting", "forging", "turning", "wood_turning", "joinery", "upholstery",
    "steam_bending", "weaving", "knitting", "sewing", "embroidery", "textile_printing",
    "dyeing", "felting", "throwing", "slip_casting", "glazing", "glassblowing", "glass_fusing",
    "engraving", "stone_cutting", "concrete_casting", "injection_moulding", "vacuum_forming",
    "3d_printing", "screen_printing", "risograph", "letterpress", "leather_work", "rigging",
}  # fmt: skip


def test_materials_and_at_least_forty_processes() -> None:
    assert {m.code for m in MATERIALS} >= REQUIRED_MATERIALS
    assert len(PROCESSES) >= 40
    assert {p.code for p in PROCESSES} >= REQUIRED_PROCESSES


def test_every_concept_is_bilingual_and_has_words() -> None:
    codes = [c.code for c in concepts()]
    assert len(codes) == len(set(codes))
    for concept in concepts():
        assert concept.sv and concept.en and concept.terms, concept.code
        assert concept.name("sv") == concept.sv and concept.name("en") == concept.en


def test_processes_name_existing_materials() -> None:
    materials = {m.code for m in MATERIALS}
    for process in PROCESSES:
        assert process.kind is ConceptKind.PROCESS
        assert process.materials and set(process.materials) <= materials, process.code


@pytest.mark.parametrize(
    ("word", "material"),
    [
        ("ek", "wood"), ("björk", "wood"), ("furu", "wood"),
        ("rostfritt", "metal"), ("stål", "metal"), ("aluminium", "metal"), ("mässing", "metal"),
        ("ull", "textile"), ("linne", "textile"),
        ("porslin", "ceramics"), ("stengods", "ceramics"),
        ("glas", "glass"), ("granit", "stone"), ("betong", "concrete"), ("akryl", "plastic"),
        ("läder", "leather"), ("papper", "paper"),
    ],
)  # fmt: skip
def test_everyday_words_map_to_their_material(word: str, material: str) -> None:
    found = default_interpreter().interpret(word)
    assert [h.code for h in found.materials] == [material]


def test_each_concept_finds_itself_by_its_names() -> None:
    interpreter = default_interpreter()
    for concept in concepts():
        for name in (concept.sv, concept.en):
            codes = {h.code for g in interpreter.interpret(name).groups for h in g.hits}
            assert concept.code in codes, (concept.code, name)


def test_terms_fold_to_something() -> None:
    for concept in concepts():
        for term in concept.terms:
            assert fold(term), (concept.code, term)
    assert concept_by_code()["wood"].sv == "Trä"
