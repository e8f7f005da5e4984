"""The result of planning or applying an import, as text for operators and as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.catalogue.reader import CatalogueFileError, CatalogueFormat
from services.catalogue.validation import RejectedRow
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


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (``dry_run=False``) or would do (``dry_run=True``).

    ``to_json()`` shape (keys always present; lists in file order)::

        {
          "source": "makers.csv",          # the file name as given
          "format": "csv",                 # "csv" | "xlsx"
          "dry_run": false,                # true: validated and compared, nothing written
          "counts": {"rows": 12, "created": 5, "updated": 2, "unchanged": 3, "rejected": 2},
          "makers": [                      # one entry per accepted row
            {"line": 2, "id": "vg-014", "id_generated": false, "name": "Ekdahls Snickeri",
             "outcome": "updated",         # "created" | "updated" | "unchanged"
             "changed": ["email", "phone"]}  # fields that differ; [] unless "updated"
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

    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows) + len(self.rejected),
            **{outcome.value: self.count(outcome) for outcome in Outcome},
            "rejected": len(self.rejected),
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
                }
                for row in self.rows
            ],
            "rejected": [
                {
                    "line": row.line,
                    "id": row.external_id,
                    "name": row.name,
                    "problems": [
                        {
                            "column": problem.column.value,
                            "value": problem.value,
                            "code": problem.code,
                            "params": dict(problem.params),
                            "reason": problem.reason,
                        }
                        for problem in row.problems
                    ],
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
        )
        lines = [summary + (" (dry run: nothing written)" if self.dry_run else "")]
        generated = [row for row in self.rows if row.id_generated]
        if generated:
            gets = "would get" if self.dry_run else "got"
            lines.append(t.plain("import.generated", count=len(generated), gets=gets))
        if self.ignored_columns:
            lines.append("Ignored columns: " + ", ".join(self.ignored_columns))
        if self.rejected:
            lines.append("Rejected (nothing from these rows was stored):")
        for row in self.rejected:
            for problem in row.problems:
                lines.append(f"  line {row.line}, {problem.column.value}: {problem.reason}")
        return "\n".join(lines)


def error_json(source: str, error: CatalogueFileError) -> dict[str, Any]:
    """The ``--json`` output for a file that cannot be used at all."""
    return {"source": source, "error": {"code": error.code, "reason": error.reason}}
