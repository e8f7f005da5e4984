"""The command line's counted phrases: both catalogues alike, and "1 row" but "2 rows"."""

from __future__ import annotations

from services.messages import load_catalogue, placeholders
from services.operator_texts import OperatorTexts


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    sv, en = load_catalogue("operators", "sv"), load_catalogue("operators", "en")
    assert sv.keys() == en.keys()
    for key, message in sv.items():
        assert placeholders(message) == placeholders(en[key]), key


def test_one_row_is_a_row() -> None:
    t = OperatorTexts()
    counts = {"source": "a.csv", "created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    counts["notes"] = 0
    assert t.plain("import.rows", count=1, **counts).startswith("a.csv: 1 row — 1 created")
    assert t.plain("import.rows", count=2, **counts).startswith("a.csv: 2 rows — 1 created")
    assert t.plain("hubs.coordinators", count=1) == "1 coordinator"
    assert t.plain("hubs.coordinators", count=0) == "0 coordinators"
