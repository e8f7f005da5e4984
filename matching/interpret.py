"""Free text in Swedish or English → taxonomy concepts, each with a confidence and its words.

A word is tried, in order of certainty:

1. as a taxonomy term or a multi-word phrase ("rostfritt stål", "laser cutting");
2. by its stem, after stripping a Swedish or English inflection ("stickade" → "stick");
3. as a compound: a known head followed by a known word or term ("ekbord" → ek + bord,
   "plåtdetaljer" → plåt + detaljer, "mässingsbeslag" with the linking s);
4. fuzzily with rapidfuzz, for typos ("svetsnig", "keramk"), with stricter cut-offs for
   shorter words.

A word that maps to several concepts ("mattor": weaving or tufting) forms one *group* of
alternatives; a maker fits the group when it fits any of them. Words that map to nothing and
are not stop words are kept as *free words* for matching against makers' own descriptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from matching.taxonomy import Concept, ConceptKind, concept_by_code, concepts
from matching.text import fold
from matching.vocabulary import NOUN_TAILS, STOP_WORDS

EXACT = 1.0
STEM = 0.95
COMPOUND = 0.9
FUZZY_SCALE = 0.9  # a fuzzy hit's confidence is its similarity (0..1) times this

_SUFFIXES = tuple(
    sorted(
        (
            "ningarna ningar ningen ning erna arna orna andet ande ende heten ade are ast "
            "an en et er ar or na ad at a e t s ings ing ed es ers"
        ).split(),
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 4
_WORD = re.compile(r"\w+")


def stem(word: str) -> str:
    """Strip one Swedish or English inflection, keeping at least four letters.

    >>> stem("stickade"), stem("svetsning"), stem("laser"), stem("glasblasta")
    ('stick', 'svets', 'laser', 'glasblast')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class ConceptHit:
    """One taxonomy concept found in a text."""

    code: str
    kind: ConceptKind
    confidence: float  # 0..1
    words: tuple[str, ...]  # the words of the text that caused it, as typed


