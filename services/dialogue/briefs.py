"""The complete brief: a deadline, a budget, files, and a nudge before sending.

After the distance the designer is asked once when they need it (a phrase, or a button:
soon, within a month, within three months) and what they mean to spend, both skippable with
the usual skip words and buttons and both editable from the summary. A deadline the
description already states ("klart till mars") is taken from it and not asked again.

Files (:mod:`services.dialogue.attachments`) can be sent while describing, at the summary or
at the files step; a photo goes at once (Telegram re-encodes it), a document only after the
designer pressed "send it as it is" under the warning that its properties and name may carry
their name. Before the introductions go out, a request that lacks what makers usually need
(quantity, deadline, a drawing) gets one message naming it, with a button for each and
"send anyway": a nudge, never a wall.
"""

from __future__ import annotations

from datetime import date

from matching.budget import parse_budget
from matching.deadline import find_deadline, parse_deadline
from services.brief_details import budget_phrase, deadline_phrase
from services.dialogue.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    attachment_kind,
    megabytes,
)
from services.dialogue.contract import Document, Photo
from services.dialogue.results import ResultsTurn
from services.dialogue.state import AttachmentDraft, RequestDraft, Step
from services.introductions.calendar import STOCKHOLM
from services.messages import Button, Html
from storage.models import AttachmentKind, MetadataPolicy

MAX_DEADLINE_TEXT = 100
MAX_BUDGET_TEXT = 100
# Steps where a file is taken (elsewhere the designer is told where to send it).
FILE_STEPS = frozenset({Step.DESCRIBE, Step.ATTACH, Step.SUMMARY, Step.NUDGE})
DEADLINE_CHOICES = ("asap", "month", "quarter")  # the deadline step's quick buttons


