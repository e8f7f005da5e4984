"""Clean input at the edge: control characters out of every update before anything reads it.

Telegram delivers what a person's client sent, and a client (or anyone holding the webhook
secret) can send characters no person sees: NUL, which PostgreSQL cannot hold in text or jsonb
(the transaction fails and the person gets "something went wrong"), and terminal escape
sequences (ESC, CSI), which would reach coordinators' terminals as typed. :func:`clean_update`
takes them out of the raw update, the JSON object as Telegram sends it, so that everything
after it (the inbox's stored copy, the ``Update`` built from it, every handler, the database,
other people) only ever sees clean text. It is pure: no I/O, the input is never changed.

What is taken out, and why removing is always right here (nothing is refused):

- C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F) and lone surrogates (which JSON
  can spell as ``\\ud800`` but no UTF-8 database can store). Telegram's clients show none of
  them, so the text that is left is the text the sender saw: removing never changes what a
  message means. Button data with them was never one of ours (ours are printable ASCII); what
  is left is either data the person could have sent anyway or unknown, which the handlers
  already answer.
- Tab and line breaks stay where text may have them (``text``, ``caption``, a poll's
  ``question`` and ``explanation``, a quote); a lone carriage return or CR LF becomes a line
  feed there. Anywhere else (names, usernames, titles, file names, button data) a tab or a line
  break becomes a space: "Anna⏎Svensson" is two words, not one.
- When a message's ``text`` or ``caption`` changes, its ``entities`` / ``caption_entities``
  (offsets and lengths in UTF-16 code units, as Telegram counts) are moved with it, so a
  command or a link still covers the same characters; an entity left with nothing is dropped.

Dictionary keys are cleaned too (a forged update may carry anything as a key, and jsonb cannot
store NUL in a key either). Format characters (zero-width joiners in emoji, right-to-left marks
in names) are text, not control characters, and stay.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MULTILINE_FIELDS", "clean_text", "clean_update"]

# Fields whose strings may be several lines (a person writes them), each with the field of its
# entities (formatting, commands, links) in the same object.
_ENTITIES = {
    "text": "entities",
    "caption": "caption_entities",
    "question": "question_entities",
    "explanation": "explanation_entities",
}
MULTILINE_FIELDS = frozenset(_ENTITIES)

# Everything that may go; a string without any of these is left as it is (the fast path).
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str, *, multiline: bool) -> str:
    """``text`` without control characters (see the module's notes)."""
    if not _SUSPECT.search(text):
        return text
    cleaned = _cleaned(text, multiline)[0]
    return text if cleaned == text else cleaned  # a line break where it may be: as it was


def clean_update(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` (an update as Telegram's JSON has it) with every string cleaned.

    Returns a new dict when something was cleaned and ``raw`` itself when nothing needed to
    be (the common case costs one scan and no copy); ``raw`` is never changed."""
    return _clean_object(raw)


def _clean_object(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with its keys and values cleaned: a new dict if anything changed, else ``raw``."""
    cleaned: dict[str, Any] = {}
    moves: dict[str, list[int]] = {}  # a cleaned text field: where its old positions went
    changed = False
    for key, value in raw.items():
        new_key = clean_text(key, multiline=False) if isinstance(key, str) else key
        if isinstance(value, str) and key in MULTILINE_FIELDS and _SUSPECT.search(value):
            new_value, positions = _cleaned(value, multiline=True)
            if new_value == value:
                new_value = value  # only line breaks and tabs: nothing to move
            else:
                moves[_ENTITIES[key]] = positions
        else:
            new_value = _clean_value(value, key)
        changed = changed or new_key is not key or new_value is not value
        cleaned[new_key] = new_value
    if not changed:
        return raw
    for entities_key, positions in moves.items():
        entities = cleaned.get(entities_key)
        if isinstance(entities, list):
            cleaned[entities_key] = _moved(entities, positions)
    return cleaned


def _clean_value(value: Any, key: str) -> Any:
    if isinstance(value, str):
        return clean_text(value, multiline=key in MULTILINE_FIELDS)
    if isinstance(value, dict):
        return _clean_object(value)
    if isinstance(value, list):
        items = [_clean_value(item, key) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _cleaned(text: str, multiline: bool) -> tuple[str, list[int]]:
    """``text`` cleaned, and for every UTF-16 position in it (0 … its length) where that
    position is in the cleaned text (a dropped character's lands where the next kept starts).
    """
    out: list[str] = []
    positions: list[int] = []
    kept = 0
    for index, character in enumerate(text):
        units = 2 if ord(character) > 0xFFFF else 1
        positions.extend([kept] * units)
        written = _replacement(character, text, index, multiline)
        if written:
            out.append(written)
            kept += units
    positions.append(kept)
    return "".join(out), positions


def _replacement(character: str, text: str, index: int, multiline: bool) -> str:
    """What ``character`` (at ``index`` of ``text``) becomes: itself, a line feed or a space,
    or nothing."""
    if not _SUSPECT.match(character):
        return character
    if character == "\r":
        if text[index + 1 : index + 2] == "\n":
            return ""  # the CR of a CR LF: its LF stands for both
        character = "\n"
    if character in "\t\n":
        return character if multiline else " "
    return ""


def _moved(entities: list[Any], positions: list[int]) -> list[Any]:
    """Message entities (UTF-16 ``offset`` and ``length``) moved by ``positions``; one that
    covered only removed characters is dropped."""
    last = len(positions) - 1
    moved = []
    for entity in entities:
        offset = entity.get("offset") if isinstance(entity, dict) else None
        length = entity.get("length") if isinstance(entity, dict) else None
        if not isinstance(offset, int) or not isinstance(length, int):
            moved.append(entity)
            continue
        start = positions[min(max(offset, 0), last)]
        end = positions[min(max(offset + length, 0), last)]
        if end > start:
            moved.append({**entity, "offset": start, "length": end - start})
    return moved
