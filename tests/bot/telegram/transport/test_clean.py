"""clean_update: no control character survives anywhere in an update, text keeps its lines,
entities keep covering the same characters, and a clean update passes untouched."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.transport.clean import MULTILINE_FIELDS, clean_text, clean_update

CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
# Text as people type it, with emoji (two UTF-16 units), Swedish letters, zero-width joiners,
# line breaks, tabs, and every control character and lone surrogates mixed in.
texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
        st.sampled_from([*CONTROLS, "\ud800", "\udfff", "😀", "å", "\u200d"]),
    ),
    max_size=40,
)


def _strings(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (field, string) in a JSON value, keys included."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        found = []
        for name, item in value.items():
            found += [("", name), *_strings(item, name)]
        return found
    if isinstance(value, list):
        return [pair for item in value for pair in _strings(item, key)]
    return []


def _allowed(field: str) -> set[str]:
    return {"\n", "\t"} if field in MULTILINE_FIELDS else set()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12,
)
fields = st.sampled_from(["text", "caption", "first_name", "data", "file_name", "title"])
updates = st.fixed_dictionaries(
    {"update_id": st.integers(1, 2**31)},
    optional={
        "message": st.dictionaries(fields | texts, json_values, max_size=4),
        "callback_query": st.fixed_dictionaries({"data": texts, "from": json_values}),
    },
)


@given(updates)
def test_no_control_character_survives_anywhere(raw: dict[str, Any]) -> None:
    cleaned = clean_update(raw)

    for field, text in _strings(cleaned):
        left = {ch for ch in text if ch in CONTROLS or "\ud800" <= ch <= "\udfff"}
        assert left <= _allowed(field), (field, text)
    json.dumps(cleaned, ensure_ascii=False).encode("utf-8")  # storable as UTF-8 (jsonb, text)
    assert "\\u0000" not in json.dumps(cleaned)


@given(updates)
def test_cleaning_changes_nothing_it_is_given_and_twice_is_once(raw: dict[str, Any]) -> None:
    before = copy.deepcopy(raw)

    once = clean_update(raw)

    assert raw == before
    assert clean_update(once) == once
    assert clean_update(once) is once  # clean already: passed through, not copied


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=60))
def test_text_without_control_characters_is_left_exactly_as_it_is(text: str) -> None:
    raw = {"update_id": 1, "message": {"text": text, "from": {"first_name": text}}}

    assert clean_update(raw) is raw


@given(st.text(st.sampled_from(["a", "ö", "😀", " ", "\n", "\t"]), max_size=30))
def test_line_breaks_and_tabs_where_text_may_have_them_are_nothing_to_clean(text: str) -> None:
    raw = {"update_id": 1, "callback_query": {"message": {"text": text, "caption": text}}}

    assert clean_update(raw) is raw


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _covered(text: str, entity: dict[str, Any]) -> str:
    units = _utf16(text)[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])]
    return units.decode("utf-16-le", "surrogatepass")


@given(st.data())
def test_entities_cover_the_same_characters_once_the_text_is_cleaned(data: st.DataObject) -> None:
    alphabet = st.sampled_from(["a", "ö", "😀", " ", "\n", "\x00", "\x1b", "\x9b", "\t", "\x7f"])
    text = data.draw(st.text(alphabet, min_size=1, max_size=30))
    spans = data.draw(  # on character boundaries, as Telegram's are
        st.lists(st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))), max_size=4)
    )
    entities = [
        {
            "type": "bold",
            "offset": len(_utf16(text[:start])) // 2,
            "length": len(_utf16(text[start : start + size])) // 2,
        }
        for start, size in spans
    ]
    raw = {"update_id": 1, "message": {"text": text, "entities": entities}}

    message = clean_update(raw)["message"]

    expected = [clean_text(_covered(text, e), multiline=True) for e in entities]
    moved = message.get("entities", [])
    assert [_covered(message["text"], e) for e in moved] == [c for c in expected if c]


def _message(**fields: Any) -> dict[str, Any]:
    return {"update_id": 7, "message": {"message_id": 1, "date": 0, **fields}}


def test_a_nul_goes_from_text_and_caption_and_the_command_still_starts_the_text() -> None:
    raw = _message(
        text="\x00/start hej\x00då",
        entities=[{"type": "bot_command", "offset": 1, "length": 6}],
        caption="bild\x00text",
    )

    message = clean_update(raw)["message"]

    assert message["text"] == "/start hejdå"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["caption"] == "bildtext"


def test_entities_after_an_emoji_move_by_utf16_units() -> None:
    text = "😀\x00 länk"  # the emoji is 2 UTF-16 units, the NUL 1
    raw = _message(text=text, entities=[{"type": "url", "offset": 4, "length": 4}])

    message = clean_update(raw)["message"]

    assert message["text"] == "😀 länk"
    assert message["entities"] == [{"type": "url", "offset": 3, "length": 4}]


def test_an_entity_of_nothing_but_control_characters_is_dropped() -> None:
    raw = _message(
        text="a\x00\x01b",
        entities=[
            {"type": "bold", "offset": 1, "length": 2},
            {"type": "italic", "offset": 0, "length": 4},
        ],
    )

    assert clean_update(raw)["message"]["entities"] == [
        {"type": "italic", "offset": 0, "length": 2}
    ]


def test_lines_stay_in_text_and_become_spaces_in_names() -> None:
    raw = _message(
        text="rad ett\r\nrad två\rrad tre\tslut",
        entities=[{"type": "bold", "offset": 8, "length": 8}],  # "\nrad två" from the CR LF
        **{"from": {"id": 1, "first_name": "Anna\nSvensson", "last_name": "Ek\r\nLund\t"}},
    )

    message = clean_update(raw)["message"]

    assert message["text"] == "rad ett\nrad två\nrad tre\tslut"
    assert message["entities"] == [{"type": "bold", "offset": 7, "length": 8}]
    assert message["from"]["first_name"] == "Anna Svensson"
    assert message["from"]["last_name"] == "Ek Lund "


def test_a_terminal_escape_sequence_loses_its_escape() -> None:
    raw = _message(
        **{"from": {"id": 1, "first_name": "\x1b[2J\x1b[31mEvil\x9b1m", "username": "x\x07"}}
    )

    sender = clean_update(raw)["message"]["from"]

    assert sender == {"id": 1, "first_name": "[2J[31mEvil1m", "username": "x"}


def test_button_data_keys_and_lone_surrogates_are_cleaned_too() -> None:
    raw = {
        "update_id": 9,
        "callback_query": {"id": "q", "data": "fu:tok\x00en:a", "from\x00": {"id": 1}},
        "message": {"text": "half \ud83d pair"},
    }

    cleaned = clean_update(raw)

    assert cleaned["callback_query"] == {"id": "q", "data": "fu:token:a", "from": {"id": 1}}
    assert cleaned["message"]["text"] == "half  pair"
    assert raw["callback_query"]["data"] == "fu:tok\x00en:a"  # the input is not changed
