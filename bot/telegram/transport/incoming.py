"""Turn one Telegram update into the dialogue's :class:`~services.dialogue.contract.Incoming`."""

from __future__ import annotations

from telegram import CallbackQuery, Message, MessageEntity, Update, User

from services.dialogue.contract import (
    Command,
    Document,
    Event,
    Incoming,
    Location,
    Person,
    Photo,
    Press,
    Text,
    Unsupported,
)

SOURCE = "telegram"

# What a message can carry besides text, photo and location, most specific first (a video note
# is not "video"). A venue also carries its location, so it counts as one.
_ATTACHMENT_KINDS = (
    "sticker",
    "voice",
    "video_note",
    "video",
    "animation",
    "audio",
    "document",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "invoice",
    "paid_media",
)


def person_of(user: User) -> Person:
    return Person(user_id=user.id, language_code=user.language_code, first_name=user.first_name)


def message_event(message: Message) -> Event:
    """What a message says, as one dialogue event."""
    if message.text is not None:
        return _command(message) or Text(message.text)
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return Photo(
            file_id=largest.file_id,
            caption=message.caption or "",
            file_unique_id=largest.file_unique_id,
            size=largest.file_size,
        )
    if message.document is not None:
        document = message.document
        return Document(
            file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            file_name=document.file_name,
            mime_type=document.mime_type,
            size=document.file_size,
            caption=message.caption or "",
        )
    if message.location is not None:
        return Location(lat=message.location.latitude, lon=message.location.longitude)
    for kind in _ATTACHMENT_KINDS:
        if getattr(message, kind, None):
            return Unsupported(kind)
    return Unsupported("other")


def _command(message: Message) -> Command | None:
    """``/name@bot argument`` at the start of the text, the way CommandHandler reads it."""
    text = message.text or ""
    first = message.entities[0] if message.entities else None
    if first is None or first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    name = text[1 : first.length].split("@", 1)[0].lower()
    return Command(name=name, argument=text[first.length :].strip())


def incoming_from_message(update: Update) -> Incoming | None:
    message = update.message
    if message is None or message.from_user is None:
        return None
    return Incoming(
        person=person_of(message.from_user),
        chat_id=message.chat.id,
        event=message_event(message),
        update_id=update.update_id,
        source=SOURCE,
    )


def incoming_from_press(update: Update) -> Incoming | None:
    query: CallbackQuery | None = update.callback_query
    if query is None or query.message is None:  # inline-mode messages are not ours
        return None
    event: Event = Press(query.data) if query.data is not None else Unsupported("game")
    return Incoming(
        person=person_of(query.from_user),
        chat_id=query.message.chat.id,
        event=event,
        update_id=update.update_id,
        source=SOURCE,
    )


def update_kind(update: object) -> str:
    """The update's kind ("message", "callback_query", …) for logs; never its content."""
    if not isinstance(update, Update):
        return type(update).__name__
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return str(kind)
    return "unknown"
