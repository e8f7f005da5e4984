"""The hub's outreach log: companies a coordinator contacted that are not (yet) listed.

The hubs' recruiting work is invisible in the catalogue itself; this log keeps it: who, where,
which material, when, what came of it (not interested, maybe later, listed, or no answer yet)
and a note. Coordinators add and search it from the chat; it is exported with the catalogue.

One entry per company and hub: adding a company the hub already logged updates that entry
(the newest outcome and date; the note is appended), so "Maybe later" becoming "Listed" is the
same line, not a second one. Functions take the caller's session and flush; the caller commits.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rapidfuzz import fuzz
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from matching.places import ResolutionStatus, load_places
from matching.text import fold
from storage.models import OutreachEntry, OutreachOutcome

__all__ = [
    "EXPORT_HEADER",
    "OutreachDraft",
    "OutreachSyntaxError",
    "export_rows",
    "list_outreach",
    "log_outreach",
    "municipality_of",
    "parse_outcome",
    "parse_outreach",
]

MAX_FIELD_CHARS = 200
MAX_NOTE_CHARS = 1000
SEARCH_CUTOFF = 75
EXPORT_HEADER = ("company", "place", "material", "contacted_on", "outcome", "note", "hub")

# Everyday words, Swedish and English, folded (lower case, no diacritics, no punctuation).
_OUTCOME_WORDS: dict[str, OutreachOutcome] = {
    **dict.fromkeys(
        ("pending", "waiting", "no answer", "noanswer", "vantar", "inget svar", "obesvarad"),
        OutreachOutcome.PENDING,
    ),
    **dict.fromkeys(
        ("not interested", "no", "nej", "inte intresserad", "ej intresserad", "ointresserad"),
        OutreachOutcome.NOT_INTERESTED,
    ),
    **dict.fromkeys(
        ("maybe later", "later", "maybe", "kanske senare", "senare", "kanske"),
        OutreachOutcome.MAYBE_LATER,
    ),
    **dict.fromkeys(("listed", "listad", "listat", "ja", "yes"), OutreachOutcome.LISTED),
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class OutreachSyntaxError(ValueError):
    """The text is no outreach entry; ``code`` says why ("no_company", "outcome", "date")."""

    def __init__(self, code: str, value: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.value = value


@dataclass(frozen=True, slots=True)
class OutreachDraft:
    company: str
    place: str = ""
    material: str = ""
    outcome: OutreachOutcome = OutreachOutcome.PENDING
    note: str = ""
    contacted_on: date | None = None  # None: today


def parse_outcome(text: str) -> OutreachOutcome | None:
    """An outcome in everyday Swedish or English, or a stored value; ``None`` if unknown.

    >>> parse_outcome("Kanske senare").value, parse_outcome("not interested").value
    ('maybe_later', 'not_interested')
    """
    folded = " ".join(fold(text).split())
    try:
        return OutreachOutcome(folded.replace(" ", "_"))
    except ValueError:
        return _OUTCOME_WORDS.get(folded)


def parse_outreach(text: str) -> OutreachDraft:
    """``company; place; material; outcome; note; date`` — only the company is required, empty
    or missing fields are fine; a last field ``YYYY-MM-DD`` is the date of contact (default:
    today), anything else after the outcome is the note.

    >>> draft = parse_outreach("Glasbruket AB; Kosta; glas; kanske senare; ring i mars")
    >>> draft.company, draft.place, draft.material, draft.outcome.value, draft.note
    ('Glasbruket AB', 'Kosta', 'glas', 'maybe_later', 'ring i mars')
    """
    fields = [" ".join(part.split()) for part in text.split(";")]
    day = ""
    if len(fields) >= 6 and _ISO_DATE.fullmatch(fields[-1]):
        day = fields.pop()
    fields += [""] * (5 - len(fields))
    company, place, material, outcome_text = fields[:4]
    note = "; ".join(part for part in fields[4:] if part)  # a semicolon inside the note
    if not company:
        raise OutreachSyntaxError("no_company")
    outcome = OutreachOutcome.PENDING
    if outcome_text:
        parsed = parse_outcome(outcome_text)
        if parsed is None:
            raise OutreachSyntaxError("outcome", outcome_text)
        outcome = parsed
    contacted_on = None
    if day:
        try:
            contacted_on = date.fromisoformat(day)
        except ValueError:
            raise OutreachSyntaxError("date", day) from None
    return OutreachDraft(
        company=company[:MAX_FIELD_CHARS],
        place=place[:MAX_FIELD_CHARS],
        material=material[:MAX_FIELD_CHARS],
        outcome=outcome,
        note=note[:MAX_NOTE_CHARS],
        contacted_on=contacted_on,
    )


def municipality_of(place: str) -> str | None:
    """The municipality code of a typed place when it resolves unambiguously, else ``None``."""
    if not place:
        return None
    resolution = load_places().resolve(place)
    if resolution.status is ResolutionStatus.FOUND and resolution.place is not None:
        return resolution.place.municipality.code
    return None


async def log_outreach(
    *,
    session: AsyncSession,
    hub_id: int,
    draft: OutreachDraft,
    created_by: int | None,
    now: datetime,
) -> tuple[OutreachEntry, bool]:
    """Add the company to the hub's log, or update the hub's entry for it; ``True`` if new."""
    existing = await _entry_for_company(session, hub_id, draft.company)
    contacted_on = draft.contacted_on or now.date()
    if existing is None:
        entry = OutreachEntry(
            hub_id=hub_id,
            company=draft.company,
            place_name=draft.place,
            municipality_code=municipality_of(draft.place),
            material=draft.material,
            contacted_on=contacted_on,
            outcome=draft.outcome.value,
            note=draft.note,
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        session.add(entry)
        await session.flush()
        return entry, True
    if draft.place:
        existing.place_name = draft.place
        existing.municipality_code = municipality_of(draft.place)
    if draft.material:
        existing.material = draft.material
    if draft.note:
        existing.note = "\n".join(part for part in (existing.note, draft.note) if part)
    existing.outcome = draft.outcome.value
    existing.contacted_on = max(existing.contacted_on, contacted_on)
    existing.updated_at = now
    session.add(existing)
    await session.flush()
    return existing, False


async def list_outreach(
    *,
    session: AsyncSession,
    hub_ids: Collection[int] | None,
    query: str = "",
    limit: int | None = 10,
) -> list[OutreachEntry]:
    """The hubs' entries (``None``: every hub's), newest contact first; with ``query`` only the
    ones whose company, place, material or note resemble it (typos tolerated), best first."""
    statement = select(OutreachEntry).order_by(
        col(OutreachEntry.contacted_on).desc(), col(OutreachEntry.id).desc()
    )
    if hub_ids is not None:
        statement = statement.where(col(OutreachEntry.hub_id).in_(list(hub_ids)))
    entries = list((await session.exec(statement)).all())
    wanted = fold(query)
    if wanted:
        scored = [(_score(wanted, entry), entry) for entry in entries]
        scored = [(score, entry) for score, entry in scored if score >= SEARCH_CUTOFF]
        scored.sort(key=lambda pair: -pair[0])  # stable: newest first among equals
        entries = [entry for _, entry in scored]
    return entries if limit is None else entries[:limit]


def export_rows(entries: Sequence[OutreachEntry], hub_names: Mapping[int, str]) -> list[list[str]]:
    """The log as a table for the catalogue export: a header row, then one row per entry."""
    rows = [list(EXPORT_HEADER)]
    for entry in sorted(entries, key=lambda e: (e.contacted_on, e.id or 0)):
        rows.append(
            [
                entry.company,
                entry.place_name,
                entry.material,
                entry.contacted_on.isoformat(),
                entry.outcome,
                entry.note,
                hub_names.get(entry.hub_id, "") if entry.hub_id is not None else "",
            ]
        )
    return rows


def _score(wanted: str, entry: OutreachEntry) -> float:
    fields = (entry.company, entry.place_name, entry.material, entry.note)
    return (
        max(fuzz.partial_ratio(wanted, fold(field)) for field in fields if field)
        if any(fields)
        else 0.0
    )


async def _entry_for_company(
    session: AsyncSession, hub_id: int, company: str
) -> OutreachEntry | None:
    rows = await session.exec(select(OutreachEntry).where(col(OutreachEntry.hub_id) == hub_id))
    key = fold(company)
    return next((entry for entry in rows.all() if fold(entry.company) == key), None)