class BriefTurn(ResultsTurn):
    def set_description(self, text: str) -> None:  # pragma: no cover - the flow's
        raise NotImplementedError

    # -- where next ------------------------------------------------------------------------

    def today(self) -> date:
        """The designer's calendar day (Swedish time)."""
        return self.now.astimezone(STOCKHOLM).date()

    def after_brief(self, default: Step) -> Step:
        """Back to the nudge when it sent the designer here, to the summary after an edit."""
        if self.data.request.from_nudge:
            return Step.NUDGE
        if self.data.editing:
            return Step.SUMMARY
        return default

    def after_place(self) -> Step:
        """After the distance: the deadline and budget questions, once per request."""
        draft = self.data.request
        if draft.from_nudge:
            return Step.NUDGE
        if self.data.editing or draft.details_asked:
            return Step.SUMMARY
        draft.details_asked = True
        return Step.DEADLINE if draft.deadline is None else Step.BUDGET

    # -- the deadline ----------------------------------------------------------------------

    def deadline_text(self, draft: RequestDraft) -> Html:
        """The deadline as the summary shows it: the date, and the designer's words."""
        if draft.deadline is None:
            return self.t("summary.not_given")
        shown = deadline_phrase(
            self.language,
            date.fromisoformat(draft.deadline),
            draft.deadline_text,
            asked_on=self.today(),
        )
        if draft.deadline_from_text:
            shown = Html(shown + self.t("summary.from_text"))
        return shown

    def set_deadline(self, when: date, words: str, *, from_text: bool) -> None:
        draft = self.data.request
        draft.deadline = when.isoformat()
        draft.deadline_text = words
        draft.deadline_from_text = from_text

    def clear_deadline(self) -> None:
        draft = self.data.request
        draft.deadline, draft.deadline_text, draft.deadline_from_text = None, None, False

    def read_deadline(self, text: str) -> None:
        """A deadline the description states; one read from an earlier description gives way,
        an answer to the question stays unless the new description states one."""
        draft = self.data.request
        if draft.deadline_from_text:
            self.clear_deadline()
        reading = find_deadline(text, today=self.today())
        if reading is not None:
            self.set_deadline(reading.deadline, reading.words, from_text=True)

    def show_deadline(self) -> None:
        rows = [
            [self.key_button(f"deadline.choice.{choice}", f"deadline:{choice}")]
            for choice in DEADLINE_CHOICES
        ]
        rows.append([self.key_button("button.skip", "skip")])
        self.ask(self.t("deadline.prompt"), rows)

    async def on_deadline_choice(self, choice: str) -> bool:
        if choice not in DEADLINE_CHOICES:
            return False
        label = self.t(f"deadline.choice.{choice}")
        reading = parse_deadline(label, today=self.today())
        assert reading is not None, label  # the catalogue's labels are phrases we read
        self.set_deadline(reading.deadline, label, from_text=False)
        await self.go(self.after_brief(Step.BUDGET))
        return True

    async def on_deadline_text(self, text: str) -> bool:
        reading = (
            parse_deadline(text, today=self.today()) if len(text) <= MAX_DEADLINE_TEXT else None
        )
        if reading is None:
            self.say("deadline.unreadable")
            return False
        self.set_deadline(reading.deadline, reading.words, from_text=False)
        self.say_html(self.t("deadline.set", deadline=self.deadline_text(self.data.request)))
        await self.go(self.after_brief(Step.BUDGET))
        return True

    async def skip_deadline(self) -> None:
        self.clear_deadline()
        await self.go(self.after_brief(Step.BUDGET))

    # -- the budget ------------------------------------------------------------------------

    def budget_text(self, draft: RequestDraft) -> Html:
        phrase = budget_phrase(self.language, draft.budget_min, draft.budget_max)
        return phrase if phrase is not None else self.t("summary.not_given")

    def show_budget(self) -> None:
        self.ask(self.t("budget.prompt"), [[self.key_button("button.skip", "skip")]])

    async def on_budget_text(self, text: str) -> bool:
        reading = parse_budget(text) if len(text) <= MAX_BUDGET_TEXT else None
        if reading is None:
            self.say("budget.unreadable")
            return False
        draft = self.data.request
        draft.budget_min, draft.budget_max = reading.min_sek, reading.max_sek
        draft.budget_text = reading.words
        await self.go(self.after_brief(Step.SUMMARY))
        return True

    async def skip_budget(self) -> None:
        draft = self.data.request
        draft.budget_min, draft.budget_max, draft.budget_text = None, None, None
        await self.go(self.after_brief(Step.SUMMARY))

    # -- files -----------------------------------------------------------------------------

    def attachment_names(self) -> list[str]:
        return [
            a.file_name or self.t(f"attach.kind.{a.kind}") for a in self.data.request.attachments
        ]

    def show_attach(self) -> None:
        names = self.attachment_names()
        listed = (
            self.t("attach.listed", count=len(names), items=", ".join(names)) if names else Html("")
        )
        text = self.t(
            "attach.prompt",
            max=MAX_ATTACHMENTS,
            limit=megabytes(MAX_ATTACHMENT_BYTES),
            listed=listed,
        )
        rows: list[list[Button]] = [[self.key_button("button.attach_done", "done")]]
        if names:
            rows.append([self.key_button("button.attach_clear", "clear")])
        self.ask(text, rows)

    async def on_attach_action(self, action: str) -> bool:
        if action == "done":
            await self.go(self.after_brief(Step.SUMMARY))
        elif action == "clear":
            self.data.request.attachments = []
            self.say("attach.cleared")
            await self.go(Step.ATTACH)
        else:
            return False
        return True

    def _refusal(self, unique_id: str, size: int | None, name: str) -> bool:
        """Whether a file is refused (too big, one too many, sent before), said why."""
        draft = self.data.request
        if size is not None and size > MAX_ATTACHMENT_BYTES:
            self.say(
                "attach.too_big",
                name=name,
                size=megabytes(size),
                limit=megabytes(MAX_ATTACHMENT_BYTES),
            )
            return True
        if unique_id and any(a.file_unique_id == unique_id for a in draft.attachments):
            self.say("attach.again", name=name)
            return True
        if len(draft.attachments) >= MAX_ATTACHMENTS:
            self.say("attach.full", max=MAX_ATTACHMENTS)
            return True
        return False

    async def on_document(self, document: Document) -> bool:
        if self.step is Step.ATTACH_CONSENT:
            self.say("attach.consent_first")
            return False
        if self.step not in FILE_STEPS:
            self.say("attach.not_here")
            return False
        name = document.file_name or self.t("attach.unnamed")
        kind = attachment_kind(document.file_name, document.mime_type)
        if kind is None:
            self.say("attach.wrong_kind", name=name, max=MAX_ATTACHMENTS)
            return False
        if self._refusal(document.file_unique_id, document.size, name):
            return False
        draft = self.data.request
        draft.pending_file = AttachmentDraft(
            file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            kind=kind.value,
            file_name=document.file_name,
            size=document.size,
            mime=document.mime_type,
        )
        draft.file_resume = self.step
        caption = document.caption.strip()
        if self.step is Step.DESCRIBE and any(ch.isalnum() for ch in caption):
            self.set_description(caption)  # the file's caption describes the job
            draft.file_resume = Step.CAPABILITIES
        await self.go(Step.ATTACH_CONSENT)
        return True

    async def on_attachment_photo(self, photo: Photo) -> bool:
        """A photo at the files step or the summary: Telegram re-encoded it, so it goes."""
        name = self.t("attach.kind.photo")
        if self._refusal(photo.file_unique_id, photo.size, name):
            return False
        self.data.request.attachments.append(
            AttachmentDraft(
                file_id=photo.file_id,
                file_unique_id=photo.file_unique_id,
                kind=AttachmentKind.PHOTO.value,
                size=photo.size,
                mime="image/jpeg",
                metadata_policy=MetadataPolicy.REENCODED_BY_TELEGRAM.value,
            )
        )
        self.say("attach.added", name=name, count=len(self.data.request.attachments))
        await self.go(self.step)
        return True

    def show_attach_consent(self) -> None:
        pending = self.data.request.pending_file
        if pending is None:  # pragma: no cover - the step is entered with a file only
            self.ask(self.t("use_buttons"))
            return
        self.ask(
            self.t("attach.consent", name=pending.file_name or self.t("attach.unnamed")),
            [
                [self.key_button("button.file_as_is", "file:as_is")],
                [self.key_button("button.file_drop", "file:drop")],
            ],
        )

    async def on_consent_action(self, action: str) -> bool:
        draft = self.data.request
        pending = draft.pending_file
        if pending is None or action not in ("file:as_is", "file:drop"):
            return False
        name = pending.file_name or self.t("attach.unnamed")
        if action == "file:as_is":
            pending.metadata_policy = MetadataPolicy.AS_IS_WITH_CONSENT.value
            draft.attachments.append(pending)
            self.say("attach.added", name=name, count=len(draft.attachments))
        else:
            self.say("attach.dropped", name=name)
        target = draft.file_resume or Step.SUMMARY
        draft.pending_file, draft.file_resume = None, None
        await self.go(target)
        return True

    # -- the nudge -------------------------------------------------------------------------

    def show_nudge(self) -> None:
        draft = self.data.request
        draft.from_nudge = False
        missing = draft.missing_for_makers()
        count = len(self.data.selected)
        if not missing:
            self.ask(
                self.t("nudge.complete"),
                [[self.button(self.t("button.ask", count=count), "send")]],
            )
            return
        items = [self.t(f"nudge.item.{item}") for item in missing]
        rows = [[self.key_button(f"button.nudge_{item}", f"nudge:{item}")] for item in missing]
        rows.append([self.button(self.t("button.send_anyway", count=count), "send")])
        self.ask(self.t("nudge.prompt", items=", ".join(items)), rows)

    async def on_nudge(self, action: str) -> bool:
        targets = {"quantity": Step.QUANTITY, "deadline": Step.DEADLINE, "drawing": Step.ATTACH}
        if action == "send" and self.data.selected:
            await self.ask_introductions()
            return True
        target = targets.get(action.removeprefix("nudge:"))
        if target is None or not action.startswith("nudge:"):
            return False
        self.data.request.from_nudge = True
        await self.go(target)
        return True
