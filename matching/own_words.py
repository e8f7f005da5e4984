"""The makers' own words: an inverted index for what the taxonomy does not know.

"lampskärmar", "arbetskläder", "kassadisk": a designer's word that names no material or
process may still be exactly what a maker wrote. Every maker's words are kept in posting
lists; a request word finds the makers whose words say the same — the word itself, an
inflection, a compound ending in it, its everyday translation, or (for unknown words) a
close spelling.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process

from matching.interpret import Interpretation, stem
from matching.vocabulary import PRODUCT_TRANSLATIONS, PRODUCT_WORDS

FUZZY_CUTOFF = 88
MIN_COMPOUND_TAIL = 4  # a request word of this length or more also finds compounds ending in it
MIN_COMPOUND_HEAD = 3  # a compound's first part has at least this many letters
KNOWN_WORD_WEIGHT = 0.5  # words that also named a concept already count in the capability

# Product nouns ending in a shorter one ("vaskor" ends in "skor"): a compound ending in the
# longer one does not end in the shorter word.
_LONGER_PRODUCTS: dict[str, tuple[str, ...]] = {}
for _short in PRODUCT_WORDS:
    for _long in PRODUCT_WORDS:
        if len(_long) > len(_short) and _long.endswith(_short):
            _LONGER_PRODUCTS.setdefault(_short, ())
            _LONGER_PRODUCTS[_short] += (_long,)

# (request word, maker's word, which rows have it)
WordHit = tuple[str, str, np.ndarray]


class OwnWords:
    """Posting lists from folded word to index rows; rows are the maker index's rows."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._arrays: dict[str, np.ndarray] = {}  # postings as arrays, made on first use
        self._by_stem: dict[str, set[str]] = {}
        self._by_tail: dict[str, set[str]] = {}  # "inredning" → {"butiksinredning", …}
        self._choices: tuple[str, ...] | None = None  # the vocabulary, for fuzzy lookups

    def add(self, row: int, words: Iterable[str]) -> None:
        for word in words:
            postings = self._postings.get(word)
            if postings is None:
                self._postings[word] = [row]
                self._by_stem.setdefault(stem(word), set()).add(word)
                for cut in range(3, len(word) - MIN_COMPOUND_TAIL + 1):
                    self._by_tail.setdefault(word[cut:], set()).add(word)
                self._choices = None
            else:
                postings.append(row)
                if self._arrays:
                    self._arrays.pop(word, None)

    def drop(self, row: int, words: Iterable[str]) -> None:
        for word in words:
            postings = self._postings.get(word)
            if postings is None:
                continue
            try:
                postings.remove(row)  # one scan of the list, not two
            except ValueError:
                continue
            self._arrays.pop(word, None)

    def scores(self, n: int, interpretation: Interpretation) -> tuple[np.ndarray, list[WordHit]]:
        """Share of the request's content words found among each maker's own words."""
        scores = np.zeros(n, dtype=np.float32)
        hits: list[WordHit] = []
        words = interpretation.content_words
        if not words:
            return scores, hits
        free = set(interpretation.free_words)
        weights = {word: (1.0 if word in free else KNOWN_WORD_WEIGHT) for word in words}
        weight_sum = sum(weights.values())
        for word in words:
            matched = np.zeros(n, dtype=bool)
            for vocab_word in self._matches(word, fuzzy=word in free):
                rows = self._rows(vocab_word)
                rows = rows[rows < n]
                if rows.size:
                    found = np.zeros(n, dtype=bool)
                    found[rows] = True
                    matched |= found
                    hits.append((word, vocab_word, found))
            scores += matched * np.float32(weights[word] / weight_sum)
        return scores, hits

    def rows_with_any(self, n: int, words: Iterable[str]) -> np.ndarray:
        """Which of the first ``n`` rows have any of ``words`` (or their inflections)."""
        found = np.zeros(n, dtype=bool)
        for word in words:
            for vocab_word in self._matches(word, fuzzy=False):
                rows = self._rows(vocab_word)
                found[rows[rows < n]] = True
        return found

    def _matches(self, word: str, *, fuzzy: bool) -> set[str]:
        found: set[str] = set()
        for alternative in (word, *sorted(PRODUCT_TRANSLATIONS.get(word, ()))):
            found.add(alternative)
            if len(alternative) >= 5:
                found.update(self._by_stem.get(stem(alternative), ()))
            if len(alternative) >= MIN_COMPOUND_TAIL:
                # "skor" ends "aftonväskor" only as part of "väskor": not a compound of it.
                blockers = _LONGER_PRODUCTS.get(alternative, ())
                found.update(
                    compound
                    for compound in self._by_tail.get(alternative, ())
                    if not any(compound.endswith(longer) for longer in blockers)
                )
        found = {v for v in found if self._postings.get(v)}
        if fuzzy and not found:
            # A compound nobody wrote is found by its last part, the thing itself:
            # "serveringsbrickor" by "brickor", "arbetsbyxor" by "byxor".
            for cut in range(MIN_COMPOUND_HEAD, len(word) - MIN_COMPOUND_TAIL + 1):
                tail = word[cut:]
                if self._postings.get(tail):
                    found.add(tail)
                    break
        if fuzzy and len(word) >= 5 and not found:
            if self._choices is None:
                self._choices = tuple(self._postings)
            for choice, _score, _ in process.extract(
                word, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                if self._postings.get(choice):
                    found.add(choice)
        return found

    def _rows(self, word: str) -> np.ndarray:
        array = self._arrays.get(word)
        if array is None:
            array = np.fromiter(self._postings.get(word, ()), dtype=np.int64)
            self._arrays[word] = array
        return array
