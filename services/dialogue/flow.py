"""The designer dialogue's steps: what each one shows and what it does with an answer.

``Turn.run`` takes one event. Commands work at every step; a button press is looked up in
the current step's buttons (anything else is an earlier step's and changes nothing); text,
photos and locations go to the step, and whatever a step cannot use gets a short helpful
answer and the step's prompt again, leaving the state as it was.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from matching.interpret import concept_label, default_interpreter
from matching.models import VolumeStage
from matching.places import Place, ResolutionStatus
from matching.taxonomy import MATERIALS
from matching.volume import parse_quantity, parse_volume
from services.catalogue.validation import is_phone_number
from services.dialogue.contract import Button, Command, Event, Location, Photo, Press, Text
from services.dialogue.results import ResultsTurn
from services.dialogue.state import (
    DETOUR_STEPS,
    PROFILE_STEPS,
    REQUEST_STEPS,
    Capability,
    DialogueData,
    PlaceData,
    ProfileDraft,
    Radius,
    RequestDraft,
    Step,
)
from services.dialogue.texts import LANGUAGES, Html
from storage.models import Designer
from storage.repositories.designers import (
    count_introductions,
    erase_designer,
    list_requests,
    save_designer,
)

CONSENT_VERSION = "2026-11"
MAX_NAME = 100
MAX_COMPANY = 150
MAX_DESCRIPTION = 1500
MAX_QUANTITY = 10_000_000
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")
_ORG_NUMBER = re.compile(r"(?:\d{2})?\d{6}-?\d{4}")
_CONTACT_SEPARATORS = re.compile(r"[,;/]|\b(?:och|and|eller|or|tel|telefon|phone)\b", re.I)


def _usable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


class Turn(ResultsTurn):
    # -- entry -----------------------------------------------------------------------------

    async def run(self, event: Event) -> None:
        if isinstance(event, Command):
            await self.command(event.name.lower())
            return
        if isinstance(event, Press):
            action = self.data.buttons.get(event.data)
            if action is None:
                self.notice = self.t("notice.stale")
                self.say("stale")
                await self.show()
                return
            if not await self.on_action(action):
                await self.show()
            return
        if self.step is Step.START:
            await self.begin()
            return
        handled = False
        if isinstance(event, Text):
            text = event.text.strip()
            if not _usable(text):
                self.say("text.unusable")
            else:
                handled = await self.on_text(text)
        elif isinstance(event, Photo):
            handled = await self.on_photo(event)
        elif isinstance(event, Location):
            handled = await self.on_location(event)
        else:
            self.say("unsupported")
        if not handled:
            await self.show()

    # -- commands --------------------------------------------------------------------------

    async def command(self, name: str) -> None:
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
        self.data.selected = []
        self.data.editing = False
        self.say("new_request")
        await self.go(Step.DESCRIBE)

    async def cmd_cancel(self) -> None:
        if self.step in REQUEST_STEPS:
            self.data.request = RequestDraft()
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
        if self.step not in DETOUR_STEPS:
            self.data.resume = self.step

    async def cmd_language(self) -> None:
        self._detour()
        await self.go(Step.LANGUAGE)

    async def cmd_privacy(self) -> None:
        self._detour()
        await self.go(Step.PRIVACY)

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

    # -- prompts ---------------------------------------------------------------------------

    async def show(self) -> None:
        prompts: dict[Step, Callable[[], None]] = {
            Step.START: lambda: self.ask(self.t("start.prompt")),
            Step.LANGUAGE: self.show_language,
            Step.NAME: lambda: self.ask(self.t("name.prompt")),
            Step.COMPANY: lambda: self.ask(self.t("company.prompt")),
            Step.CONTACT: lambda: self.ask(self.t("contact.prompt")),
            Step.ORG_NUMBER: lambda: self.ask(
                self.t("org_number.prompt"), [[self.key_button("button.skip", "skip")]]
            ),
            Step.CONSENT: self.show_consent,
            Step.DECLINED: lambda: self.ask(
                self.t("declined.prompt"), [[self.key_button("button.start_again", "start")]]
            ),
            Step.DESCRIBE: lambda: self.ask(self.t("describe.prompt")),
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
            Step.SUMMARY: self.show_summary,
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
                words = ", ".join(capability.words) or "–"
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
        photo = self.t("summary.photo") if draft.photo_file_id else Html("")
        return self.t(
            "summary.prompt",
            text=draft.text,
            photo=photo,
            what=what,
            volume=volume,
            where=where,
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
            [self.key_button("button.search", "search")],
        ]
        if self.data.request.place is not None:
            rows[1].append(self.key_button("button.edit_radius", "edit:radius"))
        self.ask(self.summary_text(), rows)

    def show_privacy(self) -> None:
        rows = []
        if self.designer is not None or self.data.profile != ProfileDraft():
            rows.append([self.key_button("button.delete", "delete")])
        rows.append([self.key_button("button.back", "back")])
        self.ask(self.t("privacy.text"), rows)

    # -- buttons ---------------------------------------------------------------------------

    async def on_action(self, action: str) -> bool:
        step = self.step
        if step is Step.LANGUAGE and action.startswith("lang:"):
            self.set_language(action.removeprefix("lang:"))
            self.say("language.changed")
            await self.resume()
        elif step is Step.ORG_NUMBER and action == "skip":
            self.data.profile.org_number = None
            await self.go(Step.CONSENT)
        elif step is Step.CONSENT and action == "accept":
            await self.accept_consent()
        elif step is Step.CONSENT and action == "decline":
            self.data = DialogueData()
            await self.go(Step.DECLINED)
        elif step is Step.DECLINED and action == "start":
            await self.begin()
        elif step is Step.CAPABILITIES:
            return await self.on_capabilities(action)
        elif step is Step.ADD_MATERIAL:
            if action.startswith("material:"):
                self._add_material(action.removeprefix("material:"))
            await self.go(Step.CAPABILITIES)
        elif step is Step.VOLUME and action.startswith("stage:"):
            self.data.request.stage = VolumeStage(action.removeprefix("stage:")).value
            await self.go(Step.QUANTITY)
        elif step is Step.QUANTITY and action == "skip":
            self.data.request.quantity = None
            await self.after_quantity()
        elif step is Step.LOCATION and action == "anywhere":
            self.data.request.place = None
            self.data.request.radius = Radius.SWEDEN
            self.say("location.anywhere", remove_keyboard=True)
            await self.go(Step.SUMMARY)
        elif step is Step.PLACE_CHOICE:
            if action == "retype":
                await self.go(Step.LOCATION)
            else:
                number = int(action.removeprefix("place:"))
                await self.set_place(self.data.place_candidates[number])
        elif step is Step.RADIUS and action.startswith("radius:"):
            self.data.request.radius = Radius(action.removeprefix("radius:"))
            await self.go(Step.SUMMARY)
        elif step is Step.SUMMARY and action.startswith("edit:"):
            self.data.editing = True
            targets = {
                "text": Step.DESCRIBE,
                "capabilities": Step.CAPABILITIES,
                "volume": Step.VOLUME,
                "location": Step.LOCATION,
                "radius": Step.RADIUS,
            }
            await self.go(targets[action.removeprefix("edit:")])
        elif step is Step.SUMMARY and action == "search":
            await self.search()
        elif step is Step.RESULTS:
            return await self.on_results(action)
        elif step is Step.NO_MATCH:
            return await self.on_no_match(action)
        elif step is Step.IDLE and action == "new":
            await self.cmd_new()
        elif step is Step.IDLE and action == "myrequests":
            await self.cmd_myrequests()
        elif step is Step.PRIVACY and action == "delete":
            await self.go(Step.DELETE_CONFIRM)
        elif step is Step.PRIVACY and action == "back":
            await self.resume()
        elif step is Step.DELETE_CONFIRM and action == "yes":
            await self.erase()
        elif step is Step.DELETE_CONFIRM and action == "no":
            await self.resume()
        else:
            return False
        return True

    async def accept_consent(self) -> None:
        profile = self.data.profile
        designer = self.designer or Designer(telegram_user_id=self.telegram_user_id)
        designer.name = profile.name
        designer.company = profile.company
        designer.email = profile.email
        designer.phone = profile.phone
        designer.org_number = profile.org_number
        designer.language = self.language
        designer.consent_version = CONSENT_VERSION
        designer.consent_at = self.now
        self.designer = await save_designer(session=self.session, designer=designer)
        self.data.profile = ProfileDraft()
        self.say("consent.thanks")
        await self.go(Step.DESCRIBE)

    async def on_capabilities(self, action: str) -> bool:
        if action.startswith("toggle:"):
            code = action.removeprefix("toggle:")
            for capability in self.data.request.capabilities:
                if capability.code == code:
                    capability.on = not capability.on
            await self.show()
        elif action == "add":
            await self.go(Step.ADD_MATERIAL)
        elif action == "continue":
            await self.go(Step.SUMMARY if self.data.editing else Step.VOLUME)
        else:
            return False
        return True

    def _add_material(self, code: str) -> None:
        capabilities = self.data.request.capabilities
        for capability in capabilities:
            if capability.code == code:
                capability.on = True
                return
        capabilities.append(Capability(code=code, kind="material", words=[]))

    async def after_quantity(self) -> None:
        await self.go(Step.SUMMARY if self.data.editing else Step.LOCATION)

    async def erase(self) -> None:
        if self.designer is not None and self.designer.id is not None:
            await erase_designer(session=self.session, designer_id=self.designer.id)
        self.designer = None
        self.data = DialogueData()
        self.say("privacy.deleted")
        await self.go(Step.START)

    # -- typed answers ---------------------------------------------------------------------

    async def on_text(self, text: str) -> bool:
        step = self.step
        profile = self.data.profile
        if step is Step.NAME:
            if self._too_long(text, MAX_NAME):
                return False
            profile.name = text
            await self.go(Step.COMPANY)
        elif step is Step.COMPANY:
            if self._too_long(text, MAX_COMPANY):
                return False
            profile.company = text
            await self.go(Step.CONTACT)
        elif step is Step.CONTACT:
            return await self.on_contact(text)
        elif step is Step.ORG_NUMBER:
            if not _ORG_NUMBER.fullmatch(text.replace(" ", "")):
                self.say("org_number.invalid")
                return False
            profile.org_number = text.replace(" ", "")
            await self.go(Step.CONSENT)
        elif step is Step.DESCRIBE:
            if self._too_long(text, MAX_DESCRIPTION):
                return False
            self.set_description(text)
            await self.go(Step.CAPABILITIES)
        elif step is Step.VOLUME:
            reading = parse_volume(text)
            if reading.stage is None:
                self.say("use_buttons")
                return False
            self.data.request.stage = reading.stage.value
            if reading.quantity:
                self.data.request.quantity = reading.quantity
                await self.after_quantity()
            else:
                await self.go(Step.QUANTITY)
        elif step is Step.QUANTITY:
            quantity = parse_quantity(text) if len(text) <= 40 else None
            if quantity is None or quantity > MAX_QUANTITY:
                self.say("quantity.invalid")
                return False
            self.data.request.quantity = quantity
            await self.after_quantity()
        elif step in (Step.LOCATION, Step.PLACE_CHOICE):
            return await self.on_place_text(text)
        elif step is Step.IDLE:
            self.say("idle.hint")
            return False
        else:
            self.say("use_buttons")
            return False
        return True

    def _too_long(self, text: str, limit: int) -> bool:
        if len(text) > limit:
            self.say("text.too_long", limit=limit)
            return True
        return False

    async def on_contact(self, text: str) -> bool:
        if len(text) > 200:
            self.say("contact.invalid")
            return False
        email_match = _EMAIL.search(text)
        email = email_match.group(0) if email_match else None
        rest = text.replace(email, " ") if email else text
        pieces = [p.strip() for p in _CONTACT_SEPARATORS.split(rest) if p and p.strip()]
        phones = [p for p in pieces if is_phone_number(p)]
        leftovers = [p for p in pieces if p not in phones and _usable(p)]
        if (email is None and not phones) or leftovers:
            self.say("contact.invalid")
            return False
        self.data.profile.email = email
        self.data.profile.phone = phones[0] if phones else None
        await self.go(Step.ORG_NUMBER)
        return True

    def set_description(self, text: str) -> None:
        draft = self.data.request
        draft.text = text
        interpretation = default_interpreter().interpret(text)
        hits = [*interpretation.materials, *interpretation.processes]
        draft.capabilities = [
            Capability(code=hit.code, kind=hit.kind.value, words=list(hit.words)) for hit in hits
        ]

    async def on_photo(self, photo: Photo) -> bool:
        if self.step is not Step.DESCRIBE:
            self.say("photo.not_here")
            return False
        self.data.request.photo_file_id = photo.file_id
        caption = photo.caption.strip()
        if not _usable(caption) or len(caption) > MAX_DESCRIPTION:
            self.say("photo.kept")
            return False
        self.set_description(caption)
        await self.go(Step.CAPABILITIES)
        return True

    async def on_place_text(self, text: str) -> bool:
        resolution = self.matchmaker.places.resolve(text)
        if resolution.status is ResolutionStatus.FOUND and not resolution.corrected:
            assert resolution.place is not None
            await self.set_place(self._place_data(resolution.place))
            return True
        if resolution.candidates:
            self.data.place_candidates = [self._place_data(p) for p in resolution.candidates]
            await self.go(Step.PLACE_CHOICE)
            return True
        if resolution.county is not None:
            self.say("location.county", county=resolution.county.name)
        else:
            self.say("location.not_found", place=text[:60])
        return False

    async def on_location(self, location: Location) -> bool:
        if self.step not in (Step.LOCATION, Step.PLACE_CHOICE):
            self.say("location.not_here")
            return False
        try:
            municipality = self.matchmaker.places.nearest_municipality(location.lat, location.lon)
        except ValueError:
            self.say("location.not_found", place="?")
            return False
        place = Place(
            municipality.name, "municipality", municipality, location.lat, location.lon, None
        )
        await self.set_place(self._place_data(place))
        return True

    @staticmethod
    def _place_data(place: Place) -> PlaceData:
        return PlaceData(
            name=place.name,
            label=place.label,
            kind=place.kind,
            municipality_code=place.municipality.code,
            county_code=place.municipality.county.code,
            lat=place.lat,
            lon=place.lon,
        )

    async def set_place(self, place: PlaceData) -> None:
        self.data.request.place = place
        self.data.place_candidates = []
        self.say("location.set", place=place.label, remove_keyboard=True)
        await self.go(Step.RADIUS)
