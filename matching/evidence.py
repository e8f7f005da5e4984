"""Where each maker's listing shows what it shows: kept compactly beside the index.

For every maker, a handful of (concept or variant, text, first word, last word) entries,
found once when the listing is read (:mod:`matching.listing`). Built rows live in flat numpy
arrays (about 16 bytes an entry); rows changed later are kept in a small dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

Entry = tuple[str, int, int, int]  # key, text number, first and last token


class EvidenceStore:
    def __init__(self, keys: Sequence[str]) -> None:
        self._keys = tuple(keys)
        self._key_index = {key: i for i, key in enumerate(self._keys)}
        self._pending: list[tuple[int, int, int, int, int]] = []  # row, key, text, first, last
        self._offsets = np.zeros(1, dtype=np.int64)
        self._data = np.zeros((0, 4), dtype=np.int32)
        self._changed: dict[int, tuple[Entry, ...]] = {}

    def append(self, row: int, entries: Iterable[Entry]) -> None:
        """While building: add ``row``'s entries (rows in increasing order)."""
        index = self._key_index
        self._pending.extend((row, index[k], s, f, last) for k, s, f, last in entries)

    def freeze(self) -> None:
        """Turn the rows appended so far into flat arrays."""
        if not self._pending:
            return
        pending = np.array(self._pending, dtype=np.int32)
        self._pending = []
        rows = pending[:, 0]
        self._offsets = np.concatenate(
            ([0], np.cumsum(np.bincount(rows, minlength=int(rows.max()) + 1)))
        ).astype(np.int64)
        self._data = np.ascontiguousarray(pending[:, 1:])

    def replace(self, row: int, entries: Iterable[Entry]) -> None:
        self._changed[row] = tuple(entries)

    def get(self, row: int) -> tuple[Entry, ...]:
        changed = self._changed.get(row)
        if changed is not None:
            return changed
        if row + 1 >= self._offsets.size:
            return ()
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        keys = self._keys
        return tuple(
            (keys[key], int(text), int(first), int(last))
            for key, text, first, last in self._data[start:end]
        )
