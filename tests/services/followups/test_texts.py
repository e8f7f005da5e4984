"""The follow-up texts: the same keys and placeholders in Swedish and English, and a text for
every kind, answer, reason and status the code can show."""

from __future__ import annotations

from services.followups.answers import EndReason
from services.followups.dispatch import answers_for
from services.followups.texts import catalogue
from services.messages import placeholders
from storage.models import FollowUpKind, FollowUpStatus


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    sv, en = catalogue("sv"), catalogue("en")
    assert sv.keys() == en.keys()
    for key in sv:
        assert placeholders(sv[key]) == placeholders(en[key]), key


def test_every_kind_answer_reason_and_status_has_a_text() -> None:
    for language in ("sv", "en"):
        messages = catalogue(language)
        for kind in FollowUpKind:
            assert f"kind.{kind}" in messages
            prefix = "freshness.button" if kind is FollowUpKind.FRESHNESS else "button"
            for answer in answers_for(kind):
                assert f"{prefix}.{answer}" in messages
            if kind is not FollowUpKind.FRESHNESS:
                for side in ("designer", "maker"):
                    assert f"{kind}.{side}" in messages
        for reason in EndReason:
            assert f"button.reason.{reason}" in messages
            assert f"reason.{reason}" in messages
        for status in FollowUpStatus:
            assert f"overview.status.{status}" in messages
