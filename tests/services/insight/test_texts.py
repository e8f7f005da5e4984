"""The insight texts: the same keys and placeholders in Swedish and English."""

from __future__ import annotations

from matching.models import VolumeStage
from services.insight.texts import InsightTexts, catalogue
from services.messages import placeholders


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    sv, en = catalogue("sv"), catalogue("en")
    assert sv.keys() == en.keys()
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


def test_every_volume_stage_and_funnel_step_has_a_label() -> None:
    for language in ("sv", "en"):
        messages = catalogue(language)
        for stage in [*VolumeStage, "unknown"]:
            assert f"volume.{stage}" in messages
        for step in ("requests", "asked", "interested", "met", "prototype", "production"):
            assert f"funnel.{step}" in messages


def test_values_are_escaped_and_coordinators_read_swedish_by_default() -> None:
    assert InsightTexts(None).language == "sv"
    assert InsightTexts("en-GB").language == "en"
    t = InsightTexts("sv")
    assert t("stats.title", scope="<b>", period="x") == "<b>Statistik för &lt;b&gt;</b>\nx"
    assert t.plain("map.title", scope="A & B") == "A & B: tillverkare och förfrågningar"
