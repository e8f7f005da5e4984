"""The CPU-heavy half of a catalogue upload in the chat: read the file, validate and plan every
row against a snapshot of the catalogue, and fingerprint the plan.

:func:`parse_upload` is a pure function of its arguments (no database, no event loop, nothing
kept between calls), and everything it takes and returns pickles, so the desk runs it in a
worker process (:mod:`services.catalogue.worker`) while the bot goes on answering everyone
else. The desk reads the snapshot before and writes the plan after, on the event loop.

What comes back is made cheap to take in on the event loop: the dry run needs only the report
and the fingerprint; Apply also needs the rows to write, and 20,000 pydantic models unpickled
at once hold the interpreter for over a second (in pauses of up to 400 ms), so they come as
plain values pickled :data:`BATCH` rows at a time, for :meth:`ParsedUpload.makers_in` to take
in a batch per turn of the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import configure_mappers

from services.catalogue.importer import ImportPlan, RowScope, plan_rows
from services.catalogue.limits import CatalogueFileError, ReadLimits
from services.catalogue.reader import read_catalogue_bytes
from services.catalogue.report import ImportReport
from services.catalogue.validation import RowValidator
from storage.models import Maker, MakerCreate

__all__ = ["BATCH", "ParsedUpload", "fingerprint", "parse_upload"]

BATCH = 500  # planned rows per pickled batch


@dataclass(frozen=True, slots=True)
class ParsedUpload:
    """The dry run of an upload (its report, in the plan's order), its fingerprint (what the
    Apply button's token holds) and, when asked for, the rows to write."""

    report: ImportReport
    fingerprint: str
    planned: tuple[bytes, ...] = ()  # the rows' MakerCreate values, pickled a batch each

    async def makers_in(self) -> list[MakerCreate]:
        """The rows to write, in the report's order, a batch per turn of the event loop."""
        makers: list[MakerCreate] = []
        for batch in self.planned:
            values: list[dict[str, Any]] = pickle.loads(batch)
            makers += (MakerCreate.model_construct(**row) for row in values)  # validated
            await asyncio.sleep(0)
        return makers


def parse_upload(
    data: bytes,
    *,
    source: str,
    limits: ReadLimits,
    listed: Sequence[Mapping[str, Any]],
    scope: RowScope | None,
    with_rows: bool = False,
) -> ParsedUpload | CatalogueFileError:
    """The plan of importing ``data`` (a file called ``source``) into the catalogue that
    ``listed`` holds (:func:`storage.repositories.makers.maker_values`), within ``limits``,
    with the rows to write if ``with_rows``, or why the file cannot be used at all.
    ``scope`` must pickle (a module-level class)."""
    try:
        table = read_catalogue_bytes(data, name=source, limits=limits)
    except CatalogueFileError as error:
        return error
    configure_mappers()  # a fresh worker process has not used the ORM yet
    existing = [Maker.model_construct(**values) for values in listed]
    plan = plan_rows(
        table, existing=existing, source=source, validator=RowValidator.default(), scope=scope
    )
    planned: tuple[bytes, ...] = ()
    if with_rows:
        values = [item.maker_in.model_dump() for item in plan.makers]
        planned = tuple(
            pickle.dumps(values[start : start + BATCH]) for start in range(0, len(values), BATCH)
        )
    return ParsedUpload(plan.report, fingerprint(plan), planned)


def fingerprint(plan: ImportPlan) -> str:
    """What applying the plan would write and reject, in 80 bits: equal plans, equal prints."""
    content = {
        "makers": [
            [item.result.outcome.value, item.maker_in.model_dump(mode="json")]
            for item in plan.makers
        ],
        "rejected": [[row.line, [p.code for p in row.problems]] for row in plan.report.rejected],
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]
