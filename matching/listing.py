"""A maker's listing → what its own words show, and where: read once, when it is indexed.

The listing's texts are its materials and processes cells (catalogue columns: proofread, but
typos are forgiven as in free text) and its description and name (read exactly). Each text is
read once and cached, so cells that recur ("ek", "CNC-fräsning") cost nothing. The texts are
then settled together: a word is read in the context of the whole listing ("koppar, vaser"
beside porslin; "stansning" in a leather workshop).

For every concept and specific material the listing shows, the reading keeps where the maker
wrote it (which text, which word): that is the evidence a match card quotes, found here once
rather than by reading the maker's text again for every request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from matching.concept import ConceptKind
from matching.context import Group
from matching.interpret import Interpreter, expand_codes, word_groups
from matching.lexicon import SKIP
from matching.text import words

MAX_EVIDENCE_PER_KEY = 2

_NEGATION = re.compile(
    r"(?i)\b(?:inte|ej|ingen|inget|inga|aldrig|not|never|no|cannot|don'?t|doesn'?t)\b"
)
_NEGATORS = frozenset(
    "inte ej ingen inget inga aldrig not never no cannot dont doesnt don doesn".split()
)
_NOT_A_NEGATION = frozenset("bara endast only just".split())  # "inte bara" = not only
_BUT = frozenset("men utan but".split())
_CLAUSE = re.compile(r"[,.;:!?()\n]+|\s[–—-]\s")


def negated_positions(text: str, count: int) -> set[int]:
    """Token positions of ``text`` in a clause the maker negates, up to a "men"/"utan"/"but"
    ("Vi trycker inte på textil", "Ingen laserskärning, men vi bockar"); empty when the
    clauses do not add up to the ``count`` tokens the text has.

    >>> sorted(negated_positions("Vi svarvar i trä. Ingen laserskärning, men bockning.", 8))
    [4, 5]
    """
    found: set[int] = set()
    offset = 0
    for clause in _CLAUSE.split(text):
        tokens = words(expand_codes(clause))
        start = 0
        for i, token in enumerate([*tokens, "men"]):
            if token in _BUT:
                span = tokens[start:i]
                for j, word in enumerate(span):
                    if word in _NEGATORS and (
                        j + 1 >= len(span) or span[j + 1] not in _NOT_A_NEGATION
                    ):
                        found.update(range(offset + start, offset + i))
                        break
                start = i + 1
        offset += len(tokens)
    return found if offset == count else set()


@dataclass(frozen=True, slots=True)
class TextReading:
    """One text read on its own (cached per distinct text)."""

    groups: tuple[Group, ...]
    content: tuple[str, ...]  # content words, possibly repeated
    needs_context: bool  # a group is ambiguous, a homonym or a product noun
    named: frozenset[str]  # materials named outright
    process_materials: tuple[frozenset[str], ...]  # what each process group works on
    # The text's own contribution when no context is needed (the common case), worked out
    # once per distinct text: concept, variant and generic weights and where they are.
    weights: dict[str, float]
    variants: dict[str, float]
    generic: dict[str, float]
    evidence: tuple[tuple[str, int, int], ...]  # key, first and last token


@dataclass(frozen=True, slots=True)
class ListingReading:
    """What a maker's own words show, each with its weight, and where they say it."""

    weights: dict[str, float]  # concept code → weight (listed words count more)
    variants: dict[str, float]  # specific material ("metal.bronze") → weight
    generic: dict[str, float]  # material named with a generic word ("metall") → weight
    words: set[str]  # content words, for the own-words index
    # (concept code or variant key, text number, first and last token), listed texts first.
    evidence: tuple[tuple[str, int, int, int], ...]


class _Sums:
    """Weights and evidence gathered over a listing's texts."""

    __slots__ = ("evidence", "generic", "seen", "variants", "weights")

    def __init__(self) -> None:
        self.weights: dict[str, float] = {}
        self.variants: dict[str, float] = {}
        self.generic: dict[str, float] = {}
        self.evidence: list[tuple[str, int, int, int]] = []
        self.seen: dict[str, int] = {}

    def add(self, table: dict[str, float], key: str, value: float) -> None:
        if value > table.get(key, 0.0):
            table[key] = value

    def place(self, key: str, source: int, first: int, last: int) -> None:
        count = self.seen.get(key, 0)
        if count < MAX_EVIDENCE_PER_KEY:
            self.seen[key] = count + 1
            self.evidence.append((key, source, first, last))


