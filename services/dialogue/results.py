"""Search, the results and what the designer does with them: introductions or unmet demand.

The results show the fits first (makers whose own listing shows what was asked), then, set
apart and labelled, weaker candidates ("kanske"), and a maker with strong evidence just
outside the chosen distance as a named suggestion. When nobody shows evidence, the answer
says so and offers a wider search and the hub, also when weaker candidates exist. Each
maker's card is :func:`services.dialogue.cards.maker_card`; pages, numbers and picks are
:mod:`services.dialogue.paging`.
"""

from __future__ import annotations

from datetime import date

from matching.models import VolumeStage
from matching.places import Place
from services.dialogue.cards import beyond_line, maker_card
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
from services.introductions.calendar import STOCKHOLM
from services.matchmaking import DesignerRequest, RankedRequest, RequestError
from services.messages import Button, Html
from services.reciprocal.clients import client_kind
from services.reciprocal.history import MarketSignals
from services.reciprocal.store import load_signals
from services.rounds.join import JoinRefusal, join, joinable
from storage.models import MatchRequest, RequestAttachment, RequestStatus
from storage.repositories.designers import add_attachments, add_introductions, create_request

MAX_INTRODUCTIONS = MAX_PICKS


class ResultsTurn(TurnBase):
    # The makers' answers so far (reciprocal ranking), read once per update by ``market``.
    _signals: MarketSignals | None = None

    # -- searching -------------------------------------------------------------------------

    async def market(self) -> None:
        """Read the makers' answers and this week's briefs, once per update, before ranking
        (nothing to read with the reciprocal ranking off)."""
        if self.matchmaker.reciprocal and self._signals is None:
            self._signals = await load_signals(
                session=self.session, now=self.now, default_cap=self.matchmaker.weekly_cap
            )

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
            deadline=date.fromisoformat(draft.deadline) if draft.deadline else None,
            client=(
                client_kind(org_number=self.designer.org_number, email=self.designer.email)
                if self.designer is not None
                else None
            ),
        )
        try:
            return self.matchmaker.rank(request, today=self.now.date(), signals=self._signals)
        except RequestError:
            return None

    async def search(self) -> None:
        """A new ranking (after an edit, a wider radius): page one; the picks stay."""
        self.data.page = 0
        await self.market()
        ranked = self.rank(PAGE_SIZE)
        found = ranked is not None and (ranked.matches or ranked.result.beyond_radius)
        await self.go(Step.RESULTS if found else Step.NO_MATCH)

    # -- results ---------------------------------------------------------------------------

    def show_results(self) -> None:
        ranked = self.rank(MAX_SHOWN)
        if ranked is None or not (ranked.matches or ranked.result.beyond_radius):
            self.show_no_match()
            return
        result = ranked.result
        matches = ranked.matches
        fits = len(result.fits)
        page = window(self.data.page, len(matches), result.candidates)
        self.data.page = page.page
        if result.none_fits:
            lines = [self.t("results.none_fit")]
        elif page.first <= fits:
            last = min(page.last, fits)
            lines = [self.t("results.header", first=page.first, last=last, total=page.total)]
        else:
            lines = []
        rows: list[list[Button]] = []
        on_page = set()
        for number, match in enumerate(matches[page.first - 1 : page.last], start=page.first):
            if not match.fit and (number == page.first or matches[number - 2].fit):
                lines.append(self.t("results.maybe_header"))
            on_page.add(match.maker_id)
            self.data.names[match.maker_id] = match.name
            listing = self.matchmaker.index.get(match.maker_id)
            signs = ranked.signs.get(match.maker_id, ())
            lines.append(maker_card(self.t, self.language, number, match, listing, signs))
            mark = "✓" if match.maker_id in self.data.selected else "☐"
            label = f"{mark} {number}. {match.name}"
            row = [self.button(label, f"pick:{match.maker_id}", key=str(number))]
            if listing is not None and listing.photos:
                photos = self.t("listing.photos_button", name=match.name)
                row.append(self.button(photos, f"photos:{match.maker_id}"))
            rows.append(row)
        for match in result.beyond_radius:  # named apart, whatever the page
            on_page.add(match.maker_id)
            self.data.names[match.maker_id] = match.name
            lines.append(beyond_line(self.t, match))
            mark = "✓" if match.maker_id in self.data.selected else "➕"
            label = f"{mark} {self.t('button.beyond', name=match.name)}"
            rows.append([self.button(label, f"pick:{match.maker_id}")])
        if self.data.selected:
            numbers = {m.maker_id: n for n, m in enumerate(matches, start=1)}
            picked = [self._picked_label(maker_id, numbers) for maker_id in self.data.selected]
            lines.append(self.t("results.selected", count=len(picked), names=", ".join(picked)))
            for maker_id in self.data.selected:  # picks on other pages, or from earlier searches
                if maker_id not in on_page:
                    label = f"✓ {self._picked_label(maker_id, numbers)}"
                    rows.append([self.button(label, f"pick:{maker_id}")])
        if ranked.at_cap:  # honest: more makers do this, but their week is full
            lines.append(self.t("results.capped_hidden", count=len(ranked.at_cap)))
        lines.append(self.t("results.pick_hint", max=MAX_INTRODUCTIONS))
        nav = [self.key_button("button.previous", "previous")] if page.has_previous else []
        if page.has_next:
            nav.append(self.key_button("button.more", "more"))
        rows.append(nav)
        rows.append([self.key_button("button.refine", "refine")])
        if result.none_fits:
            if self._can_widen():
                rows.append([self.key_button("button.widen", "widen")])
            rows.append([self.key_button("button.unmet", "unmet")])
        if self.data.selected:
            label = self.t("button.ask", count=len(self.data.selected))
            rows.append([self.button(label, "ask")])
        self.ask(Html("\n\n".join(lines)), rows)

    def _picked_label(self, maker_id: str, numbers: dict[str, int]) -> str:
        name = self.data.names.get(maker_id, maker_id)
        number = numbers.get(maker_id)
        return f"{number}. {name}" if number is not None else name

    async def on_results(self, action: str) -> bool:
        if action.startswith("photos:"):
            self.show_photos(action.removeprefix("photos:"))
            return True
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
            draft = self.data.request
            if not draft.nudged and draft.missing_for_makers():
                draft.nudged = True  # once per request: a nudge, never a wall
                await self.go(Step.NUDGE)
            else:
                await self.ask_introductions()
            return True
        if action in ("widen", "unmet"):  # offered when nobody shows evidence
            return await self.on_no_match(action)
        return False

    def show_photos(self, maker_id: str) -> None:
        """The maker's photos, each a message with its caption; the results stay as they are."""
        listing = self.matchmaker.index.get(maker_id)
        if listing is None or not listing.photos:
            self.notice = self.t("listing.photos_gone")
            return
        count = len(listing.photos)
        for number, file_id in enumerate(listing.photos, start=1):
            caption = self.t(
                "listing.photos_caption", name=listing.name, number=number, count=count
            )
            self.ask(caption, photo_file_id=file_id)

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
        await self.market()
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
        ranked = self.rank(PAGE_SIZE) if self.matchmaker.reciprocal else None
        if ranked is not None and ranked.at_cap:  # makers do this, but their week is full
            note = self.t("results.capped_hidden", count=len(ranked.at_cap))
            self.ask(Html(f"{self.t('no_match.text')}\n\n{note}"), rows)
            return
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
            deadline=date.fromisoformat(draft.deadline) if draft.deadline else None,
            deadline_text=draft.deadline_text if draft.deadline else None,
            budget_min_sek=draft.budget_min,
            budget_max_sek=draft.budget_max,
            budget_text=draft.budget_text,
        )
        request = await create_request(session=self.session, request=request)
        assert request.id is not None
        await add_attachments(
            session=self.session,
            request_id=request.id,
            attachments=[
                RequestAttachment(
                    request_id=request.id,
                    file_id=a.file_id,
                    file_unique_id=a.file_unique_id,
                    kind=a.kind,
                    file_name=a.file_name,
                    size=a.size,
                    mime=a.mime,
                    metadata_policy=a.metadata_policy,
                    created_at=self.now,
                )
                for a in draft.attachments
                if a.metadata_policy is not None  # never a file the designer did not clear
            ],
        )
        return request

    async def join_round(self) -> None:
        """Send the brief to the round; the round's pairing picks its maker later."""
        assert self.data.round is not None
        round_id = self.data.round.id
        check = await joinable(
            session=self.session, round_id=round_id, designer=self.designer, now=self.now
        )
        if isinstance(check, JoinRefusal):
            self.data.round = None  # the brief stays: the designer can search as usual
            self.say(f"round.{check.value}")
            await self.go(Step.SUMMARY)
            return
        request = await self.save_request(RequestStatus.ROUND)
        await join(
            session=self.session,
            round_id=round_id,
            request=request,
            designer=self.designer,
            now=self.now,
        )
        closes = check.closes_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
        self.say("round.joined", theme=check.theme, number=request.id, closes=closes)
        self.data.round = None
        await self.go(Step.IDLE)

    async def _without_full_makers(self) -> list[str]:
        """The picks whose week's briefs have not reached their cap (the reciprocal ranking's
        promise: nobody is sent more than the cap); the others are taken back, with a note."""
        chosen = list(self.data.selected)
        if not self.matchmaker.reciprocal:
            return chosen
        await self.market()
        assert self._signals is not None
        histories = {maker_id: self._signals.history(maker_id) for maker_id in chosen}
        full = [m for m in chosen if histories[m].this_week >= histories[m].cap]
        if full:
            names = ", ".join(self.data.names.get(m, m) for m in full)
            self.say("results.at_cap", count=len(full), names=names)
            self.data.selected = [m for m in chosen if m not in full]
        return list(self.data.selected)

    async def ask_introductions(self) -> None:
        chosen = await self._without_full_makers()
        if not chosen:
            await self.go(Step.RESULTS)
            return
        request = await self.save_request(RequestStatus.SUBMITTED)
        assert request.id is not None
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
