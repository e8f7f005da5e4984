"""The designer dialogue's steps: what each one does with an answer.

``Turn.run`` takes one event. Commands work at every step; a button press is looked up in
the current step's buttons (anything else is an earlier step's and changes nothing); text,
photos and locations go to the step, and whatever a step cannot use gets a short helpful
answer and the step's prompt again, leaving the state as it was.

A turn is layered: :mod:`~services.dialogue.turn` (texts, buttons, moving between steps) →
:mod:`~services.dialogue.results` (search, results, saving) → :mod:`~services.dialogue.prompts`
(what each step shows) → :mod:`~services.dialogue.commands` (/start, /new, …) → this module.
"""

from __future__ import annotations

import re

from matching.details import read_details
from matching.interpret import default_interpreter
from matching.models import VolumeStage
from matching.places import Place, ResolutionStatus
from matching.text import fold
from matching.volume import parse_quantity, parse_volume
from services.catalogue.validation import is_phone_number
from services.dialogue.commands import CommandTurn
from services.dialogue.contract import Command, Document, Event, Location, Photo, Press, Text
from services.dialogue.forms import (
    EMAIL,
    OrgNumberCheck,
    contact_in_name,
    is_skip,
    read_org_number,
    suggest_email,
)
from services.dialogue.state import (
    Capability,
    DialogueData,
    PlaceData,
    ProfileDraft,
    Radius,
    Step,
)
from services.dialogue.texts import Texts
from services.messages import LANGUAGES, MAX_MESSAGE_CHARS
from storage.models import Designer
from storage.repositories.designers import save_designer

CONSENT_VERSION = "2026-12"  # the consent text changed: /privacy shows, exports, corrects
MAX_NAME = 100
MAX_COMPANY = 150
# A description up to Telegram's message limit is taken whole (one message always fits); a
# longer one (a terminal paste) is kept while the designer is asked to shorten it.
MAX_DESCRIPTION = MAX_MESSAGE_CHARS
MAX_QUANTITY = 10_000_000
# Optional steps: a skip button, and the words people use to skip (services.dialogue.forms).
SKIPPABLE = {
    Step.COMPANY: "button.skip",
    Step.ORG_NUMBER: "button.skip",
    Step.QUANTITY: "button.skip",
    Step.LOCATION: "button.all_sweden",
    Step.DEADLINE: "button.skip",
    Step.BUDGET: "button.skip",
}
_CONTACT_SEPARATORS = re.compile(r"[,;/]|\b(?:och|and|eller|or|tel|telefon|phone)\b", re.I)


