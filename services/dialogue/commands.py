"""The commands that work at every step: /start, /new, /cancel, /help, /language, /privacy,
/myrequests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from services.dialogue.privacy import PrivacyTurn
from services.dialogue.state import (
    DETOUR_STEPS,
    PROFILE_STEPS,
    REQUEST_STEPS,
    DialogueData,
    ProfileDraft,
    RequestDraft,
    RoundJoin,
    Step,
)
from services.introductions.calendar import STOCKHOLM
from services.messages import Html
from services.rounds.join import LINK_PREFIX, JoinRefusal, round_for_link
from storage.repositories.designers import count_introductions, list_requests


class CommandTurn(PrivacyTurn):
    async def command(self, name: str, argument: str = "") -> None:
        if name == "start" and argument.startswith(LINK_PREFIX):
            await self.cmd_start_round(argument)
            return
        handlers: dict[str, Callable[[], Awaitable[None]]] = {
            "start": self.cmd_start,
            "new": self.cmd_new,
            "cancel": self.cmd_cancel,
            "help": self.cmd_help,
            "language": self.cmd_language,
            "privacy": self.cmd_privacy,
            "myrequests": self.cmd_myrequests,
        }
        handler = handlers.get(name)
        if handler is None:
            self.say("command.unknown")
            await self.show()
            return
        await handler()

    async def cmd_start(self) -> None:
        if self.step in (Step.START, Step.DECLINED):
            await self.begin()
            return
        self.say("welcome_back")
        await self.show()

    async def cmd_start_round(self, payload: str) -> None:
        """A round's link: the brief that follows goes to the round (while it takes entries)."""
        found = await round_for_link(session=self.session, payload=payload, now=self.now)
        if isinstance(found, JoinRefusal):
            self.say(f"round.{found.value}")
            if self.step in (Step.START, Step.DECLINED):
                await self.begin()
            else:
                await self.show()
            return
        joining = RoundJoin(id=found.round_id, theme=found.theme)
        closes = found.closes_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
        if self._consented():
            self.data.request = RequestDraft()
            self.data.selected = []
            self.data.names = {}
            self.data.editing = False
            self.data.round = joining
            self.say("round.welcome", theme=found.theme, closes=closes)
            await self.go(Step.DESCRIBE)
            return
        if self.step not in PROFILE_STEPS:
            self.data = DialogueData()
        self.data.round = joining
        self.say("round.welcome", theme=found.theme, closes=closes)
        if self.step in PROFILE_STEPS:
            await self.show()
            return
        self.say("welcome", name=self.first_name or self.t("friend"))
        await self.go(Step.NAME)

    async def begin(self) -> None:
        self.data = DialogueData()
        if self._consented():
            self.say("welcome_again")
            await self.go(Step.DESCRIBE)
            return
        self.say("welcome", name=self.first_name or self.t("friend"))
        await self.go(Step.NAME)

    def _consented(self) -> bool:
        return self.designer is not None and self.designer.consent_at is not None

    async def cmd_new(self) -> None:
        if not self._consented():
            if self.step in PROFILE_STEPS:
                self.say("profile_first")
                await self.show()
            else:
                await self.begin()
            return
        self.data.request = RequestDraft()
        self.data.round = None  # a new request of one's own, not the round's
        self.data.selected = []  # picks belong to a request: a new one starts without
        self.data.names = {}
        self.data.editing = False
        self.say("new_request")
        await self.go(Step.DESCRIBE)

    async def cmd_cancel(self) -> None:
        if self.data.correcting is not None:
            self.stop_correcting()
            self.say("correct.cancelled")
            await self.enter_privacy()
        elif self.step in REQUEST_STEPS:
            self.data.request = RequestDraft()
            self.data.round = None
            self.data.selected = []
            self.say("cancelled")
            await self.go(Step.IDLE)
        elif self.step in PROFILE_STEPS:
            self.data.profile = ProfileDraft()
            self.say("cancelled_profile")
            await self.go(Step.START)
        else:
            self.say("nothing_to_cancel")
            await self.show()

    async def cmd_help(self) -> None:
        self.say("help")
        await self.show()

    def _detour(self) -> None:
        if self.data.correcting is not None:  # a correction is left; /privacy came before it
            self.stop_correcting()
        elif self.step not in DETOUR_STEPS:
            self.data.resume = self.step

    async def cmd_language(self) -> None:
        self._detour()
        await self.go(Step.LANGUAGE)

    async def cmd_privacy(self) -> None:
        self._detour()
        await self.enter_privacy()

    async def cmd_myrequests(self) -> None:
        if self.designer is None or self.designer.id is None:
            self.say("myrequests.none")
        else:
            requests = await list_requests(session=self.session, designer_id=self.designer.id)
            if not requests:
                self.say("myrequests.none")
            else:
                lines = [self.t("myrequests.header")]
                for request in requests:
                    assert request.id is not None
                    count = await count_introductions(session=self.session, request_id=request.id)
                    text = request.text if len(request.text) <= 60 else request.text[:59] + "…"
                    lines.append(
                        self.t(
                            "myrequests.item",
                            number=request.id,
                            date=request.created_at.date().isoformat(),
                            text=text,
                            status=self.t(f"status.{request.status}")
                            if self.t.has(f"status.{request.status}")
                            else request.status,
                            count=count,
                        )
                    )
                self.say_html(Html("\n".join(lines)))
        await self.show()

    async def resume(self) -> None:
        target = self.data.resume or Step.START
        self.data.resume = None
        if target in DETOUR_STEPS:
            target = Step.IDLE if self._consented() else Step.START
        await self.go(target)
