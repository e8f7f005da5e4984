"""Realistic Bot API ``Update`` JSON for one person writing to the bot in a private chat."""

from __future__ import annotations

import itertools
import time
from typing import Any

_update_ids = itertools.count(500_000)
_message_ids = itertools.count(1)


class TelegramUser:
    """One person; every method returns the JSON Telegram would deliver for what they did."""

    def __init__(
        self, user_id: int = 4242, *, language_code: str | None = "sv", first_name: str = "Alva"
    ) -> None:
        self.user_id = user_id
        self.language_code = language_code
        self.first_name = first_name

    def _from(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def _chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    def _message(self, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "from": self._from(),
            **content,
        }
        return {"update_id": next(_update_ids), "message": message}

    def text(self, text: str) -> dict[str, Any]:
        return self._message(text=text)

    def command(self, name: str, argument: str = "") -> dict[str, Any]:
        text = f"/{name} {argument}".rstrip()
        entity = {"type": "bot_command", "offset": 0, "length": len(name) + 1}
        return self._message(text=text, entities=[entity])

    def location(self, lat: float, lon: float) -> dict[str, Any]:
        return self._message(location={"latitude": lat, "longitude": lon})

    def photo(self, caption: str = "") -> dict[str, Any]:
        sizes = [
            {"file_id": f"photo-{w}", "file_unique_id": f"u{w}", "width": w, "height": w}
            for w in (90, 1280, 320)
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._message(**content)

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
        return self._message(sticker=sticker)

    def voice(self) -> dict[str, Any]:
        return self._message(voice={"file_id": "v1", "file_unique_id": "v1", "duration": 3})

    def document(self) -> dict[str, Any]:
        return self._message(document={"file_id": "d1", "file_unique_id": "d1"})

    def video(self) -> dict[str, Any]:
        video = {"file_id": "m1", "file_unique_id": "m1", "width": 1, "height": 1, "duration": 1}
        return self._message(video=video)

    def press(self, data: str, on_message: dict[str, Any] | None = None) -> dict[str, Any]:
        """Press a button with ``data`` on ``on_message`` (a message the bot sent, as JSON)."""
        message = on_message or {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": self._chat(),
            "text": "…",
        }
        query = {
            "id": f"cq{next(_update_ids)}",
            "from": self._from(),
            "chat_instance": f"ci{self.user_id}",
            "message": message,
            "data": data,
        }
        return {"update_id": next(_update_ids), "callback_query": query}


def in_group(update: dict[str, Any]) -> dict[str, Any]:
    """The same update, but written in a group chat."""
    message = dict(update["message"])
    message["chat"] = {"id": -100123, "type": "group", "title": "Verkstan"}
    return {**update, "message": message}
