"""The little text the transport itself shows: the command menu, the location button, and the
apology when something broke. Everything else comes from the dialogue's catalogue."""

from __future__ import annotations

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "en"  # the menu for every language Telegram has no list for

# The command menu, in the order shown.
COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "sv": (
        ("new", "Ny förfrågan: hitta en tillverkare"),
        ("myrequests", "Mina förfrågningar"),
        ("cancel", "Avbryt det du håller på med"),
        ("help", "Så fungerar det"),
        ("language", "Byt språk (svenska/English)"),
        ("checkins", "Uppföljningsfrågor på eller av"),
        ("privacy", "Vad vi sparar och hur du får det raderat"),
    ),
    "en": (
        ("new", "New request: find a maker"),
        ("myrequests", "My requests"),
        ("cancel", "Cancel what you are doing"),
        ("help", "How it works"),
        ("language", "Change language (svenska/English)"),
        ("checkins", "Check-in questions on or off"),
        ("privacy", "What we store and how to have it removed"),
    ),
}

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "share_location": "📍 Dela min plats",
        "location_hint": "Du kan också dela din plats med knappen här nedanför.",
        "went_wrong": "Oj, något gick fel hos oss. Försök gärna igen om en liten stund.",
    },
    "en": {
        "share_location": "📍 Share my location",
        "location_hint": "You can also share your location with the button below.",
        "went_wrong": "Sorry, something went wrong on our side. Please try again in a moment.",
    },
}


def language_for(language_code: str | None) -> str:
    """Swedish for Swedish Telegram clients, English otherwise (as the menu is)."""
    if language_code and language_code.lower().split("-")[0] == "sv":
        return "sv"
    return DEFAULT_LANGUAGE


def text(key: str, language_code: str | None) -> str:
    return TEXTS[language_for(language_code)][key]
