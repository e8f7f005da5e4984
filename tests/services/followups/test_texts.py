"""The follow-up texts: the same keys and placeholders in Swedish and English, and a text for
every kind, answer, reason and status the code can show."""

from __future__ import annotations

from services.followups.answers import EndReason
from services.followups.dispatch import answers_for
from services.followups.texts import FollowUpTexts, catalogue
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
                    assert FollowUpTexts(language).has(f"{kind}.{side}")
        for reason in EndReason:
            assert f"button.reason.{reason}" in messages
            assert f"reason.{reason}" in messages
        for status in FollowUpStatus:
            assert f"overview.status.{status}" in messages


def test_the_days_since_the_introduction_take_the_plural_they_need() -> None:
    values = {"maker": "Ringö Metall", "number": "nr 7", "what": "mössor"}
    sv, en = FollowUpTexts("sv"), FollowUpTexts("en")
    assert "För 1 dag sedan" in sv("checkin.contact.designer", count=1, **values)
    assert "För 7 dagar sedan" in sv("checkin.contact.designer", count=7, **values)
    assert "1 day ago" in en("checkin.contact.maker", count=1, **values)
    assert "7 days ago" in en("checkin.contact.maker", count=7, **values)


def test_the_freshness_interval_reads_right_for_one_two_and_more_weeks() -> None:
    sv, en = FollowUpTexts("sv"), FollowUpTexts("en")
    assert "varje vecka" in sv("checkins.maker_note", count=1)
    assert "med 2 veckors mellanrum" in sv("checkins.maker_note", count=2)
    assert ":e vecka" not in sv("checkins.maker_note", count=2)
    assert "every week" in en("checkins.maker_note", count=1)
    assert "every 4 weeks" in en("checkins.maker_note", count=4)
