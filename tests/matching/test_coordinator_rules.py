"""The rules a coordinator states, each on a small fictional catalogue: a fit shows what is to
be made, a neighbouring trade is at most "kanske", a maker's own stated quantities count,
the nearest fit outside the radius is named when nobody inside fits, and ordinary words are
not read as trades."""

from datetime import date

import pytest

from matching.index import MakerIndex
from matching.interpret import default_interpreter
from matching.lexicon import _transposed
from matching.models import MakerProfile
from matching.quantity import stated_range
from matching.ranking import MatchQuery, MatchResult

TODAY = date(2026, 6, 1)
GBG = (57.7072, 11.9668)
BORAS = (57.7210, 12.9401)
KIRUNA = (67.8558, 20.2253)


def maker(id_: str, materials: str, processes: str, description: str, at=GBG) -> MakerProfile:
    return MakerProfile(
        id_,
        id_.title(),
        *at,
        materials=tuple(materials.split(", ")) if materials else (),
        processes=tuple(processes.split(", ")) if processes else (),
        description=description,
        last_confirmed=TODAY,
    )


COOPER = maker("cooper", "ek", "tunnbinderi", "Vi gör ekfat för whisky och öl.")
FRAMER = maker("framer", "ek, furu", "inramning", "Ramar i ek och furu.")
JOINER = maker("joiner", "ek, björk", "snickeri", "Möbler i massivträ.")
TRAYS = maker("trays", "ek, björk", "formpressning", "Brickor och skärbrädor i faner.")
SADDLER = maker("saddler", "läder", "sadelmakeri", "Sadlar och remmar.")
TANNERY = maker("tannery", "läder, fårskinn", "garvning", "Vi garvar kundens skinn.")
MOULDER = maker("moulder", "ABS, PP", "formsprutning", "Formsprutning i serier från 5 000 st.")
POTTER = maker("potter", "stengods", "drejning", "Muggar och skålar, upp till ca 100 st.")
KNITTER = maker("knitter", "ull", "stickning", "Stickade mössor och plagg.", at=BORAS)


def rank(makers: list[MakerProfile], text: str, **query: object) -> MatchResult:
    index = MakerIndex.build(makers)
    return index.search(MatchQuery(text, today=TODAY, **query))  # type: ignore[arg-type]


def fits(result: MatchResult) -> list[str]:
    return [m.maker_id for m in result.fits]


def test_a_material_alone_is_no_fit_for_a_thing_the_maker_does_not_name() -> None:
    result = rank([COOPER, FRAMER, TRAYS], "ekfat för whiskylagring, 5 st")
    assert fits(result) == ["cooper"]  # the framer and the tray maker work in oak too
    assert {m.maker_id for m in result.maybes} <= {"framer", "trays"}


def test_a_maker_that_says_it_makes_that_kind_of_thing_names_it() -> None:
    result = rank([JOINER, FRAMER], "träbord i ek")
    assert fits(result) == ["joiner"]  # "möbler" is the kind of thing a table is


def test_when_nobody_names_the_thing_nobody_is_presented_as_a_fit() -> None:
    result = rank([JOINER, FRAMER], "en nyckelharpa i ek")
    assert result.none_fits and result.maybes


def test_a_neighbouring_trade_is_at_most_a_weaker_candidate() -> None:
    result = rank([SADDLER, TANNERY], "Vi vill få 20 fårskinn garvade")
    assert fits(result) == ["tannery"]
    alone = rank([SADDLER], "We'd like to have deer skins tanned")
    assert alone.none_fits
    (maybe,) = alone.maybes
    assert maybe.maker_id == "saddler"
    reasons = {r.code: r.evidence for r in maybe.explanation.capabilities}
    assert reasons["tanning"] == "neighbour"


def test_the_quantity_a_maker_states_counts() -> None:
    assert stated_range(MOULDER.description) == (5000, None)
    assert stated_range(POTTER.description) == (None, 100)
    assert stated_range("Plåt upp till 20 mm, från 10 kg") == (None, None)
    few = rank([MOULDER], "formsprutade lock i PP", quantity=300)
    assert few.none_fits  # a moulder from 5 000 pieces for 300: kanske
    many = rank([MOULDER], "formsprutade lock i PP", quantity=20_000)
    assert fits(many) == ["moulder"]
    assert rank([POTTER], "drejade muggar i stengods", quantity=300).none_fits
    assert fits(rank([POTTER], "drejade muggar i stengods", quantity=80)) == ["potter"]


