"""Demo data: the bundled catalogue of fictional makers, loaded through the ordinary importer."""

from __future__ import annotations

from importlib.resources import files

from sqlmodel.ext.asyncio.session import AsyncSession

from services.catalogue.importer import import_catalogue
from services.catalogue.reader import CatalogueTable, read_catalogue_bytes
from services.catalogue.report import ImportReport
from services.catalogue.validation import RowValidator

DEMO_CATALOGUE_NAME = "demo_makers.csv"


def demo_catalogue() -> CatalogueTable:
    """The bundled demo catalogue (``services/data/demo_makers.csv``), read and parsed."""
    return read_catalogue_bytes((files("services") / "data" / DEMO_CATALOGUE_NAME).read_bytes())


async def seed_demo(
    *, session: AsyncSession, dry_run: bool = False, validator: RowValidator | None = None
) -> ImportReport:
    """Import the demo catalogue; idempotent like every import (a second run changes nothing)."""
    return await import_catalogue(
        demo_catalogue(),
        session=session,
        source=DEMO_CATALOGUE_NAME,
        dry_run=dry_run,
        validator=validator,
    )
