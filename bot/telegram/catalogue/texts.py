"""What the coordinators' catalogue desk says (uploads, /export, /maker, /stale, /outreach), in
Swedish and English, addressed by key.

Values are Telegram HTML; every placeholder value is escaped (names come from spreadsheets and
from coordinators' typing). tests/bot/telegram/catalogue/test_catalogue_texts.py checks that both
languages have the same keys and placeholders.
"""

from __future__ import annotations

import html

from bot.telegram.transport.texts import language_for

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "not_staff": "Det här är till för navens samordnare.",
        "private_only": "Skicka det till mig i en privat chatt.",
        "upload.too_big": "Filen är för stor: högst {limit} MB går att läsa in här.",
        "upload.unusable": "Jag kan inte läsa in <b>{source}</b>: {reason}.",
        "upload.summary": (
            "<b>{source}</b>: {rows} rader – {created} nya, {updated} ändrade, "
            "{unchanged} oförändrade, {rejected} avvisade."
        ),
        "upload.generated_ids": "{count} rader saknar id och får ett av namn och kommun.",
        "upload.ignored": "Kolumner jag inte använder: {columns}",
        "upload.rejected_title": "Avvisade rader (inget från dem sparas):",
        "upload.rejected_line": "• rad {line}, {column}: {reason}",
        "upload.more": "… och {count} problem till.",
        "upload.changed_title": "Det här ändras:",
        "upload.changed_line": "• {outcome} {name} ({external_id})",
        "upload.outcome.created": "ny:",
        "upload.outcome.updated": "ändras:",
        "upload.confirm": "Ingenting är sparat än. Vill du läsa in ändringarna?",
        "upload.nothing": "Inget att ändra – katalogen har redan det här.",
        "upload.replanned": (
            "Katalogen har ändrats sedan du fick förhandsvisningen, så jag har gått igenom "
            "filen igen. Så här blir det nu:"
        ),
        "upload.applied": (
            "Klart: {created} nya och {updated} ändrade tillverkare är inlästa. Sökningen ser "
            "dem redan."
        ),
        "upload.cancelled": "Avbrutet – ingenting ändrades.",
        "button.apply": "✅ Läs in",
        "button.cancel": "Avbryt",
        "press.not_allowed": "Den knappen är inte din.",
        "press.not_staff": "Det här är till för navens samordnare.",
        "press.unknown": "Den knappen känner jag inte igen.",
        "press.used": "Det är redan gjort.",
        "press.expired": "Den här är för gammal. Skicka filen eller /maker igen.",
        "press.unknown_maker": "Tillverkaren finns inte längre i katalogen.",
        "press.file_gone": "Jag kommer inte åt filen längre. Skicka den igen.",
        "export.usage": "Skriv /export för en Excel-fil eller /export csv för CSV-filer.",
        "export.caption": "Katalogen: {count} tillverkare, och navets kontaktade företag.",
        "export.caption_csv": "Katalogen: {count} tillverkare.",
        "export.caption_outreach": "Kontaktade företag som inte är listade: {count}.",
        "maker.usage": "Skriv /maker och ett namn, en ort eller ett id, till exempel /maker ek.",
        "maker.none": "Jag hittar ingen av navets tillverkare som liknar ”{query}”.",
        "maker.matches": "Flera passar – skicka /maker med ett id:",
        "maker.match": "• {name} ({place}) – /maker {external_id}",
        "card.title": "<b>{name}</b> ({external_id})",
        "card.place": "📍 {place} – {hub}",
        "card.status.listed": "Status: listad",
        "card.status.paused": "Status: pausad till och med {until}",
        "card.status.unlisted": "Status: avlistad",
        "card.contact": "Kontakt: {items}",
        "card.telegram_yes": "Telegram: kopplad",
        "card.telegram_no": "Telegram: inte kopplad än",
        "card.stale": "⚠️ Obesvarade kontroller (”tar ni fortfarande emot förfrågningar?”)",
        "card.none": "–",
        "card.button.pause": "Pausa {days} dagar",
        "card.button.unlist": "Avlista",
        "card.button.relist": "Lista igen",
        "card.button.invite": "Inbjudningslänk",
        "done.p": "Pausad till och med {until}.",
        "done.u": "Avlistad: syns inte i sökningar.",
        "done.r": "Listad igen: syns i sökningar.",
        "done.i": (
            "Inbjudan till <b>{name}</b>. Skicka länken till tillverkaren – den fungerar en "
            "gång, till och med {expires}:\n{link}"
        ),
        "invite.not_allowed": "Det kan bara navets samordnare göra.",
        "invite.unknown_maker": "Tillverkaren finns inte längre i katalogen.",
        "stale.none": "Inga inaktuella listningar – alla har svarat på sina kontroller.",
        "stale.title": "Listningar med obesvarade kontroller ({count}):",
        "stale.item": "• {name} ({place}) – obesvarad sedan {last} – /maker {external_id}",
        "stale.unknown_date": "okänt datum",
        "outreach.usage": (
            "Logga ett kontaktat företag:\n"
            "/outreach Företag; ort; material; utfall; anteckning\n"
            "Utfall: väntar, inte intresserad, kanske senare eller listad. Bara företaget "
            "behövs; ett datum (2026-11-20) kan stå sist.\n"
            "/outreach visar de senaste, /outreach ord söker."
        ),
        "outreach.outcome": (
            "”{value}” förstår jag inte som utfall. Skriv väntar, inte intresserad, kanske "
            "senare eller listad."
        ),
        "outreach.date": "”{value}” är inget datum; skriv till exempel 2026-11-20.",
        "outreach.hub": (
            "Vilket nav gäller det? Skriv en ort i navets område som andra fält, "
            "till exempel /outreach Företag; Borås."
        ),
        "outreach.added": "Sparat i {hub}s kontaktlogg: <b>{company}</b> – {outcome}.",
        "outreach.updated": "Uppdaterat i {hub}s kontaktlogg: <b>{company}</b> – {outcome}.",
        "outreach.none": "Inga kontaktade företag hittades.",
        "outreach.title": "Kontaktade företag:",
        "outreach.item": "• {date} <b>{company}</b> ({place}, {material}) – {outcome}{note}",
        "outcome.pending": "väntar på svar",
        "outcome.not_interested": "inte intresserad",
        "outcome.maybe_later": "kanske senare",
        "outcome.listed": "listad",
    },
    "en": {
        "not_staff": "This is for the hubs' coordinators.",
        "private_only": "Please send that to me in a private chat.",
        "upload.too_big": "The file is too big: at most {limit} MB can be imported here.",
        "upload.unusable": "I cannot import <b>{source}</b>: {reason}.",
        "upload.summary": (
            "<b>{source}</b>: {rows} rows – {created} new, {updated} changed, "
            "{unchanged} unchanged, {rejected} rejected."
        ),
        "upload.generated_ids": "{count} rows have no id and get one from name and place.",
        "upload.ignored": "Columns I do not use: {columns}",
        "upload.rejected_title": "Rejected rows (nothing from them is stored):",
        "upload.rejected_line": "• line {line}, {column}: {reason}",
        "upload.more": "… and {count} more problems.",
        "upload.changed_title": "What changes:",
        "upload.changed_line": "• {outcome} {name} ({external_id})",
        "upload.outcome.created": "new:",
        "upload.outcome.updated": "changed:",
        "upload.confirm": "Nothing is stored yet. Import these changes?",
        "upload.nothing": "Nothing to change – the catalogue already has this.",
        "upload.replanned": (
            "The catalogue changed since you got the preview, so I went through the file "
            "again. This is what it does now:"
        ),
        "upload.applied": (
            "Done: {created} new and {updated} changed makers imported. Searches already see them."
        ),
        "upload.cancelled": "Cancelled – nothing changed.",
        "button.apply": "✅ Import",
        "button.cancel": "Cancel",
        "press.not_allowed": "That button is not yours.",
        "press.not_staff": "This is for the hubs' coordinators.",
        "press.unknown": "I don't recognise that button.",
        "press.used": "That has already been done.",
        "press.expired": "This is too old. Please send the file or /maker again.",
        "press.unknown_maker": "The maker is no longer in the catalogue.",
        "press.file_gone": "I can no longer get the file. Please send it again.",
        "export.usage": "Send /export for an Excel file or /export csv for CSV files.",
        "export.caption": "The catalogue: {count} makers, and the hub's contacted companies.",
        "export.caption_csv": "The catalogue: {count} makers.",
        "export.caption_outreach": "Contacted companies that are not listed: {count}.",
        "maker.usage": "Send /maker with a name, a place or an id, for example /maker oak.",
        "maker.none": "I can't find any of the hub's makers like “{query}”.",
        "maker.matches": "Several fit – send /maker with an id:",
        "maker.match": "• {name} ({place}) – /maker {external_id}",
        "card.title": "<b>{name}</b> ({external_id})",
        "card.place": "📍 {place} – {hub}",
        "card.status.listed": "Status: listed",
        "card.status.paused": "Status: paused until {until}",
        "card.status.unlisted": "Status: unlisted",
        "card.contact": "Contact: {items}",
        "card.telegram_yes": "Telegram: linked",
        "card.telegram_no": "Telegram: not linked yet",
        "card.stale": "⚠️ Unanswered checks (“still taking requests?”)",
        "card.none": "–",
        "card.button.pause": "Pause {days} days",
        "card.button.unlist": "Unlist",
        "card.button.relist": "Relist",
        "card.button.invite": "Invite link",
        "done.p": "Paused until {until}.",
        "done.u": "Unlisted: not shown in searches.",
        "done.r": "Listed again: shown in searches.",
        "done.i": (
            "Invite to <b>{name}</b>. Send the link to the maker – it works once, until "
            "{expires}:\n{link}"
        ),
        "invite.not_allowed": "Only the hub's coordinators can do that.",
        "invite.unknown_maker": "The maker is no longer in the catalogue.",
        "stale.none": "No stale listings – every maker answered their checks.",
        "stale.title": "Listings with unanswered checks ({count}):",
        "stale.item": "• {name} ({place}) – unanswered since {last} – /maker {external_id}",
        "stale.unknown_date": "unknown date",
        "outreach.usage": (
            "Log a company you contacted:\n"
            "/outreach Company; place; material; outcome; note\n"
            "Outcome: pending, not interested, maybe later or listed. Only the company is "
            "needed; a date (2026-11-20) may come last.\n"
            "/outreach shows the latest, /outreach word searches."
        ),
        "outreach.outcome": (
            "I don't understand “{value}” as an outcome. Write pending, not interested, "
            "maybe later or listed."
        ),
        "outreach.date": "“{value}” is not a date; write for example 2026-11-20.",
        "outreach.hub": (
            "Which hub? Write a place in the hub's area as the second field, for example "
            "/outreach Company; Borås."
        ),
        "outreach.added": "Saved in {hub}'s outreach log: <b>{company}</b> – {outcome}.",
        "outreach.updated": "Updated in {hub}'s outreach log: <b>{company}</b> – {outcome}.",
        "outreach.none": "No contacted companies found.",
        "outreach.title": "Contacted companies:",
        "outreach.item": "• {date} <b>{company}</b> ({place}, {material}) – {outcome}{note}",
        "outcome.pending": "waiting for an answer",
        "outcome.not_interested": "not interested",
        "outcome.maybe_later": "maybe later",
        "outcome.listed": "listed",
    },
}


def desk_text(key: str, language_code: str | None, **values: object) -> str:
    """The message ``key`` in the person's language, placeholders HTML-escaped."""
    message = TEXTS[language_for(language_code)][key]
    return message.format_map({k: html.escape(str(v), quote=False) for k, v in values.items()})


def desk_html(key: str, language_code: str | None, **values: str) -> str:
    """Like :func:`desk_text`, for values that are already HTML (rendered problems)."""
    return TEXTS[language_for(language_code)][key].format_map(values)
