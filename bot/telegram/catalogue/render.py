"""The catalogue desk's results as Telegram HTML: the import report, a maker's card with its
buttons, matches, stale listings and the outreach log."""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.telegram.catalogue.problem_texts import column_name, problem_text
from bot.telegram.catalogue.texts import desk_html, desk_text
from matching.models import MakerStatus
from services.catalogue.desk import OutreachLogged
from services.catalogue.listing import (
    CAP_CHOICES,
    PAUSE_DAYS,
    MakerCard,
    MakerChoice,
    StaleListing,
)
from services.catalogue.report import ImportReport, Outcome
from services.catalogue.tokens import button_data
from services.catalogue.validation import Note, Problem
from services.hubs.invites import invite_link
from services.makers.edits import edit_data
from services.makers.fields import ListingField
from services.reciprocal.model import DEFAULT_WEEKLY_CAP
from storage.models import Maker, OutreachEntry, OutreachOutcome

MAX_PROBLEM_LINES = 40
MAX_CHANGE_LINES = 30

ButtonRows = list[list[tuple[str, str]]]


def report_text(report: ImportReport, language: str | None, *, applied: bool = False) -> str:
    """The dry run (or, ``applied``, the result) of an upload, rejected rows with line and
    reason."""
    counts = report.counts()
    if applied:
        return desk_text(
            "upload.applied", language, created=counts["created"], updated=counts["updated"]
        )
    lines = [desk_text("upload.summary", language, source=report.source, **counts)]
    generated = sum(1 for row in report.rows if row.id_generated)
    if generated:
        lines.append(desk_text("upload.generated_ids", language, count=generated))
    if report.ignored_columns:
        columns = ", ".join(report.ignored_columns)
        lines.append(desk_text("upload.ignored", language, columns=columns))
    changes = [row for row in report.rows if row.outcome is not Outcome.UNCHANGED]
    if changes:
        lines += ["", desk_text("upload.changed_title", language)]
        for row in changes[:MAX_CHANGE_LINES]:
            outcome = desk_text(f"upload.outcome.{row.outcome.value}", language)
            lines.append(
                desk_text(
                    "upload.changed_line",
                    language,
                    outcome=outcome,
                    name=row.name,
                    external_id=row.external_id,
                )
            )
        if len(changes) > MAX_CHANGE_LINES:
            lines.append(desk_text("upload.more", language, count=len(changes) - MAX_CHANGE_LINES))
    notes = [(line, note) for line, note in report.notes]
    problems = [(bad.line, problem) for bad in report.rejected for problem in bad.problems]
    for title, line_key, remarks, section in (
        ("upload.notes_title", "upload.note_line", notes, "note"),
        ("upload.rejected_title", "upload.rejected_line", problems, "row"),
    ):
        if remarks:
            lines += ["", desk_text(title, language)]
            lines += _remark_lines(remarks, line_key, section, language)
    lines.append("")
    lines.append(desk_text("upload.confirm" if changes else "upload.nothing", language))
    return "\n".join(lines)


def _remark_lines(
    remarks: Sequence[tuple[int, Note | Problem]], line_key: str, section: str, language: str | None
) -> list[str]:
    """One line per problem or note (at most `MAX_PROBLEM_LINES`, then how many more)."""
    lines = []
    for line, remark in remarks[:MAX_PROBLEM_LINES]:
        values = {"value": remark.value, **remark.params}
        if "column" in values:
            values["column"] = column_name(values["column"], language)
        lines.append(
            desk_html(
                line_key,
                language,
                line=str(line),
                column=html.escape(column_name(remark.column.value, language)),
                reason=problem_text(section, remark.code, language, values),
            )
        )
    if len(remarks) > MAX_PROBLEM_LINES:
        more = len(remarks) - MAX_PROBLEM_LINES
        lines.append(desk_text("upload.more", language, count=more))
    return lines


