"""What the bot says to makers about their own listing (/pause, /resume, /profile, /requests),
in Swedish and English, addressed by key.

Values are Telegram HTML; every placeholder value is escaped (listings come from coordinators'
spreadsheets). tests/bot/telegram/makers/test_maker_commands.py checks that both languages have
the same keys and placeholders.
"""

from __future__ import annotations

import html

from bot.telegram.transport.texts import language_for

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "not_a_maker": (
            "Det här kommandot är till för tillverkare som är listade hos SPOK. Vill du få "
            "förfrågningar? Hör av dig till ditt nav, så skickar de en inbjudningslänk."
        ),
        "private_only": "Skicka det till mig i en privat chatt.",
        "pause.usage": (
            "Skriv till vilket datum du är upptagen, till exempel /pause 2026-12-24, "
            "/pause 24/12 eller /pause 24 dec."
        ),
        "pause.past": "Det datumet har redan varit. Skriv ett datum framåt i tiden.",
        "pause.done": (
            "Noterat: <b>{name}</b> är upptagen till och med {until}. Du får inga nya "
            "förfrågningar fram till dess. Skriv /resume när du vill ha förfrågningar igen."
        ),
        "resume.done": "Välkommen tillbaka! <b>{name}</b> får förfrågningar igen.",
        "listing.unlisted": (
            "<b>{name}</b> är inte listad just nu. Hör av dig till ditt nav om du vill bli "
            "listad igen."
        ),
        "resume.already": "<b>{name}</b> får redan förfrågningar – inget behövde ändras.",
        "profile.title": "<b>{name}</b>",
        "profile.place": "📍 {place}",
        "profile.materials": "Material: {items}",
        "profile.processes": "Tekniker: {items}",
        "profile.volumes": "Volymer: {items}",
        "profile.description": "{text}",
        "profile.contact": "Kontakt: {items}",
        "profile.status.listed": "Status: får förfrågningar",
        "profile.status.paused": "Status: upptagen till och med {until}",
        "profile.status.unlisted": "Status: inte listad",
        "profile.none": "–",
        "profile.change_button": "Be navet ändra uppgifterna",
        "profile.change_asked": "Hubben har fått besked och hör av sig till dig.",
        "profile.change_notice": (
            "✏️ <b>{name}</b> ({external_id}) ber navet ändra sina uppgifter i katalogen. "
            "Kontakta tillverkaren: {contact}"
        ),
        "volume.prototype": "unikat / prototyp",
        "volume.pilot": "pilotserie / småserie",
        "volume.production": "löpande produktion",
        "requests.none": "Du har inga öppna förfrågningar just nu.",
        "requests.title": "Dina öppna förfrågningar ({count}):",
        "requests.item": "• {date} – {what} ({place})",
        "button.stale": "Den knappen gäller inte längre.",
    },
    "en": {
        "not_a_maker": (
            "This command is for makers listed with SPOK. Would you like to get requests? "
            "Contact your hub and they will send you an invite link."
        ),
        "private_only": "Please send that to me in a private chat.",
        "pause.usage": (
            "Tell me until which date you are busy, for example /pause 2026-12-24, "
            "/pause 24/12 or /pause 24 dec."
        ),
        "pause.past": "That date has already passed. Please give a date ahead.",
        "pause.done": (
            "Noted: <b>{name}</b> is busy until {until}. You will get no new requests until "
            "then. Send /resume when you want requests again."
        ),
        "resume.done": "Welcome back! <b>{name}</b> gets requests again.",
        "listing.unlisted": (
            "<b>{name}</b> is not listed right now. Contact your hub if you want to be listed "
            "again."
        ),
        "resume.already": "<b>{name}</b> already gets requests – nothing needed changing.",
        "profile.title": "<b>{name}</b>",
        "profile.place": "📍 {place}",
        "profile.materials": "Materials: {items}",
        "profile.processes": "Processes: {items}",
        "profile.volumes": "Volumes: {items}",
        "profile.description": "{text}",
        "profile.contact": "Contact: {items}",
        "profile.status.listed": "Status: taking requests",
        "profile.status.paused": "Status: busy until {until}",
        "profile.status.unlisted": "Status: not listed",
        "profile.none": "–",
        "profile.change_button": "Ask the hub to change it",
        "profile.change_asked": "The hub has been told and will get in touch.",
        "profile.change_notice": (
            "✏️ <b>{name}</b> ({external_id}) asks the hub to change its catalogue listing. "
            "Contact the maker: {contact}"
        ),
        "volume.prototype": "one-off / prototype",
        "volume.pilot": "pilot / small series",
        "volume.production": "ongoing production",
        "requests.none": "You have no open requests right now.",
        "requests.title": "Your open requests ({count}):",
        "requests.item": "• {date} – {what} ({place})",
        "button.stale": "That button no longer applies.",
    },
}


def maker_text(key: str, language_code: str | None, **values: object) -> str:
    """The message ``key`` in the person's language, placeholders HTML-escaped."""
    message = TEXTS[language_for(language_code)][key]
    return message.format_map({k: html.escape(str(v), quote=False) for k, v in values.items()})
