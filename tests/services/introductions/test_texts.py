"""The introduction texts: the same keys and placeholders in Swedish and English."""

from __future__ import annotations

from services.introductions import DeclineReason
from services.introductions.texts import IntroTexts, catalogue
from services.messages import placeholders


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    sv, en = catalogue("sv"), catalogue("en")
    assert sv.keys() == en.keys()
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


def test_every_reason_has_a_label_and_a_button() -> None:
    for language in ("sv", "en"):
        messages = catalogue(language)
        for reason in DeclineReason:
            assert f"reason.{reason}" in messages
            assert f"button.reason.{reason}" in messages


def test_values_are_escaped_and_unknown_languages_read_swedish() -> None:
    t = IntroTexts("de")
    assert t.language == "sv"
    assert t("brief.what", text="<b>x</b> & y") == "<b>Vad:</b> &lt;b&gt;x&lt;/b&gt; &amp; y"
