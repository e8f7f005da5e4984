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
        texts = Texts(language)
        missing = {key for key in used | set(dynamic) if not texts.has(key)}
        assert not missing, (language, missing)


def test_counts_take_the_plural_form_the_number_needs() -> None:
    sv, en = Texts("sv"), Texts("en")
    item = {"number": 7, "date": "2026-11-25", "text": "mössor", "status": "skickad"}
    assert sv("myrequests.item", count=1, **item).endswith("· 1 presentation")
    assert sv("myrequests.item", count=2, **item).endswith("· 2 presentationer")
    assert en("myrequests.item", count=1, **item).endswith("· 1 introduction")
    assert en("myrequests.item", count=0, **item).endswith("· 0 introductions")
    assert "1 tillverkare listad)" in sv("terminal.hello", count=1)
    assert "(1 maker listed)" in en("terminal.hello", count=1)
    assert "(60 makers listed)" in en("terminal.hello", count=60)
    with pytest.raises(TypeError):
        en("myrequests.item", **item)  # a message with plural forms needs its count


def test_every_message_with_plural_forms_has_one_and_other_in_both_languages() -> None:
    for language in LANGUAGES:
        keys = catalogue(language)
        plural = {key.rsplit(".", 1)[0] for key in keys if key.endswith((".one", ".other"))}
        assert plural, "the catalogue has messages with plural forms"
        for key in plural:
            assert {f"{key}.one", f"{key}.other"} <= set(keys), (language, key)
            assert "count" in placeholders(keys[f"{key}.other"]), (language, key)


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
