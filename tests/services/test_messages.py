"""Every text catalogue (``services/data/*.{sv,en}.toml``) is complete in both languages."""

from __future__ import annotations

from importlib.resources import files

import pytest

from services.messages import LANGUAGES, load_catalogue, placeholders

CATALOGUES = sorted(
    {entry.name.split(".")[0] for entry in (files("services") / "data").iterdir()
     if entry.name.endswith(".toml")}
)  # fmt: skip


def test_the_edge_and_the_services_have_their_catalogues() -> None:
    assert {
        "dialogue",
        "introductions",
        "followups",
        "insight",
        "hubs",
        "makers",
        "telegram",
    } <= set(CATALOGUES)


@pytest.mark.parametrize("name", CATALOGUES)
def test_both_languages_have_every_text_with_the_same_placeholders(name: str) -> None:
    swedish, english = (load_catalogue(name, language) for language in LANGUAGES)
    assert swedish.keys() == english.keys()
    for key, text in swedish.items():
        assert bool(text.strip()) == bool(english[key].strip()), (name, key)  # empty on purpose
        assert placeholders(text) == placeholders(english[key]), (name, key)
