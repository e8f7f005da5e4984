"""The introduction lifecycle as services (no Telegram code): a designer's request becomes
anonymised briefs to makers, answers become contact cards or alternatives, silence becomes a
reminder and then "unanswered", and the hub's coordinators hear of every step.

The Telegram side calls:

* :func:`submit_request` – in the designer dialogue's transaction (already wired);
* :func:`press` – for a callback whose data is not the dialogue's (a token from a brief, a
  coordinator notice or an alternatives message);
* :func:`relay` – for text from a person with an open question/answer relay (``None`` if not);
* :func:`tick` – periodically (reminders and unanswered introductions);
* :func:`person_blocked` / :func:`blocked_hook` – the outbox sender's ``on_blocked``.

Every function works in the caller's transaction (nothing here commits) and sends only through
the outbox (:func:`services.outbox.enqueue`), so a message exists exactly when the change that
caused it is committed. Every status change is a conditional ``UPDATE`` (``brief_sent`` → …), so
two answers racing each other change the introduction once; each change is an
:class:`~storage.models.IntroductionEvent` with its time and actor.

Button data are opaque tokens (:class:`~storage.models.ActionToken`): a token addressed to a
person works for that person only, one addressed to a hub for whoever coordinates it (admins
included); anything else is refused and logged through :func:`services.hubs.access.log_refusal`.
Contact details travel in exactly two messages, both written only when the maker (or a
coordinator on their behalf) says Interested to an introduction the designer asked for.

The modules, one step of the lifecycle each: :mod:`.submit` (request → briefs),
:mod:`.answers` (the buttons: Interested, Not now, questions, coordinators answering for a
maker), :mod:`.relay` (questions relayed both ways), :mod:`.reminders` (the working-day clock),
:mod:`.blocked` (people who blocked the bot; forgetting a designer); :mod:`.model` holds the
constants and outcomes, :mod:`.common` the helpers the steps share, :mod:`.anonymise` strips
contact details from free text. Texts: ``services/data/introductions.{sv,en}.toml``; working
days: :mod:`.calendar`.
"""

from services.introductions.answers import press
from services.introductions.blocked import (
    blocked_hook,
    forget_designer,
    mark_reachable,
    person_blocked,
)
from services.introductions.calendar import add_working_days, is_working_day
from services.introductions.model import (
    Action,
    DeclineReason,
    PressOutcome,
    PressStatus,
    RelayOutcome,
    TickReport,
)
from services.introductions.relay import relay
from services.introductions.reminders import tick
from services.introductions.submit import submit_request

__all__ = [
    "Action",
    "DeclineReason",
    "PressOutcome",
    "PressStatus",
    "RelayOutcome",
    "TickReport",
    "add_working_days",
    "blocked_hook",
    "forget_designer",
    "is_working_day",
    "mark_reachable",
    "person_blocked",
    "press",
    "relay",
    "submit_request",
    "tick",
]