def _usable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _shortened(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, cut after a sentence or a word if one ends
    in the last fifth."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for stop in (". ", "\n", " "):
        cut = head.rfind(stop)
        if cut >= limit * 4 // 5:
            return head[: cut + 1].rstrip()
    return head


class Turn(CommandTurn):
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
        if isinstance(event, Text) and self._skips(event.text):
            await self.skip()
            return
        if isinstance(event, Text):
            text = event.text.strip()
            if not _usable(text):
                self.say("text.unusable")
            else:
                handled = await self.on_text(text)
        elif isinstance(event, Photo):
            handled = await self.on_photo(event)
        elif isinstance(event, Document):
            handled = await self.on_document(event)
        elif isinstance(event, Location):
            handled = await self.on_location(event)
        else:
            self.say("unsupported")
        if not handled:
            await self.show()

    # -- buttons ---------------------------------------------------------------------------

    async def on_action(self, action: str) -> bool:
        step = self.step
        if step is Step.LANGUAGE and action.startswith("lang:"):
            self.set_language(action.removeprefix("lang:"))
            if self.designer is not None:
                self.designer.language = self.language
                await save_designer(session=self.session, designer=self.designer)
            self.say("language.changed")
            await self.resume()
        elif step in SKIPPABLE and action in ("skip", "anywhere"):
            await self.skip()
        elif step is Step.CONTACT and action in ("email:suggested", "email:typed"):
            if action == "email:suggested":
                self.data.profile.email = self.data.email_suggestion
            self.data.email_suggestion = None
            await self.profile_next(Step.ORG_NUMBER)
        elif step is Step.DESCRIBE and action == "shorten" and self.data.long_text:
            self.set_description(_shortened(self.data.long_text, MAX_DESCRIPTION))
            await self.go(Step.CAPABILITIES)
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
            self.data.request.stage_from_text = False
            await self.go(Step.QUANTITY)
        elif step is Step.PLACE_CHOICE:
            if action == "retype":
                await self.go(Step.LOCATION)
            else:
                number = int(action.removeprefix("place:"))
                await self.set_place(self.data.place_candidates[number])
        elif step is Step.RADIUS and action.startswith("radius:"):
            self.data.request.radius = Radius(action.removeprefix("radius:"))
            await self.go(self.after_place())
        elif step is Step.DEADLINE and action.startswith("deadline:"):
            return await self.on_deadline_choice(action.removeprefix("deadline:"))
        elif step is Step.ATTACH:
            return await self.on_attach_action(action)
        elif step is Step.ATTACH_CONSENT:
            return await self.on_consent_action(action)
        elif step is Step.NUDGE:
            return await self.on_nudge(action)
        elif step is Step.SUMMARY and action.startswith("edit:"):
            self.data.editing = True
            targets = {
                "text": Step.DESCRIBE,
                "capabilities": Step.CAPABILITIES,
                "volume": Step.VOLUME,
                "location": Step.LOCATION,
                "radius": Step.RADIUS,
                "deadline": Step.DEADLINE,
                "budget": Step.BUDGET,
                "files": Step.ATTACH,
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
        elif step is Step.PRIVACY:
            return await self.on_privacy(action)
        elif step is Step.CORRECT:
            return await self.on_correct(action)
        elif step is Step.DELETE_CONFIRM and action == "yes":
            await self.erase()
        elif step is Step.DELETE_CONFIRM and action == "no":
            await self.resume()
        else:
            return False
        return True

    def _skips(self, text: str) -> bool:
        key = SKIPPABLE.get(self.step)
        if key is None:
            return False
        labels = [Texts(language)(key) for language in LANGUAGES]
        return is_skip(text, *labels)

    async def skip(self) -> None:
        """Leave an optional step unanswered (its button, or "nej", "hoppa över", "-" …)."""
        step = self.step
        if step is Step.COMPANY:
            self.data.profile.company = None
            await self.profile_next(Step.CONTACT)
        elif step is Step.ORG_NUMBER:
            self.data.profile.org_number = None
            await self.profile_next(Step.CONSENT)
        elif step is Step.QUANTITY:
            self.data.request.quantity = None
            self.data.request.quantity_from_text = False
            await self.after_quantity()
        elif step is Step.LOCATION:
            self.data.request.place = None
            self.data.request.place_from_text = False
            self.data.request.radius = Radius.SWEDEN
            self.say("location.anywhere", remove_keyboard=True)
            await self.go(self.after_place())
        elif step is Step.DEADLINE:
            await self.skip_deadline()
        elif step is Step.BUDGET:
            await self.skip_budget()

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
            await self.go(self.after_description())
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

    def after_description(self) -> Step:
        """The next question after the materials: what the description did not say."""
        draft = self.data.request
        if draft.from_nudge:
            return Step.NUDGE
        if self.data.editing:
            return Step.SUMMARY
        if draft.stage is None:
            return Step.VOLUME
        return self.after_volume()

    def after_volume(self) -> Step:
        draft = self.data.request
        if draft.from_nudge:
            return Step.NUDGE
        if self.data.editing:
            return Step.SUMMARY
        if draft.place is None:
            return Step.LOCATION
        return Step.RADIUS if draft.radius is None else self.after_place()

    async def after_quantity(self) -> None:
        await self.go(self.after_volume())

    # -- typed answers ---------------------------------------------------------------------

    async def on_text(self, text: str) -> bool:
        step = self.step
        profile = self.data.profile
        if step is Step.NAME:
            if self._too_long(text, MAX_NAME):
                return False
            contact = contact_in_name(text)
            if contact is not None:  # "070-174 06 05" is no name: ask again, keep nothing
                self.say(f"name.looks_like_{contact}")
                return False
            profile.name = text
            await self.profile_next(Step.COMPANY)
        elif step is Step.COMPANY:
            if self._too_long(text, MAX_COMPANY):
                return False
            profile.company = text
            await self.profile_next(Step.CONTACT)
        elif step is Step.CONTACT:
            return await self.on_contact(text)
        elif step is Step.ORG_NUMBER:
            # A personnummer typed here is personal data: it is never stored, not even in the
            # conversation's draft; the designer is asked again.
            org_number = read_org_number(text)
            if org_number.check is not OrgNumberCheck.VALID:
                self.say(f"org_number.{org_number.check.value}")
                return False
            profile.org_number = org_number.number
            await self.profile_next(Step.CONSENT)
        elif step is Step.DESCRIBE:
            if len(text) > MAX_DESCRIPTION:
                self.data.long_text = text  # kept: never lost because it was long
                self.say("describe.too_long", length=len(text), limit=MAX_DESCRIPTION)
                return False
            self.set_description(text)
            await self.go(Step.CAPABILITIES)
        elif step is Step.VOLUME:
            reading = parse_volume(text)
            if reading.stage is None:
                self.say("use_buttons")
                return False
            self.data.request.stage = reading.stage.value
            self.data.request.stage_from_text = False
            if reading.quantity:
                self.data.request.quantity = reading.quantity
                self.data.request.quantity_from_text = False
                await self.after_quantity()
            else:
                await self.go(Step.QUANTITY)
        elif step is Step.QUANTITY:
            quantity = parse_quantity(text) if len(text) <= 40 else None
            if quantity is None or quantity > MAX_QUANTITY:
                self.say("quantity.invalid")
                return False
            self.data.request.quantity = quantity
            self.data.request.quantity_from_text = False
            await self.after_quantity()
        elif step in (Step.LOCATION, Step.PLACE_CHOICE):
            return await self.on_place_text(text)
        elif step is Step.DEADLINE:
            return await self.on_deadline_text(text)
        elif step is Step.BUDGET:
            return await self.on_budget_text(text)
        elif step is Step.ATTACH:
            self.say("attach.send_file")
            return False
        elif step is Step.RESULTS:
            return await self.on_results_text(text)
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
        email_match = EMAIL.search(text)
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
        self.data.email_suggestion = suggest_email(email) if email else None
        if self.data.email_suggestion is not None:  # "menade du gmail.com?"
            self.data.buttons = {}
            await self.show()
            return True
        await self.profile_next(Step.ORG_NUMBER)
        return True

    def set_description(self, text: str) -> None:
        self.data.long_text = None
        draft = self.data.request
        draft.text = text
        interpretation = default_interpreter().interpret(text)
        hits = [*interpretation.materials, *interpretation.processes]
        draft.capabilities = [
            Capability(code=hit.code, kind=hit.kind.value, words=list(hit.words)) for hit in hits
        ]
        self.read_details(text, frozenset(fold(w) for hit in hits for w in hit.words))

    def read_details(self, text: str, materials: frozenset[str]) -> None:
        """Quantity, stage and place as the description says them; what an earlier
        description said gives way (an edit from "20 st" to "30 st, första serie" updates)."""
        draft = self.data.request
        details = read_details(text, self.matchmaker.places, ignore=materials)
        if draft.stage_from_text:
            draft.stage, draft.stage_from_text = None, False
        if draft.quantity_from_text:
            draft.quantity, draft.quantity_from_text = None, False
        if draft.place_from_text:
            draft.place, draft.place_from_text = None, False
        if details.volume.stage is not None:
            draft.stage, draft.stage_from_text = details.volume.stage.value, True
        if details.volume.quantity is not None and details.volume.quantity <= MAX_QUANTITY:
            draft.quantity, draft.quantity_from_text = details.volume.quantity, True
        if details.place is not None:
            draft.place, draft.place_from_text = self._place_data(details.place), True
        self.read_deadline(text)

    async def on_photo(self, photo: Photo) -> bool:
        if self.step in (Step.ATTACH, Step.SUMMARY, Step.NUDGE):
            return await self.on_attachment_photo(photo)
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
        self.data.request.place_from_text = False
        self.data.place_candidates = []
        self.say("location.set", place=place.label, remove_keyboard=True)
        await self.go(Step.RADIUS)
