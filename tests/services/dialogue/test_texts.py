"""The text catalogue: both languages have every key, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matching.models import VolumeStage
from matching.ranking import VolumeFit
from services.dialogue.state import Radius
from services.dialogue.texts import Texts, catalogue
from services.messages import LANGUAGES, language_for, placeholders
from storage.models import RequestStatus

DIALOGUE_CODE = Path(__file__).resolve().parents[3] / "services" / "dialogue"
BOT_CODE = Path(__file__).resolve().parents[3] / "bot" / "terminal_chat.py"
_KEY_USE = re.compile(r"""(?:\bt|say|key_button|_texts|texts)\(\s*["']([a-z_.0-9]+)["']""")


def test_every_key_exists_in_both_languages_with_the_same_placeholders() -> None:
    sv, en = catalogue("sv"), catalogue("en")
    assert set(sv) == set(en), set(sv) ^ set(en)
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


def _used_keys() -> set[str]:
    sources = [*DIALOGUE_CODE.glob("*.py"), BOT_CODE]
    return {key for path in sources for key in _KEY_USE.findall(path.read_text("utf-8"))}


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    used = _used_keys()
    assert len(used) > 60  # the pattern still finds the keys
    dynamic = (
        [f"volume.{stage.value}" for stage in VolumeStage]
        + [f"radius.{radius.value}" for radius in Radius]
        + [f"volume_fit.{fit.value}" for fit in VolumeFit]
        + [f"status.{status.value}" for status in RequestStatus]
    )
    for language in LANGUAGES:
        missing = (used | set(dynamic)) - set(catalogue(language))
        assert not missing, (language, missing)


def test_placeholder_values_are_escaped_for_telegram_html() -> None:
    texts = Texts("en")
    rendered = texts("location.not_found", place="<b>Ö&rebro</b>")
    assert "&lt;b&gt;Ö&amp;rebro&lt;/b&gt;" in rendered
    assert "<b>" not in rendered


@pytest.mark.parametrize(
    ("code", "language"),
    [("sv", "sv"), ("sv-SE", "sv"), ("SV", "sv"), ("en-GB", "en"), ("de", "en"), (None, "en")],
)
def test_language_follows_telegrams_code(code: str | None, language: str) -> None:
    assert language_for(code) == language
