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

Texts: ``services/data/introductions.{sv,en}.toml``; working days: :mod:`.calendar`.
"""

from services.introductions.calendar import add_working_days, is_working_day
from services.introductions.lifecycle import (
    Action,
    DeclineReason,
    PressOutcome,
    PressStatus,
    RelayOutcome,
    TickReport,
    blocked_hook,
    forget_designer,
    mark_reachable,
    person_blocked,
    press,
    relay,
    submit_request,
    tick,
)

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
