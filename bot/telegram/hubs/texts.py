"""What the bot says about invites and hub chats, in Swedish and English, addressed by key.

Values are Telegram HTML; every placeholder value is escaped (names come from the catalogue
and from coordinators' typing). tests/bot/telegram/hubs/test_hub_commands.py checks that both
languages have the same keys and placeholders.
"""

from __future__ import annotations

import html

from bot.telegram.transport.texts import language_for

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "redeem.linked_maker": (
            "Klart! Ditt Telegramkonto är nu kopplat till <b>{name}</b>. Här får du "
            "förfrågningar från formgivare som vill ha något tillverkat.\n\n"
            "/requests visar öppna förfrågningar, /pause 2026-12-24 pausar listningen till ett "
            "datum, /resume öppnar den igen och /profile visar hur ni är listade."
        ),
        "redeem.now_coordinator": "Välkommen! Du är nu samordnare för <b>{name}</b>.",
        "redeem.already_yours": "Den inbjudan har du redan använt – allt är klart.",
        "redeem.used": ("Den här inbjudningslänken har redan använts. Be ditt nav om en ny länk."),
        "redeem.expired": (
            "Den här inbjudningslänken har tyvärr gått ut. Be ditt nav om en ny länk."
        ),
        "redeem.unknown": (
            "Jag känner inte igen den här inbjudningslänken. Kontrollera att hela länken kom "
            "med, eller be ditt nav om en ny."
        ),
        "invite.created_maker": (
            "Inbjudan till <b>{name}</b>. Skicka länken till tillverkaren – den fungerar en gång, "
            "till och med {expires}:\n{link}"
        ),
        "invite.created_coordinator": (
            "Inbjudan att bli samordnare för <b>{name}</b>. Den fungerar en gång, till och med "
            "{expires}:\n{link}"
        ),
        "invite.usage": (
            "Så här bjuder du in:\n/invite maker &lt;tillverkarens id&gt;\n"
            "/invite coordinator [nav]"
        ),
        "invite.private_only": (
            "Skicka /invite till mig i en privat chatt, så syns länken bara för dig."
        ),
        "invite.not_allowed": "Det kan bara navets samordnare göra.",
        "invite.unknown_maker": "Jag hittar ingen tillverkare med id <b>{target}</b>.",
        "invite.unknown_hub": "Jag hittar inget nav som heter <b>{target}</b>.",
        "invite.choose_hub": (
            "Vilket nav gäller det? Skriv till exempel /invite coordinator skane."
        ),
        "bindhub.bound": (
            "Den här gruppen är nu samordnarchatt för <b>{name}</b>. Navets aviseringar kommer hit."
        ),
        "bindhub.not_allowed": "Det kan bara navets samordnare göra.",
        "bindhub.unknown_hub": "Jag hittar inget nav som heter <b>{target}</b>.",
        "bindhub.choose_hub": "Vilket nav gäller det? Skriv till exempel /bindhub skane.",
        "bindhub.group_only": ("Skicka /bindhub i den grupp som ska bli navets samordnarchatt."),
    },
    "en": {
        "redeem.linked_maker": (
            "Done! Your Telegram account is now linked to <b>{name}</b>. This is where you "
            "will get requests from designers who want something made.\n\n"
            "/requests shows open requests, /pause 2026-12-24 pauses your listing until a date, "
            "/resume opens it again and /profile shows how you are listed."
        ),
        "redeem.now_coordinator": "Welcome! You are now a coordinator of <b>{name}</b>.",
        "redeem.already_yours": "You have already used this invite – you are all set.",
        "redeem.used": "This invite link has already been used. Please ask your hub for a new one.",
        "redeem.expired": "Sorry, this invite link has expired. Please ask your hub for a new one.",
        "redeem.unknown": (
            "I don't recognise this invite link. Please check that the whole link came "
            "through, or ask your hub for a new one."
        ),
        "invite.created_maker": (
            "Invite to <b>{name}</b>. Send the link to the maker – it works once, until "
            "{expires}:\n{link}"
        ),
        "invite.created_coordinator": (
            "Invite to become a coordinator of <b>{name}</b>. It works once, until "
            "{expires}:\n{link}"
        ),
        "invite.usage": (
            "How to invite:\n/invite maker &lt;the maker's id&gt;\n/invite coordinator [hub]"
        ),
        "invite.private_only": "Send /invite to me in a private chat, so only you see the link.",
        "invite.not_allowed": "Only the hub's coordinators can do that.",
        "invite.unknown_maker": "I can't find a maker with the id <b>{target}</b>.",
        "invite.unknown_hub": "I can't find a hub called <b>{target}</b>.",
        "invite.choose_hub": "Which hub? Write for example /invite coordinator skane.",
        "bindhub.bound": (
            "This group is now the coordinator chat of <b>{name}</b>. The hub's notifications "
            "will come here."
        ),
        "bindhub.not_allowed": "Only the hub's coordinators can do that.",
        "bindhub.unknown_hub": "I can't find a hub called <b>{target}</b>.",
        "bindhub.choose_hub": "Which hub? Write for example /bindhub skane.",
        "bindhub.group_only": (
            "Send /bindhub in the group that should be the hub's coordinator chat."
        ),
    },
}


def hub_text(key: str, language_code: str | None, **values: object) -> str:
    """The message ``key`` in the person's language, placeholders HTML-escaped."""
    message = TEXTS[language_for(language_code)][key]
    return message.format_map({k: html.escape(str(v), quote=False) for k, v in values.items()})
