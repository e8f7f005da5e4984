"""One update's worth of conversation: the state loaded, the replies being built.

:class:`TurnBase` holds what every step needs (the texts, the button registry, moving between
steps); the steps themselves are in :mod:`services.dialogue.flow`.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.dialogue.state import DialogueData, Step
from services.dialogue.texts import Texts
from services.matchmaking import Matchmaker
from services.messages import MAX_BUTTON_DATA_BYTES, Button, Html, Reply
from storage.models import Conversation, Designer

TOKEN_BYTES = 8  # token_urlsafe(8): 11 characters


def new_token() -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    assert len(token.encode()) <= MAX_BUTTON_DATA_BYTES
    return token


class TurnBase:
    def __init__(
        self,
        *,
        session: AsyncSession,
        matchmaker: Matchmaker,
        conversation: Conversation,
        designer: Designer | None,
        first_name: str,
        now: datetime,
        admin_ids: Collection[int] = (),
        notify: bool = True,
    ) -> None:
        self.session = session
        self.matchmaker = matchmaker
        self.designer = designer
        self.first_name = first_name
        self.now = now
        self.admin_ids = admin_ids
        self.notify = notify
        self.telegram_user_id = conversation.telegram_user_id
        try:
            self.step = Step(conversation.step)
        except ValueError:
            self.step = Step.START
        self.data = DialogueData.load(conversation.data)
        self.t = Texts(conversation.language)
        self.replies: list[Reply] = []
        self.notice: str | None = None

    @property
    def language(self) -> str:
        return self.t.language

    def set_language(self, language: str) -> None:
        self.t = Texts(language)

    # -- replies ---------------------------------------------------------------------------

    def say(self, key: str, *, remove_keyboard: bool = False, **values: object) -> None:
        self.say_html(self.t(key, **values), remove_keyboard=remove_keyboard)

    def say_html(self, text: str, *, remove_keyboard: bool = False) -> None:
        self.replies.append(Reply(text=text, remove_keyboard=remove_keyboard))

    def ask(
        self,
        text: Html | str,
        buttons: list[list[Button]] | None = None,
        *,
        ask_location: bool = False,
        photo_file_id: str | None = None,
    ) -> None:
        self.replies.append(
            Reply(
                text=text,
                buttons=tuple(tuple(row) for row in (buttons or []) if row),
                ask_location=ask_location,
                photo_file_id=photo_file_id,
            )
        )

    def button(self, label: str, action: str, *, key: str | None = None) -> Button:
        """A button for ``action``, valid while the conversation stays at this step.

        The same action keeps its token within a step, so a re-shown prompt (after a stray
        sticker, say) leaves the earlier copy of the message working too.
        """
        for token, known in self.data.buttons.items():
            if known == action:
                return Button(label, token, key)
        token = new_token()
        while token in self.data.buttons:  # pragma: no cover - 64 random bits
            token = new_token()
        self.data.buttons[token] = action
        return Button(label, token, key)

    def key_button(self, key: str, action: str) -> Button:
        return self.button(self.t(key), action)

    # -- moving ----------------------------------------------------------------------------

    async def go(self, step: Step) -> None:
        """Enter ``step``: earlier buttons stop working, and its prompt is shown."""
        self.step = step
        self.data.buttons = {}
        await self.show()

    async def show(self) -> None:  # pragma: no cover - implemented by the flow
        raise NotImplementedError
