"""The catalogue desk's texts: the same keys and placeholders in Swedish and English, and a
wording for every import problem the importer can report."""

from __future__ import annotations

import string

import pytest

from bot.telegram.catalogue.problem_texts import COLUMN_NAMES, FILE_PROBLEMS, ROW_PROBLEMS
from bot.telegram.catalogue.texts import TEXTS, desk_text
from services.catalogue import messages
from services.catalogue.columns import Column
from storage.models import OutreachOutcome


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(
    "catalogue", [TEXTS, ROW_PROBLEMS, FILE_PROBLEMS], ids=["desk", "rows", "files"]
)
def test_both_languages_have_the_same_keys_and_placeholders(
    catalogue: dict[str, dict[str, str]],
) -> None:
    assert set(catalogue) == {"sv", "en"}
    assert set(catalogue["sv"]) == set(catalogue["en"])
    for key, swedish in catalogue["sv"].items():
        assert _placeholders(swedish) == _placeholders(catalogue["en"][key]), key


def test_every_problem_the_importer_reports_has_a_wording_with_its_placeholders() -> None:
    for ours, theirs in (
        (ROW_PROBLEMS, messages.ROW_PROBLEMS),
        (FILE_PROBLEMS, messages.FILE_PROBLEMS),
    ):
        assert set(ours["sv"]) == set(theirs)
        for code, template in theirs.items():
            assert _placeholders(ours["sv"][code]) <= _placeholders(template) | {"value"}, code


def test_every_column_and_outcome_has_a_name_in_both_languages() -> None:
    for language in ("sv", "en"):
        assert set(COLUMN_NAMES[language]) == {column.value for column in Column}
        for outcome in OutreachOutcome:
            assert desk_text(f"outcome.{outcome.value}", language)


def test_values_are_escaped_for_telegram_html() -> None:
    assert desk_text("maker.none", "en", query="<b>x</b>") == (
        "I can't find any of the hub's makers like “&lt;b&gt;x&lt;/b&gt;”."
    )
