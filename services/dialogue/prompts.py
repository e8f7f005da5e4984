"""What each step shows: its prompt and buttons, rebuilt from the stored state.

A prompt can be shown again at any time (after a stray sticker, a restart, an old button),
so it is computed from the conversation's data alone.
"""

from __future__ import annotations

from collections.abc import Callable

from matching.interpret import concept_label
from matching.models import VolumeStage
from matching.taxonomy import MATERIALS
from services.dialogue.briefs import BriefTurn
from services.dialogue.state import Capability, ProfileDraft, Radius, Step
from services.messages import LANGUAGES, MAX_MESSAGE_CHARS, Button, Html


class PromptTurn(BriefTurn):
    async def show(self) -> None:
        if self.step in (Step.RESULTS, Step.NO_MATCH):
            await self.market()
        prompts: dict[Step, Callable[[], None]] = {
            Step.START: lambda: self.ask(self.t("start.prompt")),
            Step.LANGUAGE: self.show_language,
            Step.NAME: lambda: self.ask(self.t("name.prompt")),
            Step.COMPANY: lambda: self.ask(
                self.t("company.prompt"), [[self.key_button("button.skip", "skip")]]
            ),
            Step.CONTACT: self.show_contact,
            Step.ORG_NUMBER: lambda: self.ask(
                self.t("org_number.prompt"), [[self.key_button("button.skip", "skip")]]
            ),
            Step.CONSENT: self.show_consent,
            Step.DECLINED: lambda: self.ask(
                self.t("declined.prompt"), [[self.key_button("button.start_again", "start")]]
            ),
            Step.DESCRIBE: self.show_describe,
            Step.CAPABILITIES: self.show_capabilities,
            Step.ADD_MATERIAL: self.show_add_material,
            Step.VOLUME: self.show_volume,
            Step.QUANTITY: lambda: self.ask(
                self.t("quantity.prompt"), [[self.key_button("button.skip", "skip")]]
            ),
            Step.LOCATION: lambda: self.ask(
                self.t("location.prompt"),
                [[self.key_button("button.all_sweden", "anywhere")]],
                ask_location=True,
            ),
            Step.PLACE_CHOICE: self.show_place_choice,
            Step.RADIUS: self.show_radius,
            Step.DEADLINE: self.show_deadline,
            Step.BUDGET: self.show_budget,
            Step.ATTACH: self.show_attach,
            Step.ATTACH_CONSENT: self.show_attach_consent,
            Step.SUMMARY: self.show_summary,
            Step.NUDGE: self.show_nudge,
            Step.RESULTS: self.show_results,
            Step.NO_MATCH: self.show_no_match,
            Step.IDLE: lambda: self.ask(
                self.t("idle.prompt"),
                [
                    [
                        self.key_button("button.new", "new"),
                        self.key_button("button.myrequests", "myrequests"),
                    ]
                ],
            ),
            Step.PRIVACY: self.show_privacy,
            Step.CORRECT: self.show_correct,
            Step.DELETE_CONFIRM: lambda: self.ask(
                self.t("delete.prompt"),
                [
                    [
                        self.key_button("button.delete_yes", "yes"),
                        self.key_button("button.delete_no", "no"),
                    ]
                ],
            ),
        }
        prompts[self.step]()

    def show_language(self) -> None:
        names = {"sv": "Svenska", "en": "English"}
        self.ask(
            self.t("language.prompt"),
            [[self.button(names[code], f"lang:{code}") for code in LANGUAGES]],
        )

    def show_contact(self) -> None:
        suggestion, typed = self.data.email_suggestion, self.data.profile.email
        if suggestion is None or typed is None:
            self.ask(self.t("contact.prompt"))
            return
        self.ask(
            self.t("contact.suggest", suggestion=suggestion, email=typed),
            [
                [
                    self.button(
                        self.t("button.email_suggested", email=suggestion), "email:suggested"
                    )
                ],
                [self.button(self.t("button.email_typed", email=typed), "email:typed")],
            ],
        )

    def show_describe(self) -> None:
        if self.data.long_text is None:
            self.ask(self.t("describe.prompt"))
            return
        limit = MAX_MESSAGE_CHARS  # flow.MAX_DESCRIPTION: Telegram's message limit
        self.ask(
            self.t("describe.shorten", length=len(self.data.long_text), limit=limit),
            [[self.button(self.t("button.shorten", limit=limit), "shorten")]],
        )

    def show_consent(self) -> None:
        self.ask(
            self.t("consent.prompt"),
            [
                [
                    self.key_button("button.accept", "accept"),
                    self.key_button("button.decline", "decline"),
                ]
            ],
        )

    def _capability_label(self, capability: Capability) -> str:
        return concept_label(capability.code, self.language)

    def show_capabilities(self) -> None:
        draft = self.data.request
        rows: list[list[Button]] = []
        for capability in draft.capabilities:
            mark = "✓" if capability.on else "✗"
            label = f"{mark} {self._capability_label(capability)}"
            rows.append([self.button(label, f"toggle:{capability.code}")])
        rows.append(
            [
                self.key_button("button.add_material", "add"),
                self.key_button("button.continue", "continue"),
            ]
        )
        if draft.capabilities:
            items = []
            for capability in draft.capabilities:
                key = "capabilities.item_on" if capability.on else "capabilities.item_off"
                words = ", ".join(capability.words) or self.t("capabilities.added")
                items.append(self.t(key, label=self._capability_label(capability), words=words))
            text = self.t("capabilities.prompt", items=Html("\n".join(items)))
        else:
            text = self.t("capabilities.none")
        self.ask(text, rows)

    def show_add_material(self) -> None:
        on = {c.code for c in self.data.request.capabilities if c.on}
        choices = [m for m in MATERIALS if m.code not in on]
        buttons = [self.button(m.name(self.language), f"material:{m.code}") for m in choices]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        rows.append([self.key_button("button.back", "back")])
        self.ask(self.t("add_material.prompt"), rows)

    def show_volume(self) -> None:
        rows = [
            [self.key_button(f"volume.{stage.value}", f"stage:{stage.value}")]
            for stage in VolumeStage
        ]
        self.ask(self.t("volume.prompt"), rows)

    def show_place_choice(self) -> None:
        rows = [
            [self.button(candidate.label, f"place:{number}")]
            for number, candidate in enumerate(self.data.place_candidates)
        ]
        rows.append([self.key_button("button.type_again", "retype")])
        self.ask(self.t("place_choice.prompt"), rows)

    def show_radius(self) -> None:
        place = self.data.request.place
        county = self.matchmaker.places.county(place.county_code).name if place else ""
        rows = [
            [
                self.key_button("radius.25", "radius:25"),
                self.key_button("radius.50", "radius:50"),
                self.key_button("radius.100", "radius:100"),
            ],
            [self.button(self.t("radius.county", county=county), "radius:county")],
            [self.key_button("radius.all", "radius:all")],
        ]
        self.ask(self.t("radius.prompt"), rows)

    def summary_text(self) -> Html:
        draft = self.data.request
        what = ", ".join(self._capability_label(c) for c in draft.capabilities if c.on) or "–"
        volume = self.t(f"volume.{draft.stage}") if draft.stage else self.t("summary.not_given")
        if draft.quantity:
            volume = self.t("summary.quantity", volume=volume, quantity=draft.quantity)
        if draft.stage_from_text or draft.quantity_from_text:
            volume = Html(volume + self.t("summary.from_text"))
        if draft.place is None:
            where = self.t("radius.all")
        else:
            radius = draft.radius or Radius.SWEDEN
            if radius is Radius.COUNTY:
                county = self.matchmaker.places.county(draft.place.county_code).name
                distance = self.t("radius.county", county=county)
            else:
                distance = self.t(f"radius.{radius.value}")
            where = self.t("summary.where", place=draft.place.label, radius=distance)
            if draft.place_from_text:
                where = Html(where + self.t("summary.from_text"))
        photo = self.t("summary.photo") if draft.photo_file_id else Html("")
        names = self.attachment_names()
        files = (
            self.t("summary.files", count=len(names), items=", ".join(names))
            if names
            else self.t("summary.not_given")
        )
        return self.t(
            "summary.prompt",
            text=draft.text,
            photo=photo,
            what=what,
            volume=volume,
            where=where,
            deadline=self.deadline_text(draft),
            budget=self.budget_text(draft),
            files=files,
        )

    def show_summary(self) -> None:
        self.data.editing = False
        rows = [
            [
                self.key_button("button.edit_text", "edit:text"),
                self.key_button("button.edit_capabilities", "edit:capabilities"),
            ],
            [
                self.key_button("button.edit_volume", "edit:volume"),
                self.key_button("button.edit_location", "edit:location"),
            ],
            [
                self.key_button("button.edit_deadline", "edit:deadline"),
                self.key_button("button.edit_budget", "edit:budget"),
                self.key_button("button.edit_files", "edit:files"),
            ],
            [self.key_button("button.search", "search")],
        ]
        if self.data.request.place is not None:
            rows[1].append(self.key_button("button.edit_radius", "edit:radius"))
        text = self.summary_text()
        if self.data.round is not None:  # the brief goes to the round, not to a search
            rows[-1] = [self.button(self.t("button.join_round"), "round")]
            text = Html(text + "\n\n" + self.t("round.summary_hint", theme=self.data.round.theme))
        self.ask(text, rows)

    def show_privacy(self) -> None:
        rows = []
        if self.designer is not None:
            rows.append([self.key_button("button.export", "export")])
            rows.append([self.key_button("button.correct", "correct")])
        if self.designer is not None or self.data.profile != ProfileDraft():
            rows.append([self.key_button("button.delete", "delete")])
        rows.append([self.key_button("button.back", "back")])
        self.ask(self.t("privacy.prompt"), rows)

    def show_correct(self) -> None:
        fields = ("name", "company", "contact", "org_number")
        rows = [[self.key_button(f"button.correct_{field}", f"field:{field}")] for field in fields]
        rows.append([self.key_button("button.back", "back")])
        self.ask(self.t("correct.prompt"), rows)
