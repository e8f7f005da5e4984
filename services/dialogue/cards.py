"""A maker's card in the results: what a designer needs to choose, and the evidence.

Kept apart from the results step so the card can change without touching paging or picks.
A card names the maker and its town, one line of what it does (from its own description),
how far away it is, why it fits in its own words (a snippet of its listing), the volume fit,
what its fuller listing says that helps choose (the smallest order it takes, its usual lead
time, whom it works with, what it offers), its website and portfolio. A weaker candidate's
card says what is near rather than what fits.
"""

from __future__ import annotations

from collections.abc import Sequence

from matching.interpret import concept_label
from matching.models import CLIENT_ORDER, OFFER_ORDER, MakerProfile
from matching.ranking import CapabilityReason, Match
from services.catalogue.listing_fields import lead_time_words
from services.messages import Html, Texts
from services.reciprocal.explain import Sign, render


def _distinct(words: tuple[str, ...]) -> list[str]:
    """Words once each, whatever their case ("laserskärning, Laserskärning" → one)."""
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(word.casefold(), word)
    return list(seen.values())


def _reason(t: Texts, language: str, c: CapabilityReason) -> Html | None:
    label = c.label_sv if language == "sv" else c.label_en
    words = ", ".join(_distinct(c.maker_words)[:4])
    yours = ", ".join(_distinct(c.request_words)[:3])
    if c.via_material:
        material = concept_label(c.via_material, language).lower()
        return t("results.via", label=label, material=material)
    if not words:
        return None
    if c.direct and c.snippet and c.source == "description":
        return t("results.evidence", label=label, snippet=c.snippet, yours=yours)
    if c.direct and c.snippet and c.source == "equipment":
        return t("results.equipment", label=label, snippet=c.snippet, yours=yours)
    if c.direct:
        return t("results.lists", label=label, words=words, yours=yours)
    if c.evidence == "neighbour":
        key = "results.neighbour_process" if c.kind == "process" else "results.neighbour"
        return t(key, label=label, words=words)
    return t("results.family", label=label, words=words, yours=yours)


def listing_facts(t: Texts, language: str, maker: MakerProfile) -> Html | None:
    """One line of what the fuller listing says ("tar serier från 50 st · ledtid ca 3 veckor ·
    jobbar med studenter"), or ``None`` when it says nothing."""
    facts: list[str] = []
    if maker.min_order is not None:
        if maker.min_order > 1:
            facts.append(t("listing.min_order", count=maker.min_order))
        else:
            facts.append(t("listing.single_pieces"))
    if maker.lead_time_days is not None:
        time = lead_time_words(maker.lead_time_days, language)
        facts.append(t("listing.lead_time", time=time))
    if maker.works_with:
        if len(maker.works_with) == len(CLIENT_ORDER):
            facts.append(t("listing.works_with_all"))
        else:
            kinds = [t(f"listing.client.{k.value}") for k in CLIENT_ORDER if k in maker.works_with]
            facts.append(t("listing.works_with", clients=Html(", ".join(kinds))))
    if maker.offers:
        offers = [t(f"listing.offer.{o.value}") for o in OFFER_ORDER if o in maker.offers]
        facts.append(t("listing.offers", offers=Html(", ".join(offers))))
    if not facts:
        return None
    return t("listing.facts", facts=Html(" · ".join(facts)))


def maker_card(
    t: Texts,
    language: str,
    number: int,
    match: Match,
    maker: MakerProfile | None = None,
    signs: Sequence[Sign] = (),
) -> Html:
    """One maker as the results list shows it; every card carries its evidence. ``maker`` is
    the listing as the index has it, for what the fuller listing says; ``signs``, with the
    reciprocal ranking, what makes a yes likely or not."""
    e = match.explanation
    if e.town:
        parts = [t("results.maker_town", number=number, name=match.name, town=e.town)]
    else:
        parts = [t("results.maker", number=number, name=match.name)]
    if e.summary:
        parts.append(t("results.summary", summary=e.summary))
    if e.distance_km is not None:
        km = f"{e.distance_km:.0f}" if e.distance_km >= 1 else "< 1"
        parts.append(t("results.km", km=km))
    reasons = [r for r in (_reason(t, language, c) for c in e.capabilities) if r]
    parts.extend(reasons)
    if e.words and not e.capabilities:
        words = ", ".join(_distinct(tuple(w.maker_word for w in e.words))[:4])
        parts.append(t("results.words", words=words))
    fit = f"volume_fit.{e.volume_fit.value}"
    if t.has(fit) and t(fit):
        parts.append(t(fit))
    if maker is not None and (facts := listing_facts(t, language, maker)):
        parts.append(facts)
    parts.extend(render(t, sign) for sign in signs)
    if e.website:
        parts.append(t("results.website", url=e.website))
    if maker is not None and maker.portfolio_url:
        parts.append(t("listing.portfolio", url=maker.portfolio_url))
    return Html("\n".join(parts))


def beyond_line(t: Texts, match: Match) -> Html:
    """A maker outside the chosen distance, named with what its own words show."""
    e = match.explanation
    words: list[str] = []
    for c in e.capabilities:
        if c.direct:
            words.extend(w for w in _distinct(c.maker_words) if w not in words)
    km = f"{e.distance_km:.0f}" if e.distance_km is not None else "?"
    return t(
        "results.beyond",
        name=match.name,
        town=e.town or "–",
        km=km,
        words=", ".join(words[:4]) or "–",
    )
