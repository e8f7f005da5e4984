"""The lifecycle's vocabulary: its constants, actions, decline reasons and outcomes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from services.messages import Reply
from storage.models import IntroductionStatus

REMINDER_AFTER_WORKING_DAYS = 3
UNANSWERED_AFTER_REMINDER_WORKING_DAYS = 2
MAX_ALTERNATIVES = 3
MAX_RELAYED_CHARS = 1500
RELAY_OPEN_FOR = timedelta(hours=24)  # an unanswered question lapses after this
MAX_CAPTION_WHAT = 500  # a brief with a photo is a caption (Telegram: at most 1024 characters)
MAKER_LANGUAGE = "sv"  # makers and coordinators read Swedish unless we know better
HUB_LANGUAGE = "sv"


class Action(StrEnum):
    """What a token's button does (``ActionToken.action``)."""

    INTERESTED = "interested"
    NOT_NOW = "not_now"  # shows the reasons; changes nothing yet
    DECLINE = "decline"  # stored as "decline:<reason>"
    QUESTION = "question"  # the maker's next message goes to the designer
    INTRODUCE = "introduce"  # the designer asks for one of the alternatives offered
    OPEN = "open"  # a coordinator opens a request from a notice (repeatable, changes nothing)


class DeclineReason(StrEnum):
    FULLY_BOOKED = "fully_booked"
    NOT_OUR_KIND = "not_our_kind"
    VOLUME = "volume"
    OTHER = "other"


class PressStatus(StrEnum):
    DONE = "done"  # the press changed something (or showed the next choice)
    ALREADY = "already"  # answered before: nothing changed
    REFUSED = "refused"  # unknown, forged or someone else's token: nothing changed, logged


@dataclass(frozen=True, slots=True)
class PressOutcome:
    """What the transport shows the person who pressed: ``notice`` as the button's toast,
    ``replies`` as messages in the chat where the button was."""

    status: PressStatus
    notice: str = ""
    replies: tuple[Reply, ...] = ()
    introduction_id: int | None = None


@dataclass(frozen=True, slots=True)
class RelayOutcome:
    """A relayed message: the confirmation to show its writer."""

    replies: tuple[Reply, ...]
    introduction_id: int


@dataclass(frozen=True, slots=True)
class TickReport:
    reminded: int = 0
    unanswered: int = 0


_OPEN = IntroductionStatus.BRIEF_SENT.value
_TAG = re.compile(r"</?\w+>")
