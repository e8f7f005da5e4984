"""/privacy in the dialogue: what is stored, shown in full; a file of it; corrections field by
field; erasure. The data work itself is :mod:`services.privacy`."""

from __future__ import annotations

from matching.interpret import concept_label
from services.brief_details import budget_phrase, deadline_phrase
from services.dialogue.prompts import PromptTurn
from services.dialogue.state import DialogueData, ProfileDraft, Step
from services.followups.texts import FollowUpTexts
from services.introductions.calendar import STOCKHOLM
from services.messages import Document, Html, Reply
from services.privacy import StoredData, erase, export_json, stored_about
from storage.repositories.designers import save_designer

# The profile's fields a designer can correct, and the step that asks for each.
CORRECTABLE = {
    "name": Step.NAME,
    "company": Step.COMPANY,
    "contact": Step.CONTACT,
    "org_number": Step.ORG_NUMBER,
}


class PrivacyTurn(PromptTurn):
    erased: bool = False  # set when this turn erased the person's data (the files get scrubbed)

    async def enter_privacy(self) -> None:
        """Show everything stored about the person, then what they can do with it."""
        self.say_html(await self.stored_text())
        await self.go(Step.PRIVACY)

    async def stored_text(self) -> Html:
        if self.designer is None or self.designer.id is None:
            draft = self.data.profile
            typed = [v for v in (draft.name, draft.company, draft.email, draft.phone) if v]
            if typed:
                return self.t("privacy.draft", fields=", ".join(typed))
            return self.t("privacy.nothing")
        data = await stored_about(session=self.session, designer=self.designer)
        return Html("\n\n".join(self._sections(data)))

    def _sections(self, data: StoredData) -> list[Html]:
        t, none = self.t, self.t("privacy.none")
        sections = [
            t("privacy.header"),
            t(
                "privacy.profile",
                name=data.name or none,
                company=data.company or none,
                email=data.email or none,
                phone=data.phone or none,
                org_number=data.org_number or none,
                language={"sv": "svenska", "en": "English"}.get(data.language or "", none),
            ),
            t(
                "privacy.consent",
                version=data.consent_version or none,
                at=data.consent_at.strftime("%Y-%m-%d %H:%M UTC") if data.consent_at else none,
            ),
        ]
        if data.checkins_off_at is not None:
            sections.append(t("privacy.checkins_off", at=data.checkins_off_at.date().isoformat()))
        lines = [t("privacy.requests", count=len(data.requests))]
        for request in data.requests:
            what = [concept_label(code, self.language) for code in request.materials]
            what += [concept_label(code, self.language) for code in request.processes]
            details = [", ".join(what)] if what else []
            if request.volume_stage:
                details.append(t(f"volume.{request.volume_stage}"))
            if request.quantity:
                details.append(t("privacy.quantity", quantity=request.quantity))
            if request.place:
                details.append(request.place)
            if request.photo:
                details.append(t("privacy.photo"))
            if request.deadline is not None:
                deadline = deadline_phrase(
                    self.language,
                    request.deadline,
                    request.deadline_text,
                    asked_on=request.created_at.astimezone(STOCKHOLM).date(),
                )
                details.append(t("privacy.deadline", deadline=deadline))
            budget = budget_phrase(self.language, request.budget_min_sek, request.budget_max_sek)
            if budget is not None:
                details.append(t("privacy.budget", budget=budget))
            if request.attachments:
                names = [a.file_name or t(f"attach.kind.{a.kind}") for a in request.attachments]
                details.append(t("privacy.files", count=len(names), items=", ".join(names)))
            lines.append(
                t(
                    "privacy.request",
                    number=request.number,
                    date=request.created_at.date().isoformat(),
                    status=self._status(request.status),
                    text=request.text or none,
                    details=" · ".join(details) or none,
                )
            )
        sections.append(Html("\n".join(lines)))
        lines = [t("privacy.introductions", count=len(data.introductions))]
        for introduction in data.introductions:
            outcome = introduction.outcome
            lines.append(
                t(
                    "privacy.introduction",
                    number=introduction.request,
                    maker=introduction.maker,
                    date=introduction.asked_at.date().isoformat(),
                    status=t(f"intro_status.{introduction.status}")
                    if t.has(f"intro_status.{introduction.status}")
                    else introduction.status,
                    outcome=t(f"outcome.{outcome}")
                    if outcome and t.has(f"outcome.{outcome}")
                    else "",
                )
            )
        sections.append(Html("\n".join(lines)))
        lines = [t("privacy.checkins", count=len(data.checkins))]
        followups = FollowUpTexts(self.language)
        for checkin in data.checkins:
            answer = checkin.answer.split(":")[0]
            lines.append(
                t(
                    "privacy.checkin",
                    number=checkin.request,
                    maker=checkin.maker,
                    kind=followups(f"kind.{checkin.kind}")
                    if followups.has(f"kind.{checkin.kind}")
                    else checkin.kind,
                    answer=followups.plain(f"button.{answer}")
                    if followups.has(f"button.{answer}")
                    else checkin.answer,
                    date=checkin.answered_at.date().isoformat() if checkin.answered_at else none,
                )
            )
        sections.append(Html("\n".join(lines)))
        sections.append(t("privacy.footer"))
        return sections

    def _status(self, status: str) -> str:
        return self.t(f"status.{status}") if self.t.has(f"status.{status}") else status

    # -- the buttons -------------------------------------------------------------------------

    async def on_privacy(self, action: str) -> bool:
        if action == "export" and self.designer is not None:
            data = await stored_about(session=self.session, designer=self.designer)
            filename = f"spok-mina-uppgifter-{self.now.date().isoformat()}.json"
            self.replies.append(
                Reply(
                    text=self.t("privacy.export_caption"),
                    document=Document(filename, export_json(data, exported_at=self.now)),
                )
            )
            await self.show()
        elif action == "correct" and self.designer is not None:
            await self.go(Step.CORRECT)
        elif action == "delete":
            await self.go(Step.DELETE_CONFIRM)
        elif action == "back":
            await self.resume()
        else:
            return False
        return True

    async def on_correct(self, action: str) -> bool:
        if action == "back":
            await self.enter_privacy()
            return True
        field = action.removeprefix("field:")
        if field not in CORRECTABLE or self.designer is None:
            return False
        self.data.correcting = field
        self.data.profile = ProfileDraft()
        self.data.email_suggestion = None
        current = {
            "name": self.designer.name,
            "company": self.designer.company,
            "contact": ", ".join(v for v in (self.designer.email, self.designer.phone) if v),
            "org_number": self.designer.org_number,
        }[field]
        self.say("correct.current", value=current or self.t("privacy.none"))
        await self.go(CORRECTABLE[field])
        return True

    async def profile_next(self, step: Step) -> None:
        """After a profile step: on to ``step``, or, when correcting, save that one field."""
        field = self.data.correcting
        if field is None or self.designer is None:
            await self.go(step)
            return
        profile, designer = self.data.profile, self.designer
        if field == "name":
            designer.name = profile.name
        elif field == "company":
            designer.company = profile.company
        elif field == "contact":
            designer.email, designer.phone = profile.email, profile.phone
        elif field == "org_number":
            designer.org_number = profile.org_number
        await save_designer(session=self.session, designer=designer)
        self.stop_correcting()
        self.say("correct.saved")
        await self.enter_privacy()

    async def resume(self) -> None:  # pragma: no cover - implemented by the commands
        raise NotImplementedError

    def stop_correcting(self) -> None:
        self.data.correcting = None
        self.data.profile = ProfileDraft()
        self.data.email_suggestion = None

    async def erase(self) -> None:
        if self.designer is not None and self.designer.id is not None:
            await erase(session=self.session, designer=self.designer)
            self.erased = True
        self.designer = None
        self.data = DialogueData()
        self.say("privacy.deleted")
        await self.go(Step.START)


__all__ = ["CORRECTABLE", "PrivacyTurn"]
