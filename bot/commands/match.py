"""``spok-bot match``: rank the catalogue's makers for one request, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands._runtime import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_UNUSABLE,
    DatabaseUnavailable,
    fail,
    run_with_session,
    terminal_text,
)
from bot.settings import Settings
from matching.ranking import Match
from services.matchmaking import (
    VOLUME_NAMES,
    DesignerRequest,
    Matchmaker,
    RankedRequest,
    RankNote,
    RequestError,
    other_words,
    ranked_json,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "match",
        help="rank listed makers for a request",
        description=(
            "Rank the listed makers for a designer's request and explain each match. "
            "Paused and unlisted makers are never returned."
        ),
    )
    parser.add_argument("--text", required=True, help="what should be made, in Swedish or English")
    parser.add_argument(
        "--volume", help="prototyp / småserie / löpande produktion, or a quantity ('200 st')"
    )
    parser.add_argument("--location", help="a Swedish place name (typos and missing å/ä/ö are ok)")
    parser.add_argument(
        "--radius", type=float, metavar="KM", help="only makers within KM of --location"
    )
    parser.add_argument(
        "--limit", type=int, default=10, metavar="N", help="at most N makers, 1-100 (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings) -> int:
    request = DesignerRequest(
        text=args.text,
        volume=args.volume,
        location=args.location,
        radius_km=args.radius,
        limit=args.limit,
    )

    async def work(session: AsyncSession) -> RankedRequest:
        matchmaker = await Matchmaker.load(session=session)
        return matchmaker.rank(request)

    try:
        ranked = run_with_session(settings, work)
    except RequestError as error:
        fail("match", str(error))
        return EXIT_UNUSABLE
    except DatabaseUnavailable as error:
        fail("match", str(error))
        return EXIT_FAILURE
    if args.json:
        json.dump(ranked_json(ranked), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(terminal_text(render_text(ranked)))
    return EXIT_OK


def render_text(ranked: RankedRequest) -> str:
    interpretation = ranked.interpretation
    understood = [f"{h.code} ({', '.join(h.words)})" for h in interpretation.materials]
    understood += [f"{h.code} ({', '.join(h.words)})" for h in interpretation.processes]
    lines = [f"Understood: {'; '.join(understood) or 'no material or process'}"]
    if interpretation.free_words:
        lines.append(f"Other words: {', '.join(other_words(interpretation))}")
    if RankNote.VOLUME_UNREADABLE in ranked.notes:
        lines.append(
            f"Volume: could not read {ranked.request.volume!r}; ranked without it "
            "(try 'prototyp', 'småserie', 'löpande produktion' or '200 st')"
        )
    if ranked.volume.stage:
        quantity = f", {ranked.volume.quantity} pcs" if ranked.volume.quantity else ""
        source = " (from the text)" if RankNote.VOLUME_FROM_TEXT in ranked.notes else ""
        lines.append(f"Volume: {VOLUME_NAMES[ranked.volume.stage]}{quantity}{source}")
    if ranked.place:
        radius = ranked.request.radius_km
        within = f", within {radius:g} km" if radius else ", anywhere in Sweden"
        source = " (from the text)" if RankNote.PLACE_FROM_TEXT in ranked.notes else ""
        lines.append(f"Location: {ranked.place.label}{within}{source}")
        if ranked.place_corrected:
            lines.append(
                f"  (no place is called {ranked.request.location!r}; this is the closest "
                "spelling: check it)"
            )
    result = ranked.result
    if result.considered == 0:
        lines.append(
            "\nThe catalogue has no listed makers yet: run 'spok-bot demo seed' or "
            "'spok-bot makers import FILE'."
        )
        return "\n".join(lines)
    if result.none_fits:
        lines.append(
            f"\nNobody listed shows evidence of doing this (of {result.considered} listed)."
        )
        if not (interpretation.groups or interpretation.free_words):
            lines.append("Describe what should be made: a material, a technique, a product.")
        elif ranked.request.radius_km is not None and not result.beyond_radius:
            lines.append("Try a larger --radius, or leave it out to search all of Sweden.")
    else:
        lines.append(
            f"\n{result.candidates} of {result.considered} listed makers fit; "
            f"the best {len(result.fits)}:"
        )
    for rank, match in enumerate(result.fits, start=1):
        lines.extend(_maker_lines(rank, match))
    if result.maybes:
        lines.append("\nWeaker candidates (their listing shows something near, not this):")
        for rank, match in enumerate(result.maybes, start=len(result.fits) + 1):
            lines.extend(_maker_lines(rank, match))
    if result.beyond_radius:
        lines.append("\nBeyond the radius, with strong evidence:")
        for match in result.beyond_radius:
            lines.extend(_maker_lines(None, match))
    return "\n".join(lines)


def _maker_lines(rank: int | None, match: Match) -> list[str]:
    e = match.explanation
    distance = f", {e.distance_km:.0f} km" if e.distance_km is not None else ""
    town = f", {e.town}" if e.town else ""
    number = f"{rank:>2}." if rank is not None else " -"
    lines = [f"{number} {match.name} [{match.maker_id}]{town} score {match.score:.2f}{distance}"]
    if e.summary:
        lines.append(f"      {e.summary}")
    for c in e.capabilities:
        shown = ", ".join(c.maker_words) or "-"
        how = "" if c.direct or c.via_material else f" ({c.evidence})"
        via = f" via {c.via_material}" if c.via_material else ""
        lines.append(
            f"      {c.label_en}: you wrote {', '.join(c.request_words)}; "
            f"they list {shown}{via}{how}"
        )
        if c.snippet and c.source == "description":
            lines.append(f"        «{c.snippet}»")
    for w in e.words:
        lines.append(f"      word: {w.request_word} ~ {w.maker_word}")
    lines.append(f"      volume: {e.volume_fit.value}")
    if e.website:
        lines.append(f"      {e.website}")
    return lines
