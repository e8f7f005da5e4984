"""Realistic Bot API ``Update`` JSON for one person writing to the bot in a private chat: the
scripted designer's text, commands, locations and presses, plus what a designer might also send
(photos, stickers, voice, documents, video)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bot.bench.scripted import SimulatedPerson

_ids = itertools.count(1)


class TelegramUser(SimulatedPerson):
    def __init__(
        self, user_id: int = 4242, *, language_code: str | None = "sv", first_name: str = "Alva"
    ) -> None:
        super().__init__(user_id, language_code=language_code, first_name=first_name)

    def photo(self, caption: str = "") -> dict[str, Any]:
        sizes = [
            {"file_id": f"photo-{w}", "file_unique_id": f"u{w}", "width": w, "height": w}
            for w in (90, 1280, 320)
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self.message(**content)

    def sticker(self) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.message(sticker=sticker)

    def voice(self) -> dict[str, Any]:
        return self.message(voice={"file_id": "v1", "file_unique_id": "v1", "duration": 3})

    def document(
        self,
        file_id: str = "d1",
        *,
        file_name: str | None = None,
        file_size: int | None = None,
        mime_type: str | None = None,
        caption: str = "",
    ) -> dict[str, Any]:
        """A document; with ``file_name`` and ``file_size`` as a spreadsheet upload has them."""
        document: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"u-{file_id}"}
        if file_name is not None:
            document["file_name"] = file_name
        if file_size is not None:
            document["file_size"] = file_size
        if mime_type is not None:
            document["mime_type"] = mime_type
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return self.message(**content)

    def video(self) -> dict[str, Any]:
        video = {"file_id": "m1", "file_unique_id": "m1", "width": 1, "height": 1, "duration": 1}
        return self.message(video=video)

    def press(self, data: str, on_message: dict[str, Any] | None = None) -> dict[str, Any]:
        """Press a button with ``data``; without ``on_message``, on some earlier bot message."""
        message = on_message or {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": self.chat(),
            "text": "…",
        }
        return super().press(data, message)


def in_group(update: dict[str, Any]) -> dict[str, Any]:
    """The same update, but written in a group chat."""
    message = dict(update["message"])
    message["chat"] = {"id": -100123, "type": "group", "title": "Verkstan"}
    return {**update, "message": message}
