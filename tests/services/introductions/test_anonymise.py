"""What a maker reads before saying yes carries no contact details, even typed into the text."""

import pytest

from services.introductions.anonymise import REMOVED, without_contacts


@pytest.mark.parametrize(
    "contact",
    ["070-174 06 05", "0701740605", "+46 70 174 06 05", "031-390 06 00", "anna@example.se",
     "https://example.se/portfolio", "www.example.se"],
)  # fmt: skip
def test_contact_details_are_removed(contact: str) -> None:
    cleaned = without_contacts(f"Ekbord i massiv ek, 12 st. Hör av dig: {contact} tack")
    assert contact not in cleaned and REMOVED in cleaned
    assert cleaned.startswith("Ekbord i massiv ek, 12 st.")


@pytest.mark.parametrize(
    "text", ["Leverans 2026-12-24", "plåt 0,5 mm, 200 st", "ca 1 000 pcs", "mått 120 x 80 cm"]
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert without_contacts(text) == text