def test_the_nearest_fit_outside_is_named_when_nobody_inside_fits() -> None:
    result = rank([KNITTER], "stickade mössor i ull", lat=KIRUNA[0], lon=KIRUNA[1], radius_km=25)
    assert result.none_fits and not result.matches
    (beyond,) = result.beyond_radius
    assert beyond.maker_id == "knitter" and (beyond.explanation.distance_km or 0) > 1000


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("svarta stativ", set()),  # black, not svarva (turning)
        ("skicka till oss", set()),  # send, not sticka (knitting)
        ("Jag driver ett företag", set()),  # runs, not drivning (chasing)
        ("Svarvade handtag i ek", {"wood_turning", "wood"}),  # the material says which turning
        ("Svarvade detaljer i mässing", {"turning", "metal"}),
        ("Träbåtsvarv", {"boatbuilding", "wood"}),  # a boatyard, not a lathe
        ("Bronze casting of a sculpture", {"metal_casting", "metal"}),
        ("garn spunnet av ull", {"spinning", "textile"}),
        ("spunna lampskärmar i mässing", {"metal_spinning", "metal"}),
    ],
)
def test_ordinary_words_are_not_read_as_trades(text: str, reading: set[str]) -> None:
    interpretation = default_interpreter().interpret(text)
    assert {h.code for g in interpretation.groups for h in g.hits} == reading


def test_a_typo_is_a_swap_of_two_letters_not_a_changed_letter() -> None:
    assert _transposed("jeresy", "jersey") and _transposed("svetsnig", "svetsning") is False
    assert not _transposed("svarta", "svarva")
    assert {h.code for g in default_interpreter().interpret("jeresy").groups for h in g.hits} == {
        "textile"
    }


def test_who_it_is_for_is_not_what_is_made() -> None:
    interpretation = default_interpreter().interpret("Rottingstolar, 50 st till en restaurang")
    assert "restaurang" in interpretation.purpose_words
    potter = maker("potter2", "", "", "Servis åt restauranger och kaféer.")
    result = rank([potter], "Rottingstolar, 50 st till en restaurang")
    assert result.none_fits


def test_what_a_maker_says_it_does_not_do_is_no_evidence() -> None:
    smith = maker("smith", "järn, stål", "smide", "Vi smider grindar. Ingen laserskärning.")
    laser = maker("laser", "stål", "laserskärning", "Laserskurna detaljer i stål.")
    result = rank([smith, laser], "laserskurna fästen i stål")
    assert fits(result) == ["laser"]
    assert "smith" not in fits(rank([smith], "laserskärning i stål"))
    printer = maker("printer", "papper", "screentryck", "Vi trycker inte på textil, men på papper.")
    assert rank([printer], "screentryck på tyg").none_fits


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("1000 st trådkorgar, vi sitter i Jönköpingstrakten.", "Jönköping"),
        ("One hand-woven wool rug for a house on Gotland.", "Gotland"),
        ("Vi bor på Södermalm och vill ha en pläd", "Södermalm"),
        ("screentryck på 150 tygkassar", None),  # "på" needs a capitalised name
    ],
)
def test_a_place_in_the_text_with_its_area_or_on_an_island(text: str, place: str | None) -> None:
    from matching.details import place_in_text
    from matching.places import load_places

    found, _ = place_in_text(text, load_places())
    assert (found.name if found else None) == place


def test_a_neighbouring_trade_reads_as_a_trade_on_the_card() -> None:
    from services.dialogue.cards import maker_card
    from services.messages import Texts

    (maybe,) = rank([SADDLER], "Vi vill få 20 fårskinn garvade").maybes
    card = str(maker_card(Texts("sv"), "sv", 1, maybe))
    assert "närliggande hantverk" in card and "sadelmakeri" in card
