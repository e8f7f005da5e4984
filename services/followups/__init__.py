"""Follow-up check-ins that are never lost and never doubled (no Telegram code).

* :mod:`.schedule` plans the rows: check-ins after an introduction (7/30/90 days by default,
  both sides) and "still taking requests?" for makers every few weeks;
* :mod:`.dispatch` claims due rows atomically and queues their messages in the outbox in the
  same transaction, within the courtesy hours (:mod:`.courtesy`);
* :mod:`.answers` records what people answer; :mod:`.switch` is /checkins;
* :mod:`.reports` tells the hub about a check-in that could not be delivered;
* :mod:`.overview` is what a coordinator reads with /followups.

The bot runs :class:`FollowUpDispatcher` from the JobQueue (APScheduler); the follow-up rows,
not the scheduler, hold the state.
"""

from services.followups.answers import FollowUpPress, PressResult, answer, parse_button
from services.followups.courtesy import WorkingHours
from services.followups.dispatch import (
    CycleReport,
    DispatchReport,
    FollowUpDispatcher,
    dispatch_due,
)
from services.followups.overview import overview
from services.followups.reports import delivery_failed
from services.followups.schedule import FollowUpPolicy, cancel_for_person
from services.followups.schedule import person_blocked as blocked_hook
from services.followups.switch import CheckinsState, set_checkins

__all__ = [
    "CheckinsState",
    "CycleReport",
    "DispatchReport",
    "FollowUpDispatcher",
    "FollowUpPolicy",
    "FollowUpPress",
    "PressResult",
    "WorkingHours",
    "answer",
    "blocked_hook",
    "cancel_for_person",
    "delivery_failed",
    "dispatch_due",
    "overview",
    "parse_button",
    "set_checkins",
]
