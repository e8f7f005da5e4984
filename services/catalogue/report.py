"""The result of planning or applying an import, as text for operators and as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.catalogue.reader import CatalogueFileError, CatalogueFormat
from services.catalogue.validation import Note, Problem, RejectedRow
from services.operator_texts import OperatorTexts


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class RowResult:
    line: int
    external_id: str
    id_generated: bool
    name: str
    outcome: Outcome
    changed: tuple[str, ...] = ()  # the fields an update changes
    notes: tuple[Note, ...] = ()  # imported as written, with these remarks


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (``dry_run=False``) or would do (``dry_run=True``).

    ``to_json()`` shape (keys always present; lists in file order)::

        {
          "source": "makers.csv",          # the file name as given
          "format": "csv",                 # "csv" | "xlsx" | "ods"
          "dry_run": false,                # true: validated and compared, nothing written
          "counts": {"rows": 12, "created": 5, "updated": 2, "unchanged": 3, "rejected": 2,
                     "notes": 3,           # remarks on imported rows, all together
                     "renamed": 1},        # of them: rows found to rename a listed maker
          "makers": [                      # one entry per imported row
            {"line": 2, "id": "vg-014", "id_generated": false, "name": "Ekdahls Snickeri",
             "outcome": "updated",         # "created" | "updated" | "unchanged"
             "changed": ["email", "phone"],  # fields that differ; [] unless "updated"
             "notes": [                    # [] when nothing to remark; the row IS imported
               {"column": "materials", "value": "jeresy", "code": "word_suggestion",
                "params": {"suggestion": "jersey"},
                "reason": "\\"jeresy\\" is not a word we know — did you mean \\"jersey\\"? …"}
             ]}
          ],
          "rejected": [                    # one entry per rejected row, nothing of it stored
            {"line": 5, "id": "vg-017", "name": "Glas & Form",   # id/name "" when empty
             "problems": [
               {"column": "municipality",  # a catalogue column name (English)
                "value": "Sundby",         # the offending cell or list item
                "code": "place_ambiguous", # stable key for translated messages
                "params": {"candidates": "…", "example": "…"},
                "reason": "\\"Sundby\\" matches several places (…); write it as \\"…\\""}
             ]}
          ],
          "ignored_columns": ["Anteckningar"]  # header cells that are no catalogue column
        }

    Note codes (the row is imported): ``renamed`` (a row without an id that looks like a listed
    maker of the same place renamed updates that maker, keeping its id; ``params``: ``old_name``,
    ``id``), ``word_unknown`` and ``word_suggestion`` (a materials or
    processes word the taxonomy does not know, kept as the maker's own word; ``suggestion``
    is the closest known word), ``volume_unknown`` (kept as written), ``email_invalid`` and
    ``phone_invalid`` (kept as typed), ``url_invalid`` (left out), ``status_unknown`` (the
    listing keeps its status; a new maker is listed). Problem codes (the row is rejected):
    ``required``, ``place_not_found``, ``place_corrected``, ``place_ambiguous``,
    ``place_is_county``, ``duplicate_id``, ``possible_rename`` (a row without an id that may be
    one or several listed makers renamed, not clearly; ``params.candidates`` names them; the
    row's ``id`` is ""), ``invalid_value``, and in the chat ``other_hub``.

    Line numbers are spreadsheet row numbers: the header is line 1 unless rows precede it.
    A file that cannot be used at all gives ``error_json()`` instead:
    ``{"source": "makers.csv", "error": {"code": "no_header", "reason": "…"}}``.
    """

    source: str
    format: CatalogueFormat
    dry_run: bool
    rows: tuple[RowResult, ...]
    rejected: tuple[RejectedRow, ...]
    ignored_columns: tuple[str, ...] = ()

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def all_accepted(self) -> bool:
        return not self.rejected

    @property
    def notes(self) -> list[tuple[int, Note]]:
        """Every note with its line, in file order."""
        return [(row.line, note) for row in self.rows for note in row.notes]

    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows) + len(self.rejected),
            **{outcome.value: self.count(outcome) for outcome in Outcome},
            "rejected": len(self.rejected),
            "notes": len(self.notes),
            "renamed": sum(1 for _, note in self.notes if note.code == "renamed"),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format.value,
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "makers": [
                {
                    "line": row.line,
                    "id": row.external_id,
                    "id_generated": row.id_generated,
                    "name": row.name,
                    "outcome": row.outcome.value,
                    "changed": list(row.changed),
                    "notes": [_remark(note) for note in row.notes],
                }
                for row in self.rows
            ],
            "rejected": [
                {
                    "line": row.line,
                    "id": row.external_id,
                    "name": row.name,
                    "problems": [_remark(problem) for problem in row.problems],
                }
                for row in self.rejected
            ],
            "ignored_columns": list(self.ignored_columns),
        }

    def to_text(self) -> str:
        """A summary line, then one line per problem: ``line 5, email: "x@" is not …``."""
        counts = self.counts()
        t = OperatorTexts()
        summary = t.plain(
            "import.rows",
            source=self.source,
            count=counts["rows"],
            created=counts["created"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            rejected=counts["rejected"],
            notes=counts["notes"],
        )
        lines = [summary + (" (dry run: nothing written)" if self.dry_run else "")]
        generated = [row for row in self.rows if row.id_generated]
        if generated:
            gets = "would get" if self.dry_run else "got"
            lines.append(t.plain("import.generated", count=len(generated), gets=gets))
        if self.ignored_columns:
            lines.append("Ignored columns: " + ", ".join(self.ignored_columns))
        if self.notes:
            imported = "would be imported" if self.dry_run else "were imported"
            lines.append(f"Notes (these rows {imported} as written):")
        for line, note in self.notes:
            lines.append(f"  line {line}, {note.column.value}: {note.reason}")
        if self.rejected:
            lines.append("Rejected (nothing from these rows was stored):")
        for row in self.rejected:
            for problem in row.problems:
                lines.append(f"  line {row.line}, {problem.column.value}: {problem.reason}")
        return "\n".join(lines)


def _remark(remark: Note | Problem) -> dict[str, Any]:
    return {
        "column": remark.column.value,
        "value": remark.value,
        "code": remark.code,
        "params": dict(remark.params),
        "reason": remark.reason,
    }


def error_json(source: str, error: CatalogueFileError) -> dict[str, Any]:
    """The ``--json`` output for a file that cannot be used at all."""
    return {"source": source, "error": {"code": error.code, "reason": error.reason}}
