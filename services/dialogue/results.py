"""Search, the results and what the designer does with them: introductions or unmet demand."""

from __future__ import annotations

from matching.interpret import concept_label
from matching.models import VolumeStage
from matching.places import Place
from matching.ranking import Match
from services.dialogue.paging import (
    MAX_PICKS,
    MAX_SHOWN,
    PAGE_SIZE,
    PickOutcome,
    toggle,
    typed_number,
    window,
)
from services.dialogue.state import Radius, Step
from services.dialogue.turn import TurnBase
from services.introductions import submit_request
from services.matchmaking import DesignerRequest, RankedRequest, RequestError
from services.messages import Button, Html
from storage.models import MatchRequest, RequestStatus
from storage.repositories.designers import add_introductions, create_request

MAX_INTRODUCTIONS = MAX_PICKS


class ResultsTurn(TurnBase):
    # -- searching -------------------------------------------------------------------------

    def _place(self) -> Place | None:
        data = self.data.request.place
        if data is None:
            return None
        municipality = self.matchmaker.places.municipality(data.municipality_code)
        if data.kind == "locality":
            return Place(data.name, "locality", municipality, data.lat, data.lon, None)
        return Place(data.name, "municipality", municipality, data.lat, data.lon, None)

    def rank(self, limit: int) -> RankedRequest | None:
        draft = self.data.request
        place = self._place()
        radius = draft.radius or Radius.SWEDEN
        request = DesignerRequest(
            text=draft.text,
            place=place,
            radius_km=radius.km if place is not None else None,
            county_code=(
                draft.place.county_code
                if radius is Radius.COUNTY and draft.place is not None
                else None
            ),
            volume_stage=VolumeStage(draft.stage) if draft.stage else None,
            quantity=draft.quantity,
            concepts=tuple(c.code for c in draft.capabilities if c.on),
            limit=limit,
        )
        try:
            return self.matchmaker.rank(request, today=self.now.date())
        except RequestError:
            return None

    async def search(self) -> None:
        """A new ranking (after an edit, a wider radius): page one; the picks stay."""
        self.data.page = 0
        ranked = self.rank(PAGE_SIZE)
        await self.go(Step.RESULTS if ranked and ranked.matches else Step.NO_MATCH)

    # -- results ---------------------------------------------------------------------------

    def show_results(self) -> None:
        ranked = self.rank(MAX_SHOWN)
        if ranked is None or not ranked.matches:
            self.show_no_match()
            return
        matches = ranked.matches
        page = window(self.data.page, len(matches), ranked.result.candidates)
        self.data.page = page.page
        lines = [self.t("results.header", first=page.first, last=page.last, total=page.total)]
        rows: list[list[Button]] = []
        on_page = set()
        for number, match in enumerate(matches[page.first - 1 : page.last], start=page.first):
            on_page.add(match.maker_id)
            self.data.names[match.maker_id] = match.name
            lines.append(self._describe(number, match))
            mark = "✓" if match.maker_id in self.data.selected else "☐"
            label = f"{mark} {number}. {match.name}"
            rows.append([self.button(label, f"pick:{match.maker_id}", key=str(number))])
        if self.data.selected:
            numbers = {m.maker_id: n for n, m in enumerate(matches, start=1)}
            picked = [self._picked_label(maker_id, numbers) for maker_id in self.data.selected]
            lines.append(self.t("results.selected", count=len(picked), names=", ".join(picked)))
            for maker_id in self.data.selected:  # picks on other pages, or from earlier searches
                if maker_id not in on_page:
                    label = f"✓ {self._picked_label(maker_id, numbers)}"
                    rows.append([self.button(label, f"pick:{maker_id}")])
        lines.append(self.t("results.pick_hint", max=MAX_INTRODUCTIONS))
        nav = [self.key_button("button.previous", "previous")] if page.has_previous else []
        if page.has_next:
            nav.append(self.key_button("button.more", "more"))
        rows.append(nav)
        rows.append([self.key_button("button.refine", "refine")])
        if self.data.selected:
            label = self.t("button.ask", count=len(self.data.selected))
            rows.append([self.button(label, "ask")])
        self.ask(Html("\n\n".join(lines)), rows)

    def _picked_label(self, maker_id: str, numbers: dict[str, int]) -> str:
        name = self.data.names.get(maker_id, maker_id)
        number = numbers.get(maker_id)
        return f"{number}. {name}" if number is not None else name

    def _describe(self, number: int, match: Match) -> Html:
        e = match.explanation
        parts = [self.t("results.maker", number=number, name=match.name)]
        if e.distance_km is not None:
            km = f"{e.distance_km:.0f}" if e.distance_km >= 1 else "< 1"
            parts.append(self.t("results.km", km=km))
        for c in e.capabilities:
            label = c.label_sv if self.language == "sv" else c.label_en
            if c.via_material:
                material = concept_label(c.via_material, self.language).lower()
                parts.append(self.t("results.via", label=label, material=material))
            elif c.maker_words:
                parts.append(
                    self.t(
                        "results.lists",
                        label=label,
                        words=", ".join(_distinct(c.maker_words)[:4]),
                        yours=", ".join(_distinct(c.request_words)[:3]),
                    )
                )
        if e.words and not e.capabilities:
            words = ", ".join(w.maker_word for w in e.words[:4])
            parts.append(self.t("results.words", words=words))
        fit = f"volume_fit.{e.volume_fit.value}"
        if self.t.has(fit) and self.t(fit):
            parts.append(self.t(fit))
        return Html("\n".join(parts))

    async def on_results(self, action: str) -> bool:
        if action.startswith("pick:"):
            self.pick(action.removeprefix("pick:"), pressed=True)
            await self.show()
            return True
        if action in ("more", "previous"):
            self.data.page += 1 if action == "more" else -1
            await self.show()
            return True
        if action == "refine":
            await self.go(Step.SUMMARY)
            return True
        if action == "ask" and self.data.selected:
            await self.ask_introductions()
            return True
        return False

    def pick(self, maker_id: str, *, pressed: bool) -> None:
        """Pick a maker or take the pick back; a fourth pick is refused once (as the button's
        notice when pressed, else as a message)."""
        self.data.selected, outcome = toggle(self.data.selected, maker_id)
        if outcome is PickOutcome.FULL:
            if pressed:
                self.notice = self.t("results.max", max=MAX_INTRODUCTIONS)
            else:
                self.say("results.max", max=MAX_INTRODUCTIONS)

    async def on_results_text(self, text: str) -> bool:
        """A maker's number typed instead of pressed picks it (or takes it back)."""
        number = typed_number(text)
        if number is None:
            self.say("use_buttons")
            return False
        ranked = self.rank(MAX_SHOWN)
        matches = ranked.matches if ranked is not None else ()
        if not 1 <= number <= len(matches):
            self.say("results.no_number", number=number)
            return False
        match = matches[number - 1]
        self.data.names[match.maker_id] = match.name
        self.pick(match.maker_id, pressed=False)
        self.data.page = (number - 1) // PAGE_SIZE
        await self.show()
        return True

    # -- nothing fits ----------------------------------------------------------------------

    def _can_widen(self) -> bool:
        draft = self.data.request
        return draft.place is not None and draft.radius not in (None, Radius.SWEDEN)

    def show_no_match(self) -> None:
        rows = []
        if self._can_widen():
            rows.append([self.key_button("button.widen", "widen")])
        rows.append([self.key_button("button.unmet", "unmet")])
        rows.append([self.key_button("button.refine", "refine")])
        self.ask(self.t("no_match.text"), rows)

    async def on_no_match(self, action: str) -> bool:
        if action == "widen" and self._can_widen():
            self.data.request.radius = Radius.SWEDEN
            await self.search()
            return True
        if action == "unmet":
            request = await self.save_request(RequestStatus.UNMET)
            assert request.id is not None
            if self.notify:
                await submit_request(
                    session=self.session,
                    request_id=request.id,
                    now=self.now,
                    admin_ids=self.admin_ids,
                )
            self.say("unmet.sent")
            await self.go(Step.IDLE)
            return True
        if action == "refine":
            await self.go(Step.SUMMARY)
            return True
        return False

    # -- saving ----------------------------------------------------------------------------

    async def save_request(self, status: RequestStatus) -> MatchRequest:
        draft = self.data.request
        place = draft.place
        radius = draft.radius or Radius.SWEDEN
        request = MatchRequest(
            designer_id=self.designer.id if self.designer else None,
            text=draft.text,
            photo_file_id=draft.photo_file_id,
            materials=draft.codes("material"),
            processes=draft.codes("process"),
            volume_stage=draft.stage,
            quantity=draft.quantity,
            place_name=place.name if place else None,
            municipality_code=place.municipality_code if place else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            radius_km=radius.km if place else None,
            county_code=place.county_code if place and radius is Radius.COUNTY else None,
            status=status.value,
            created_at=self.now,
            updated_at=self.now,
        )
        return await create_request(session=self.session, request=request)

    async def ask_introductions(self) -> None:
        request = await self.save_request(RequestStatus.SUBMITTED)
        assert request.id is not None
        chosen = list(self.data.selected)
        await add_introductions(
            session=self.session, request_id=request.id, maker_external_ids=chosen
        )
        if self.notify:
            await submit_request(
                session=self.session, request_id=request.id, now=self.now, admin_ids=self.admin_ids
            )
        names = ", ".join(self.data.names.get(m, m) for m in chosen)
        sent = "introductions.sent" if self.notify else "introductions.saved"
        self.say(sent, count=len(chosen), names=names, number=request.id)
        self.data.selected = []  # asked for: the next request starts with none
        await self.go(Step.IDLE)


def _distinct(words: tuple[str, ...]) -> list[str]:
    """Words once each, whatever their case ("laserskärning, Laserskärning" → one)."""
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(word.casefold(), word)
    return list(seen.values())
