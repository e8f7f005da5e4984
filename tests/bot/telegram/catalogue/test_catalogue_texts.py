"""The catalogue's texts: the same keys and placeholders in Swedish and English, and a wording
for every column and outcome the desk shows."""

from __future__ import annotations

from bot.telegram.catalogue.problem_texts import column_name
from bot.telegram.catalogue.texts import desk_text
from services.catalogue.columns import Column
from services.catalogue.messages import catalogue
from services.messages import placeholders
from storage.models import OutreachOutcome


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    swedish, english = catalogue("sv"), catalogue("en")
    assert swedish.keys() == english.keys()
    for key, text in swedish.items():
        assert placeholders(text) == placeholders(english[key]), key


def test_every_column_and_outcome_has_a_name_in_both_languages() -> None:
    for language in ("sv", "en"):
        for column in Column:
            assert f"column.{column.value}" in catalogue(language)
        for outcome in OutreachOutcome:
            assert desk_text(f"outcome.{outcome.value}", language)
    assert column_name("municipality", "sv") == "kommun"
    assert column_name("municipality", "en-GB") == "municipality"


def test_values_are_escaped_for_telegram_html() -> None:
    assert desk_text("maker.none", "en", query="<b>x</b>") == (
        "I can't find any of the hub's makers like “&lt;b&gt;x&lt;/b&gt;”."
    )