@dataclass(frozen=True, slots=True)
class HitGroup:
    """Alternatives found for the same words: a maker fits when it fits any of them."""

    hits: tuple[ConceptHit, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return self.hits[0].words


@dataclass(frozen=True, slots=True)
class Interpretation:
    text: str
    groups: tuple[HitGroup, ...]
    free_words: tuple[str, ...] = ()  # folded content words that mapped to no concept
    content_words: tuple[str, ...] = ()  # folded content words and compound parts

    def _best(self, kind: ConceptKind) -> tuple[ConceptHit, ...]:
        best: dict[str, ConceptHit] = {}
        for group in self.groups:
            for hit in group.hits:
                if hit.kind is kind and (
                    hit.code not in best or hit.confidence > best[hit.code].confidence
                ):
                    best[hit.code] = hit
        return tuple(sorted(best.values(), key=lambda h: (-h.confidence, h.code)))

    @property
    def materials(self) -> tuple[ConceptHit, ...]:
        return self._best(ConceptKind.MATERIAL)

    @property
    def processes(self) -> tuple[ConceptHit, ...]:
        return self._best(ConceptKind.PROCESS)

    @property
    def is_empty(self) -> bool:
        return not self.groups


@dataclass(frozen=True, slots=True)
class _TokenMatch:
    codes: tuple[tuple[str, float], ...]  # (concept code, confidence)
    parts: tuple[str, ...] = ()  # compound parts, for matching makers' own words
    extra: tuple[tuple[str, float], ...] = field(default=())  # material heads of compounds


class Interpreter:
    """Maps text onto a taxonomy. Build once (see :func:`default_interpreter`); thread-safe."""

    def __init__(self, taxonomy: Iterable[Concept]) -> None:
        self._concepts = {c.code: c for c in taxonomy}
        self._single: dict[str, set[str]] = {}
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        for concept in self._concepts.values():
            for term in concept.terms:
                folded = fold(term)
                if not folded:
                    continue
                parts = tuple(folded.split())
                if len(parts) == 1:
                    self._single.setdefault(parts[0], set()).add(concept.code)
                else:
                    self._phrases.setdefault(parts, set()).add(concept.code)
                    self._single.setdefault("".join(parts), set()).add(concept.code)
        self._stems: dict[str, set[str]] = {}
        for term, codes in self._single.items():
            if len(term) >= _MIN_STEM + 1:
                self._stems.setdefault(stem(term), set()).update(codes)
        self._fuzzy_choices = tuple(t for t in self._single if len(t) >= 4)
        self._phrase_choices = tuple(" ".join(p) for p in self._phrases)
        self._max_phrase = max((len(p) for p in self._phrases), default=1)
        self._material_codes = {
            code for code, c in self._concepts.items() if c.kind is ConceptKind.MATERIAL
        }
        self._token = lru_cache(maxsize=200_000)(self._match_token)

    # -- public -----------------------------------------------------------------------------

    def interpret(self, text: str, *, fuzzy: bool = True) -> Interpretation:
        """Find the taxonomy concepts in ``text``.

        >>> hits = default_interpreter().interpret("Laserskurna plåtdetaljer i rostfritt stål")
        >>> sorted(h.code for h in hits.processes)
        ['laser_cutting', 'sheet_bending']
        >>> [h.code for h in hits.materials]
        ['metal']
        """
        originals = [w for w in _WORD.findall(text or "") if fold(w)]
        folded = [fold(w).replace(" ", "") for w in originals]
        used = [False] * len(folded)
        groups: list[HitGroup] = []
        content: list[str] = []

        def add(codes: Iterable[tuple[str, float]], words: tuple[str, ...]) -> None:
            hits = tuple(
                ConceptHit(code, self._concepts[code].kind, round(conf, 3), words)
                for code, conf in sorted(codes, key=lambda cc: (-cc[1], cc[0]))
            )
            if hits:
                groups.append(HitGroup(hits))

        # Multi-word phrases first, longest first, so "steam bending" is not read as "bending";
        # exact phrases before fuzzy ones, and a fuzzy phrase never spans a stop word.
        for fuzzy_pass in (False, True) if fuzzy else (False,):
            for size in range(self._max_phrase, 1, -1):
                for start in range(len(folded) - size + 1):
                    key = tuple(folded[start : start + size])
                    if any(used[start : start + size]):
                        continue
                    codes, confidence = self._phrase(key, fuzzy_pass)
                    if codes:
                        for i in range(start, start + size):
                            used[i] = True
                        words = tuple(originals[start : start + size])
                        add(((c, confidence) for c in codes), words)
                        content.extend(key)

        free: list[str] = []
        for i, word in enumerate(folded):
            if used[i] or word in STOP_WORDS or word.isdigit():
                continue
            match = self._token(word) if fuzzy else self._match_token(word, fuzzy=False)
            content.append(word)
            content.extend(match.parts)
            if match.codes:
                add(match.codes, (originals[i],))
            if match.extra:
                add(match.extra, (originals[i],))
            if not match.codes and not match.extra:
                free.append(word)
        return Interpretation(
            text=text,
            groups=self._settle(groups),
            free_words=tuple(dict.fromkeys(free)),
            content_words=tuple(dict.fromkeys(w for w in content if w not in STOP_WORDS)),
        )

    def _phrase(self, key: tuple[str, ...], fuzzy: bool) -> tuple[set[str], float]:
        if not fuzzy:
            return self._phrases.get(key, set()), EXACT
        if any(w in STOP_WORDS for w in key) or sum(map(len, key)) < 8:
            return set(), 0.0
        found = process.extractOne(
            " ".join(key), self._phrase_choices, scorer=fuzz.ratio, score_cutoff=88
        )
        if found is None:
            return set(), 0.0
        return self._phrases[tuple(found[0].split())], FUZZY_SCALE * found[1] / 100

    def _settle(self, groups: list[HitGroup]) -> tuple[HitGroup, ...]:
        """Merge groups naming the same concepts; narrow ambiguous ones by the materials named.

        "gjuta i betong" reads "gjuta" as metal, concrete or slip casting; "betong" settles it.
        """
        materials = {
            hit.code
            for group in groups
            if len(group.hits) == 1
            for hit in group.hits
            if hit.kind is ConceptKind.MATERIAL
        }
        merged: dict[frozenset[str], HitGroup] = {}
        for group in groups:
            hits = group.hits
            if len(hits) > 1 and materials:
                fitting = tuple(
                    h for h in hits if materials & set(self._concepts[h.code].materials)
                )
                hits = fitting or hits
            key = frozenset(h.code for h in hits)
            if key in merged:
                hits = _merge_hits(merged[key].hits, hits)
            merged[key] = HitGroup(hits)
        return tuple(merged.values())

    def concept_weights(self, text: str) -> dict[str, float]:
        """Every concept in a maker's text with its best confidence (all alternatives count)."""
        weights: dict[str, float] = {}
        for group in self.interpret(text).groups:
            for hit in group.hits:
                if hit.confidence > weights.get(hit.code, 0.0):
                    weights[hit.code] = hit.confidence
        return weights

    # -- words ------------------------------------------------------------------------------

    def _lookup(self, word: str) -> tuple[set[str], float]:
        if word in self._single:
            return self._single[word], EXACT
        if len(word) >= _MIN_STEM + 1:
            codes = self._stems.get(stem(word))
            if codes:
                return codes, STEM
        return set(), 0.0

    def _match_token(self, word: str, fuzzy: bool = True) -> _TokenMatch:
        codes, confidence = self._lookup(word)
        if codes:
            head = self._material_head(word)
            extra = tuple((c, COMPOUND) for c in head if c not in codes)
            return _TokenMatch(tuple((c, confidence) for c in codes), extra=extra)
        compound = self._split_compound(word)
        if compound is not None:
            return compound
        if fuzzy and len(word) >= 5:
            cutoff = 86 if len(word) <= 6 else 82
            found = process.extractOne(
                word, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if found is not None:
                conf = FUZZY_SCALE * found[1] / 100
                return _TokenMatch(tuple((c, conf) for c in self._single[found[0]]))
        return _TokenMatch(())

    def _material_head(self, word: str) -> set[str]:
        """Materials that start a compound term: "plåt" in "plåtdetaljer"."""
        for cut in range(len(word) - 3, 2, -1):
            head = word[:cut]
            codes = self._single.get(head, set()) & self._material_codes
            if codes:
                return codes
        return set()

    def _split_compound(self, word: str) -> _TokenMatch | None:
        for cut in range(len(word) - 3, 1, -1):
            head, tail = word[:cut], word[cut:]
            head_codes, _ = self._lookup(head)
            if not head_codes:
                continue
            tails = [tail] + ([tail[1:]] if tail.startswith("s") and len(tail) > 4 else [])
            for candidate in tails:
                tail_codes, tail_conf = self._lookup(candidate)
                known_tail = candidate in NOUN_TAILS or bool(tail_codes)
                if len(head) < 4 and not known_tail:
                    continue
                if len(candidate) < 3:
                    continue
                found = [(c, COMPOUND) for c in head_codes]
                found += [(c, COMPOUND * tail_conf) for c in tail_codes if c not in head_codes]
                return _TokenMatch(tuple(found), parts=(head, candidate))
        return None


def _merge_hits(
    first: tuple[ConceptHit, ...], second: tuple[ConceptHit, ...]
) -> tuple[ConceptHit, ...]:
    by_code = {h.code: h for h in first}
    for hit in second:
        old = by_code.get(hit.code)
        if old is None:
            by_code[hit.code] = hit
            continue
        words = tuple(dict.fromkeys(old.words + hit.words))
        by_code[hit.code] = ConceptHit(
            hit.code, hit.kind, max(old.confidence, hit.confidence), words
        )
    return tuple(sorted(by_code.values(), key=lambda h: (-h.confidence, h.code)))


@cache
def default_interpreter() -> Interpreter:
    """The interpreter over the built-in taxonomy, built once per process."""
    return Interpreter(concepts())


def concept_label(code: str, language: str = "sv") -> str:
    return concept_by_code()[code].name(language)
