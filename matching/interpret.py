"""Free text in Swedish or English → taxonomy concepts, each with a confidence and its words.

A word is tried, in order of certainty:

1. as a taxonomy term or a multi-word phrase ("rostfritt stål", "laser cutting");
2. by its stem, after stripping a Swedish or English inflection ("stickade" → "stick");
3. as a compound: a known head followed by a known word or term ("ekbord" → ek + bord,
   "plåtdetaljer" → plåt + detaljer, "mässingsbeslag" with the linking s);
4. fuzzily with rapidfuzz, for typos ("svetsnig", "keramk"), with stricter cut-offs for
   shorter words.

A word that maps to several concepts ("gjutning": metal, concrete or slip casting; "bok":
beech or book) forms one *group* of alternatives; a maker fits the group when it fits any of
them, and a material named elsewhere in the text settles it. Words that map to nothing and
are not stop words are kept as *free words* for matching against makers' own descriptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial

from rapidfuzz import fuzz, process

from matching.taxonomy import Concept, ConceptKind, concept_by_code, concepts
from matching.text import fold, words
from matching.vocabulary import NOUN_TAILS, STOP_WORDS

EXACT = 1.0
STEM = 0.95
LONG_HEAD = 6  # a compound's first part this long ("keramik", "mässing") may precede any word
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


_RawGroup = tuple[dict[str, float], tuple[int, ...]]  # concept → confidence, token positions


@dataclass(frozen=True, slots=True)
class _TokenMatch:
    codes: tuple[tuple[str, float], ...]  # (concept code, confidence)
    parts: tuple[str, ...] = ()  # compound parts, for matching makers' own words
    extra: tuple[tuple[str, float], ...] = field(default=())  # material heads of compounds
    code_map: dict[str, float] = field(init=False, compare=False)  # ``codes`` as a dict; read-only

    extra_map: dict[str, float] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code_map", dict(self.codes))
        object.__setattr__(self, "extra_map", dict(self.extra))


_SKIP = _TokenMatch(())  # stop words and numbers


@dataclass(frozen=True, slots=True)
class _Reading:
    """One maker text read the lean way (cached per distinct text)."""

    groups: list[_RawGroup]
    content: tuple[str, ...]  # content words, possibly repeated
    ambiguous: bool  # a group still has alternatives, to settle against the other texts
    weights: dict[str, float]  # concept → best confidence; read-only


def _best_weights(groups: list[_RawGroup]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for codes, _ in groups:
        for code, conf in codes.items():
            if conf > weights.get(code, 0.0):
                weights[code] = conf
    return weights


class Interpreter:
    """Maps text onto a taxonomy. Build once (see :func:`default_interpreter`); thread-safe."""

    def __init__(self, taxonomy: Iterable[Concept]) -> None:
        self._concepts = {c.code: c for c in taxonomy}
        self._single: dict[str, set[str]] = {}
        self._phrases: dict[tuple[str, ...], set[str]] = {}
        for concept in self._concepts.values():
            for term in (concept.sv, concept.en, *concept.terms):
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
        self._phrase_first = {phrase[0] for phrase in self._phrases}
        self._token = lru_cache(maxsize=200_000)(self._match_token)
        self._exact_token = lru_cache(maxsize=200_000)(partial(self._match_token, fuzzy=False))
        self._fuzzy_phrase_cached = lru_cache(maxsize=20_000)(self._fuzzy_phrase_lookup)
        self._read_cached = lru_cache(maxsize=50_000)(self._read_text)

    # -- public -----------------------------------------------------------------------------

    def interpret(self, text: str, *, fuzzy: bool = True) -> Interpretation:
        """Find the taxonomy concepts in ``text``.

        >>> hits = default_interpreter().interpret("Laserskurna plåtdetaljer i rostfritt stål")
        >>> sorted(h.code for h in hits.processes)
        ['laser_cutting', 'sheet_bending']
        >>> [h.code for h in hits.materials]
        ['metal']
        """
        originals: list[str] = []
        tokens: list[str] = []
        for word in _WORD.findall(text or ""):
            for token in fold(word).split():
                originals.append(word)
                tokens.append(token)
        groups, free, content = self._read(tokens, fuzzy=fuzzy)
        built = []
        for codes, positions in groups:
            words = tuple(dict.fromkeys(originals[i] for i in positions))
            built.append(
                HitGroup(
                    tuple(
                        ConceptHit(code, self._concepts[code].kind, round(conf, 3), words)
                        for code, conf in sorted(codes.items(), key=lambda cc: (-cc[1], cc[0]))
                    )
                )
            )
        return Interpretation(
            text=text, groups=tuple(built), free_words=free, content_words=content
        )

    def analyse(self, *texts: str) -> tuple[dict[str, float], tuple[str, ...]]:
        """A maker's texts: each concept with its best confidence, and the content words.

        The lean path used when indexing makers: exact and stem matching only (a catalogue is
        proofread; a designer's message is not) and no per-word objects. Each text is read
        once and cached, so catalogue cells that recur ("ek", "CNC-fräsning") cost nothing;
        ambiguous words are then settled across all the texts together. The returned dict
        may be shared with the cache: read it, do not change it.
        """
        readings = [self._read_cached(text) for text in texts]
        if any(reading.ambiguous for reading in readings) and len(readings) > 1:
            groups = [group for reading in readings for group in reading.groups]
            weights = _best_weights(self._settle(groups, merge=False))
        elif len(readings) == 1:
            weights = readings[0].weights
        else:
            weights = {}
            for reading in readings:
                for code, conf in reading.weights.items():
                    if conf > weights.get(code, 0.0):
                        weights[code] = conf
        content = tuple(word for reading in readings for word in reading.content)
        return weights, content

    def analyse_listing(
        self,
        listed: Sequence[str],
        described: Sequence[str],
        *,
        listed_weight: float,
        described_weight: float,
    ) -> tuple[dict[str, float], set[str]]:
        """:meth:`analyse` for a maker in one pass: the listed cells at ``listed_weight``, the
        description (and name) at ``described_weight``; each concept's best weighted
        confidence, and all content words. Indexing 100,000 makers calls this 100,000 times."""
        read = self._read_cached
        result: dict[str, float] = {}
        content: set[str] = set()
        for texts, weight in ((listed, listed_weight), (described, described_weight)):
            readings = [read(text) for text in texts if text]
            if len(readings) > 1 and any(reading.ambiguous for reading in readings):
                groups = [group for reading in readings for group in reading.groups]
                found = [_best_weights(self._settle(groups, merge=False))]
            else:
                found = [reading.weights for reading in readings]
            for reading in readings:
                content.update(reading.content)
            for weights in found:
                for code, conf in weights.items():
                    value = weight * conf
                    if value > result.get(code, 0.0):
                        result[code] = value
        return result, content

    def _read_text(self, text: str) -> _Reading:
        """Every maker's text passes here, so it is kept lean: exact phrases only where one
        can start, then one cached lookup per word."""
        tokens = words(text)
        groups: list[_RawGroup] = []
        content: list[str] = []
        skip: set[int] = set()
        ambiguous = False
        if not self._phrase_first.isdisjoint(tokens):
            for start, token in enumerate(tokens):
                if token not in self._phrase_first or start in skip:
                    continue
                for size in range(min(self._max_phrase, len(tokens) - start), 1, -1):
                    key = tuple(tokens[start : start + size])
                    codes = self._phrases.get(key)
                    if codes:
                        positions = tuple(range(start, start + size))
                        skip.update(positions)
                        groups.append(({c: EXACT for c in codes}, positions))
                        content.extend(key)
                        ambiguous = ambiguous or len(codes) > 1
                        break
        exact = self._exact_token
        for i, word in enumerate(tokens):
            match = exact(word)
            if match is _SKIP or i in skip:
                continue
            content.append(word)
            if match.parts:
                content.extend(match.parts)
            if match.codes:
                groups.append((match.code_map, (i,)))
                if len(match.codes) > 1:
                    ambiguous = True
            if match.extra:
                groups.append((match.extra_map, (i,)))
        if ambiguous:
            groups = self._settle(groups, merge=False)
        return _Reading(groups, tuple(content), ambiguous, _best_weights(groups))

    def _read(
        self, tokens: list[str], *, fuzzy: bool
    ) -> tuple[list[_RawGroup], tuple[str, ...], tuple[str, ...]]:
        used = [False] * len(tokens)
        groups: list[_RawGroup] = []
        content: list[str] = []

        # Multi-word phrases first, longest first, so "steam bending" is not read as "bending";
        # exact phrases before fuzzy ones, and a fuzzy phrase never spans a stop word.
        for start, token in enumerate(tokens):
            if token not in self._phrase_first:
                continue
            for size in range(min(self._max_phrase, len(tokens) - start), 1, -1):
                key = tuple(tokens[start : start + size])
                codes = self._phrases.get(key)
                if codes and not any(used[start : start + size]):
                    used[start : start + size] = [True] * size
                    groups.append(({c: EXACT for c in codes}, tuple(range(start, start + size))))
                    content.extend(key)
                    break
        if fuzzy:
            for size in (3, 2):
                for start in range(len(tokens) - size + 1):
                    if any(used[start : start + size]):
                        continue
                    key = tuple(tokens[start : start + size])
                    found = self._fuzzy_phrase(key)
                    if found is not None:
                        phrase_codes, confidence = found
                        used[start : start + size] = [True] * size
                        positions = tuple(range(start, start + size))
                        groups.append(({c: confidence for c in phrase_codes}, positions))
                        content.extend(key)

        free: list[str] = []
        for i, word in enumerate(tokens):
            if used[i]:
                continue
            match = self._token(word) if fuzzy else self._exact_token(word)
            if match is _SKIP:
                continue
            content.append(word)
            content.extend(match.parts)
            if match.codes:
                groups.append((dict(match.codes), (i,)))
            if match.extra:
                groups.append((dict(match.extra), (i,)))
            if not match.codes and not match.extra:
                free.append(word)
        return (
            self._settle(groups, merge=fuzzy),
            tuple(dict.fromkeys(free)),
            tuple(dict.fromkeys(w for w in content if w not in STOP_WORDS)),
        )

    def _fuzzy_phrase(self, key: tuple[str, ...]) -> tuple[frozenset[str], float] | None:
        if sum(map(len, key)) < 8 or any(w in STOP_WORDS for w in key):
            return None
        if all(w in self._single for w in key):
            return None  # each word already means something on its own
        return self._fuzzy_phrase_cached(" ".join(key))

    def _fuzzy_phrase_lookup(self, joined: str) -> tuple[frozenset[str], float] | None:
        found = process.extractOne(joined, self._phrase_choices, scorer=fuzz.ratio, score_cutoff=88)
        if found is None:
            return None
        codes = frozenset(self._phrases[tuple(found[0].split())])
        return codes, FUZZY_SCALE * found[1] / 100

    def _settle(self, groups: list[_RawGroup], *, merge: bool = True) -> list[_RawGroup]:
        """Merge groups naming the same concepts; narrow ambiguous ones by the materials named.

        "gjuta i betong" reads "gjuta" as metal, concrete or slip casting; "betong" settles it.
        """
        # The materials the text names outright, or through a process of one material.
        materials: set[str] = set()
        for codes, _ in groups:
            if len(codes) == 1:
                code = next(iter(codes))
                if code in self._material_codes:
                    materials.add(code)
                elif len(self._concepts[code].materials) == 1:
                    materials.update(self._concepts[code].materials)
        merged: dict[frozenset[str], _RawGroup] = {}
        for codes, positions in groups:
            if len(codes) > 1 and materials:
                fitting = {
                    c: conf
                    for c, conf in codes.items()
                    if c in materials or materials & set(self._concepts[c].materials)
                }
                codes = fitting or codes
            key = frozenset(codes)
            if key in merged:
                old_codes, old_positions = merged[key]
                codes = {c: max(conf, old_codes[c]) for c, conf in codes.items()}
                positions = tuple(sorted(set(old_positions) | set(positions)))
            merged[key] = (codes, positions)
        return list(merged.values())

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
        if word in STOP_WORDS or word.isdigit():
            return _SKIP
        codes, confidence = self._lookup(word)
        if codes:
            # "plåtdetaljer" is sheet bending in plåt (metal); but "stengods" is a material of
            # its own (stoneware), not also stone.
            names_material = bool(codes & self._material_codes)
            head = set() if names_material else self._material_head(word)
            extra = tuple((c, COMPOUND) for c in head if c not in codes)
            return _TokenMatch(tuple((c, confidence) for c in codes), extra=extra)
        if not word.isalpha():
            return _TokenMatch(())  # "specialitet4597", "x200": no compounds, no typos
        compound = self._split_compound(word)
        if compound is not None:
            return compound
        if fuzzy and len(word) >= 5:
            cutoff = 88 if len(word) <= 6 else 85
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
            head, tail = word[:cut], word[cut:]
            if tail not in NOUN_TAILS and not self._lookup(tail)[0]:
                continue  # "glas" does not start "glasering", nor "pla" (PLA) "planglas"
            codes = self._single.get(head, set()) & self._material_codes
            if codes:
                return codes
        return set()

    def _split_compound(self, word: str) -> _TokenMatch | None:
        for cut in range(len(word) - 3, 1, -1):
            head, tail = word[:cut], word[cut:]
            head_codes = self._single.get(head)  # the first part of a compound is uninflected
            if not head_codes:
                continue
            tails = [tail] + ([tail[1:]] if tail.startswith("s") and len(tail) > 4 else [])
            for candidate in tails:
                tail_codes, tail_conf = self._lookup(candidate)
                known_tail = candidate in NOUN_TAILS or bool(tail_codes)
                # A short head only counts before a known word: "plåt|detaljer" yes, but not
                # "tråd" in "tradition" or "gran" in "granskning" (folding blurs å/ä/ö).
                if len(head) < LONG_HEAD and not known_tail:
                    continue
                if len(candidate) < 3:
                    continue
                # Head and tail stay separate groups, so "aluminium|gjutning" settles the
                # ambiguous "gjutning" to metal casting by the metal named before it.
                head_hits = tuple((c, COMPOUND) for c in head_codes)
                tail_hits = tuple(
                    (c, COMPOUND * tail_conf) for c in tail_codes if c not in head_codes
                )
                if tail_hits:
                    return _TokenMatch(tail_hits, parts=(head, candidate), extra=head_hits)
                return _TokenMatch(head_hits, parts=(head, candidate))
        # Swedish compounds end in their head noun ("vattenglas", "ekfanér"):
        # take a known term of four or more letters at the end of the word.
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            noun_codes = self._single.get(tail)
            if noun_codes:
                return _TokenMatch(tuple((c, COMPOUND) for c in noun_codes), parts=(head, tail))
        return None


@cache
def default_interpreter() -> Interpreter:
    """The interpreter over the built-in taxonomy, built once per process."""
    return Interpreter(concepts())


def concept_label(code: str, language: str = "sv") -> str:
    return concept_by_code()[code].name(language)