def card_reply(card: MakerCard, language: str | None, *, username: str) -> tuple[str, ButtonRows]:
    """A maker's card: what the listing says, what was just done, and its buttons."""
    maker = card.maker
    none = desk_text("card.none", language)
    lines = [
        desk_text("card.title", language, name=maker.name, external_id=maker.external_id),
        desk_text("card.place", language, place=maker.place_name or none, hub=card.hub_name),
        _status(maker, language),
    ]
    contact = [v for v in (maker.contact_name, maker.email, maker.phone, maker.website) if v]
    lines.append(desk_text("card.contact", language, items=", ".join(contact) or none))
    key = "card.telegram_yes" if maker.telegram_user_id is not None else "card.telegram_no"
    lines.append(desk_text(key, language))
    cap = maker.weekly_brief_cap
    if cap is None:
        lines.append(desk_text("card.cap_default", language, cap=DEFAULT_WEEKLY_CAP))
    else:
        lines.append(desk_text("card.cap", language, cap=cap))
    if maker.freshness_penalty > 0:
        lines.append(desk_text("card.stale", language))
    if card.invite is not None:
        lines += [
            "",
            desk_text(
                "done.i",
                language,
                name=card.invite.target_name,
                expires=card.invite.expires_at.date().isoformat(),
                link=invite_link(username, card.invite.token),
            ),
        ]
    elif card.done.startswith(MakerChoice.PAUSE) and maker.paused_until is not None:
        lines += ["", desk_text("done.p", language, until=maker.paused_until.isoformat())]
    elif card.done in (MakerChoice.UNLIST, MakerChoice.RELIST):
        lines += ["", desk_text(f"done.{card.done}", language)]
    elif card.done.startswith(MakerChoice.CAP):
        shown = cap if cap is not None else DEFAULT_WEEKLY_CAP
        lines += ["", desk_text("done.c", language, cap=shown)]
    pause = [
        (desk_text("card.button.pause", language, days=days), f"{MakerChoice.PAUSE}{days}")
        for days in PAUSE_DAYS
    ]
    listing = (
        (desk_text("card.button.relist", language), MakerChoice.RELIST)
        if maker.status != MakerStatus.LISTED
        else (desk_text("card.button.unlist", language), MakerChoice.UNLIST)
    )
    invite = (desk_text("card.button.invite", language), MakerChoice.INVITE)
    caps = [
        (desk_text("card.button.cap", language, cap=n), f"{MakerChoice.CAP}{n}")
        for n in CAP_CHOICES
    ]
    rows = [pause, caps, [listing, invite]]
    buttons = [[(label, button_data(card.token, choice)) for label, choice in row] for row in rows]
    # The listing's photos are sent in the chat: the makers' edit flow takes them, and applies
    # them at once for whoever coordinates the maker's hub.
    assert maker.id is not None
    photos = desk_text("card.button.photos", language, count=len(maker.photos))
    buttons.append([(photos, edit_data(maker.id, ListingField.PHOTOS))])
    return "\n".join(lines), buttons


def _status(maker: Maker, language: str | None) -> str:
    if maker.status == MakerStatus.PAUSED and maker.paused_until is not None:
        return desk_text("card.status.paused", language, until=maker.paused_until.isoformat())
    if maker.status in (MakerStatus.LISTED, MakerStatus.PAUSED):
        return desk_text(f"card.status.{maker.status}", language)
    return desk_text("card.status.unlisted", language)


def matches_text(matches: Sequence[Maker], query: str, language: str | None) -> str:
    if not matches:
        return desk_text("maker.none", language, query=query)
    none = desk_text("card.none", language)
    lines = [desk_text("maker.matches", language)]
    lines += [
        desk_text(
            "maker.match",
            language,
            name=m.name,
            place=m.place_name or none,
            external_id=m.external_id,
        )
        for m in matches
    ]
    return "\n".join(lines)


def stale_text(stale: Sequence[StaleListing], language: str | None) -> str:
    if not stale:
        return desk_text("stale.none", language)
    unknown = desk_text("stale.unknown_date", language)
    lines = [desk_text("stale.title", language, count=len(stale))]
    for item in stale:
        last = item.last_unanswered.date().isoformat() if item.last_unanswered else unknown
        lines.append(
            desk_text(
                "stale.item",
                language,
                name=item.maker.name,
                place=item.maker.place_name or desk_text("card.none", language),
                last=last,
                external_id=item.maker.external_id,
            )
        )
    return "\n".join(lines)


def outcome_label(outcome: str, language: str | None) -> str:
    try:
        return desk_text(f"outcome.{OutreachOutcome(outcome).value}", language)
    except ValueError:
        return outcome


def outreach_logged_text(logged: OutreachLogged, language: str | None) -> str:
    key = "outreach.added" if logged.created else "outreach.updated"
    return desk_text(
        key,
        language,
        hub=logged.hub_name,
        company=logged.entry.company,
        outcome=outcome_label(logged.entry.outcome, language),
    )


def outreach_text(entries: Sequence[OutreachEntry], language: str | None, *, searched: bool) -> str:
    if not entries:
        return desk_text("outreach.none", language) + (
            "" if searched else "\n\n" + desk_text("outreach.usage", language)
        )
    none = desk_text("card.none", language)
    lines = [desk_text("outreach.title", language)]
    for entry in entries:
        note = " ".join(entry.note.split())
        lines.append(
            desk_text(
                "outreach.item",
                language,
                date=entry.contacted_on.isoformat(),
                company=entry.company,
                place=entry.place_name or none,
                material=entry.material or none,
                outcome=outcome_label(entry.outcome, language),
                note=f" – {note[:120]}" if note else "",
            )
        )
    return "\n".join(lines)