@dataclass(frozen=True, slots=True)
class _WordFacts:
    content: tuple[str, ...]
    protos: tuple[Group, ...]  # the word's groups, without a position
    needs_context: bool
    named: frozenset[str]
    process_materials: tuple[frozenset[str], ...]
    weights: dict[str, float]
    variants: dict[str, float]
    generic: dict[str, float]
    keys: tuple[str, ...]  # the concepts and variants it is evidence of


class ListingReader:
    def __init__(self, interpreter: Interpreter) -> None:
        self._interp = interpreter
        self._lexicon = interpreter.lexicon
        self._context = interpreter.context
        self._kinds = {code: c.kind for code, c in self._lexicon.concepts.items()}
        self._common = {code: c.common for code, c in self._lexicon.concepts.items() if c.common}
        self._process_materials = {
            code: frozenset(c.materials)
            for code, c in self._lexicon.concepts.items()
            if c.kind is ConceptKind.PROCESS
        }
        self.read_text = lru_cache(maxsize=50_000)(self._read_text)
        self._facts = lru_cache(maxsize=200_000)(self._word)

    def _word(self, word: str, fuzzy: bool) -> _WordFacts | None:
        """What one word contributes to any text it is in (cached per word)."""
        match = (self._interp.token if fuzzy else self._interp.exact_token)(word)
        if match is SKIP:
            return None
        protos = tuple(word_groups(match, ()))
        sums = _Sums()
        for proto in protos:
            self._count(sums, proto, proto.codes, 0, 1.0, 0, 0)
        kinds = self._kinds
        return _WordFacts(
            content=(word, *match.parts),
            protos=protos,
            needs_context=any(
                len(p.codes) > 1 or bool(p.homonym) or bool(p.products) for p in protos
            ),
            named=frozenset(
                code
                for p in protos
                if len(p.codes) == 1
                for code in p.codes
                if kinds[code] is ConceptKind.MATERIAL
            ),
            process_materials=tuple(
                self._process_materials[code]
                for p in protos
                for code in p.codes
                if code in self._process_materials
            ),
            weights=sums.weights,
            variants=sums.variants,
            generic=sums.generic,
            keys=tuple(dict.fromkeys(key for key, *_ in sums.evidence)),
        )

    def _read_text(self, text: str, fuzzy: bool) -> TextReading:
        """Every maker's text passes here, so it is kept lean: exact phrases only where one
        can start, then one cached lookup per word."""
        tokens = words(expand_codes(text))
        lexicon = self._lexicon
        groups: list[Group] = []
        content: list[str] = []
        # What the maker says it does not do ("Ingen laserskärning", "Vi syr inte serier")
        # is no evidence: those words are read as nothing.
        used: set[int] = negated_positions(text, len(tokens)) if _NEGATION.search(text) else set()
        sums = _Sums()
        needs_context = False
        named: set[str] = set()
        process_materials: list[frozenset[str]] = []
        if not lexicon.phrase_first.isdisjoint(tokens):
            for start, token in enumerate(tokens):
                if token not in lexicon.phrase_first or start in used:
                    continue
                for size in range(min(lexicon.max_phrase, len(tokens) - start), 1, -1):
                    key = tuple(tokens[start : start + size])
                    codes = lexicon.phrases.get(key)
                    if codes and not used.intersection(range(start, start + size)):
                        positions = tuple(range(start, start + size))
                        used.update(positions)
                        variants = frozenset(lexicon.variants.get(" ".join(key), ()))
                        group = Group(dict.fromkeys(codes, 1.0), positions, variants)
                        groups.append(group)
                        content.extend(key)
                        self._count(sums, group, group.codes, 0, 1.0, start, positions[-1])
                        needs_context = needs_context or len(codes) > 1
                        for code in codes:
                            if code in self._process_materials:
                                process_materials.append(self._process_materials[code])
                            elif len(codes) == 1:
                                named.add(code)
                        break
        facts_of = self._facts
        add, place = sums.add, sums.place
        for i, word in enumerate(tokens):
            if i in used:
                continue
            facts = facts_of(word, fuzzy)
            if facts is None:
                continue
            content.extend(facts.content)
            if not facts.protos:
                continue
            positions = (i,)
            groups.extend(proto._replace(positions=positions) for proto in facts.protos)
            needs_context = needs_context or facts.needs_context
            if facts.named:
                named.update(facts.named)
            if facts.process_materials:
                process_materials.extend(facts.process_materials)
            for table, mine in (
                (sums.weights, facts.weights),
                (sums.variants, facts.variants),
                (sums.generic, facts.generic),
            ):
                for name, value in mine.items():
                    add(table, name, value)
            for name in facts.keys:
                place(name, 0, i, i)
        evidence = tuple((name, first, last) for name, _, first, last in sums.evidence)
        return TextReading(
            tuple(groups),
            tuple(content),
            needs_context,
            frozenset(named),
            tuple(process_materials),
            sums.weights,
            sums.variants,
            sums.generic,
            evidence,
        )

    def _count(
        self,
        sums: _Sums,
        group: Group,
        codes: dict[str, float],
        source: int,
        weight: float,
        first: int,
        last: int,
    ) -> None:
        best = 0.0
        for code, conf in codes.items():
            value = weight * conf
            best = max(best, value)
            sums.add(sums.weights, code, value)
            if (
                not group.variants
                and code not in group.products
                and self._kinds[code] is ConceptKind.MATERIAL
            ):
                sums.add(sums.generic, code, value)
            sums.place(code, source, first, last)
        for key in group.variants:
            if key.split(".", 1)[0] in codes:
                sums.add(sums.variants, key, best)
                sums.place(key, source, first, last)

    def read(
        self,
        listed: Sequence[str],
        described: Sequence[str],
        *,
        listed_weight: float,
        described_weight: float,
    ) -> ListingReading:
        """The listing's concepts, specific materials and evidence, weighted by where the
        words were written. Indexing 100,000 makers calls this 100,000 times."""
        count = len(listed)
        readings = [
            self.read_text(text, number < count) if text else None
            for number, text in enumerate((*listed, *described))
        ]
        content: set[str] = set()
        for reading in readings:
            if reading is not None:
                content.update(reading.content)
        sums = _Sums()
        if self._simple(readings):
            for source, reading in enumerate(readings):
                if reading is None:
                    continue
                weight = listed_weight if source < count else described_weight
                for table, mine in (
                    (sums.weights, reading.weights),
                    (sums.variants, reading.variants),
                    (sums.generic, reading.generic),
                ):
                    for key, value in mine.items():
                        sums.add(table, key, weight * value)
                for key, first, last in reading.evidence:
                    sums.place(key, source, first, last)
        else:
            flat: list[Group] = []
            sources: list[int] = []
            for source, reading in enumerate(readings):
                if reading is not None:
                    flat.extend(reading.groups)
                    sources.extend([source] * len(reading.groups))
            kept, _ = self._context.settle_codes(flat, content, listing=True)
            for i, codes in kept:
                source = sources[i]
                weight = listed_weight if source < count else described_weight
                group = flat[i]
                first, last = group.positions[0], group.positions[-1]
                self._count(sums, group, codes, source, weight, first, last)
        return self._finish(sums, content)

    def _simple(self, readings: Sequence[TextReading | None]) -> bool:
        """No word needs the listing's context: the texts' readings simply add up."""
        named: set[str] = set()
        for reading in readings:
            if reading is not None:
                if reading.needs_context:
                    return False
                named |= reading.named
        if not named:
            return True
        return all(
            "other" in materials or not materials.isdisjoint(named)
            for reading in readings
            if reading is not None
            for materials in reading.process_materials
        )

    def _finish(self, sums: _Sums, content: set[str]) -> ListingReading:
        variants, generic = sums.variants, sums.generic
        if generic:
            # Naming the family is a sign of a specific material only when the maker names no
            # specific one ("trä" beside "ek, furu" says nothing about walnut).
            families = {key.split(".", 1)[0] for key in variants}
            generic = {code: v for code, v in generic.items() if code not in families}
            for code, value in generic.items():
                common = self._common.get(code)
                if common and value > variants.get(common, 0.0):
                    variants[common] = value
        return ListingReading(sums.weights, variants, generic, content, tuple(sums.evidence))
