"""How much of a catalogue file is read at most, and the error for a file that cannot be used.

The limits bound the memory and time one upload can take (a 20,000-row catalogue is larger
than any hub's; a few hundred makers are usual). The Telegram upload passes its own
:class:`ReadLimits`; the command line uses :data:`DEFAULT_LIMITS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.catalogue import messages

MB = 1_000_000


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """``unpacked_bytes``: an XLSX or ODS file's members decompressed, all together (checked
    before any parser sees the file); ``rows`` and ``cells``: per sheet, counting up to the
    last filled row and column (a spreadsheet reader holds that whole rectangle in memory);
    ``csv_bytes``: a CSV file's size."""

    unpacked_bytes: int = 50 * MB
    rows: int = 20_000
    cells: int = 400_000
    csv_bytes: int = 20 * MB


DEFAULT_LIMITS = ReadLimits()


class CatalogueFileError(Exception):
    """The file cannot be used as a catalogue at all; ``code`` keys the catalogue texts'
    ``file`` section, ``params`` fill its placeholders."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(messages.reason("file", code, params))

    @property
    def reason(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[object, ...]:
        # Made again from its code and params when it comes back from a worker process
        # (an exception pickles its ``args``, here the worded reason, by default).
        return (_file_error, (self.code, self.params))


def _file_error(code: str, params: dict[str, str]) -> CatalogueFileError:
    return CatalogueFileError(code, **params)


def count(number: int) -> str:
    """A count as Swedes and the English both read it: ``20 000``."""
    return f"{number:,}".replace(",", " ")


def megabytes(size: int) -> str:
    """A limit as coordinators read it: ``50``, or ``0.5`` for a small test limit."""
    value = size / MB
    return f"{value:g}"
