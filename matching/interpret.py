"""Free text in Swedish or English → taxonomy concepts, each with a confidence and its words.

Words are looked up in :mod:`matching.lexicon` (terms, stems, compounds, typos) and settled in
context by :mod:`matching.context` (homonyms, product nouns, words with several readings).
A word that maps to several concepts ("gjutning": metal, concrete or slip casting; "bok":
beech or book) forms one *group* of alternatives; a maker fits the group when it fits any of
them, and a material named elsewhere in the text settles it. Words that map to nothing and
are not stop words are kept as *free words* for matching against makers' own descriptions.

The writer's own trade is not what they want made: "Jag är textildesigner och vill ha krukor
i betong" asks for concrete, not textile. A maker's listing is read by
:mod:`matching.listing`; :func:`catalogue_word` tells the catalogue import whether a word a
coordinator wrote maps onto the taxonomy, and if not, what it is closest to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from rapidfuzz import fuzz, process

from matching.concept import Concept, ConceptKind
from matching.context import Context, Group
from matching.lexicon import SKIP, Lexicon, WordMatch, stem
from matching.taxonomy import concept_by_code, concepts
from matching.text import fold
from matching.vocabulary import HOMONYMS, PROFESSION_ENDINGS, STOP_WORDS, is_object_word

__all__ = [
    "CatalogueWord",
    "ConceptHit",
    "HitGroup",
    "Interpretation",
    "Interpreter",
    "catalogue_word",
    "concept_label",
    "default_interpreter",
    "expand_codes",
    "stem",
]

_WORD = re.compile(r"\w+")
# Plastics codes that fold into Swedish words ("PA" → "på"): read from their capitals.
_CODES = {"PA": "polyamid", "PE": "polyeten", "PC": "polykarbonat", "PS": "polystyren"}
_CODE = re.compile(r"(?<![\w-])(PA|PE|PC|PS)(?:6|12)?(?![\w-])")
# "jag är textildesigner", "vi är möbelsnickare", "I'm a product designer": the writer.
_SELF = re.compile(
    r"\b(?:jag|vi|i|we)\s+(?:ar|jobbar som|arbetar som|am|are|work as|m|re)\s+"
    r"(?:en |ett |a |an |ett litet |en liten |a small )?(\w+)"
)


def expand_codes(text: str) -> str:
    """Spell out the plastics codes a fold would turn into Swedish words.

    >>> expand_codes("PP, ABS och PA (polyamid)")
    'PP, ABS och polyamid (polyamid)'
    """
    if "P" not in text:
        return text
    return _CODE.sub(lambda m: _CODES[m.group(1)], text)


@dataclass(frozen=True, slots=True)
class ConceptHit:
    """One taxonomy concept found in a text."""

    code: str
    kind: ConceptKind
    confidence: float  # 0..1
    words: tuple[str, ...]  # the words of the text that caused it, as typed
    variants: tuple[str, ...] = ()  # the specific materials named ("metal.bronze")


@dataclass(frozen=True, slots=True)
class HitGroup:
    """Alternatives found for the same words: a maker fits when it fits any of them."""

    hits: tuple[ConceptHit, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return self.hits[0].words

    @property
    def kind(self) -> ConceptKind:
        """A process group when any alternative is a process, else a material group."""
        if any(hit.kind is ConceptKind.PROCESS for hit in self.hits):
            return ConceptKind.PROCESS
        return ConceptKind.MATERIAL


@dataclass(frozen=True, slots=True)
class Interpretation:
    text: str
    groups: tuple[HitGroup, ...]
    free_words: tuple[str, ...] = ()  # folded content words that mapped to no concept
    content_words: tuple[str, ...] = ()  # folded content words and compound parts
    # Folded words that may name what is to be made: the free words, and the last part of a
    # compound whose first part named the material ("montrar" in "akrylmontrar").
    object_words: tuple[str, ...] = ()
    # Folded words saying who or what it is for ("till en restaurang", "for our shop").
    purpose_words: frozenset[str] = frozenset()

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


def word_groups(match: WordMatch, positions: tuple[int, ...]) -> list[Group]:
    """The groups one word contributes; its specific materials go with its material group."""
    groups = []
    if match.codes:
        variants = match.variants if not match.extra else frozenset()
        homonym = match.term if match.homonym else ""
        groups.append(Group(match.code_map, positions, variants, match.products, homonym))
    if match.extra:
        groups.append(Group(match.extra_map, positions, match.variants))
    return groups


class Interpreter:
    """Maps text onto a taxonomy. Build once (see :func:`default_interpreter`); thread-safe."""

    def __init__(self, taxonomy: Iterable[Concept]) -> None:
        self.lexicon = Lexicon(taxonomy)
        self.context = Context(self.lexicon.concepts)
        self._concepts = self.lexicon.concepts
        self.token = lru_cache(maxsize=200_000)(self.lexicon.match)
        self.exact_token = lru_cache(maxsize=200_000)(partial(self.lexicon.match, fuzzy=False))
        self._fuzzy_phrase = lru_cache(maxsize=20_000)(self.lexicon.fuzzy_phrase)

    def interpret(self, text: str, *, fuzzy: bool = True) -> Interpretation:
        """Find the taxonomy concepts in ``text``.

        >>> hits = default_interpreter().interpret("Laserskurna plåtdetaljer i rostfritt stål")
        >>> sorted(h.code for h in hits.processes)
        ['laser_cutting', 'sheet_bending']
        >>> [(h.code, h.variants) for h in hits.materials]
        [('metal', ('metal.ferrous',))]
        """
        originals: list[str] = []
        tokens: list[str] = []
        for word in _WORD.findall(text or ""):  # quoted as typed: "PA", not "polyamid"
            for token in fold(expand_codes(word)).split():
                originals.append(word)
                tokens.append(token)
        skip = _writer_words(tokens)
        raw, free, content, tails = self._read(tokens, skip, fuzzy=fuzzy)
        built = []
        for group in raw:
            words = tuple(dict.fromkeys(originals[i] for i in group.positions))
            variants = tuple(sorted(group.variants))
            built.append(
                HitGroup(
                    tuple(
                        ConceptHit(
                            code,
                            self._concepts[code].kind,
                            round(conf, 3),
                            words,
                            tuple(v for v in variants if v.startswith(f"{code}.")),
                        )
                        for code, conf in sorted(
                            group.codes.items(), key=lambda cc: (-cc[1], cc[0])
                        )
                    )
                )
            )
        objects = tuple(w for w in dict.fromkeys((*free, *tails)) if is_object_word(w))
        return Interpretation(
            text=text,
            groups=tuple(built),
            free_words=free,
            content_words=content,
            object_words=objects,
            purpose_words=frozenset(_purpose_words(text or "")),
        )

    def _read(
        self, tokens: list[str], skip: set[int], *, fuzzy: bool
    ) -> tuple[list[Group], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        used = [i in skip for i in range(len(tokens))]
        groups: list[Group] = []
        content: list[str] = []
        lexicon = self.lexicon
        # Multi-word phrases first, longest first, so "steam bending" is not read as "bending";
        # exact phrases before fuzzy ones, and a fuzzy phrase never spans a stop word.
        for start, token in enumerate(tokens):
            if token not in lexicon.phrase_first:
                continue
            for size in range(min(lexicon.max_phrase, len(tokens) - start), 1, -1):
                key = tuple(tokens[start : start + size])
                codes = lexicon.phrases.get(key)
                if codes and not any(used[start : start + size]):
                    used[start : start + size] = [True] * size
                    variants = frozenset(lexicon.variants.get(" ".join(key), ()))
                    positions = tuple(range(start, start + size))
                    groups.append(Group({c: 1.0 for c in codes}, positions, variants))
                    groups.extend(self._phrase_materials(key, positions, codes))
                    content.extend(key)
                    break
        if fuzzy:
            for size in (3, 2):
                for start in range(len(tokens) - size + 1):
                    if any(used[start : start + size]):
                        continue
                    key = tuple(tokens[start : start + size])
                    found = self._phrase(key)
                    if found is not None:
                        phrase_codes, confidence, phrase = found
                        used[start : start + size] = [True] * size
                        positions = tuple(range(start, start + size))
                        variants = frozenset(lexicon.variants.get(phrase, ()))
                        groups.append(
                            Group({c: confidence for c in phrase_codes}, positions, variants)
                        )
                        content.extend(key)

        free: list[str] = []
        tails: list[str] = []
        for i, word in enumerate(tokens):
            if used[i]:
                continue
            match = self.token(word) if fuzzy else self.exact_token(word)
            if match is SKIP:
                continue
            content.append(word)
            content.extend(match.parts)
            if match.parts and (match.codes or match.extra):
                tail = match.parts[-1]
                if tail in HOMONYMS or not lexicon.lookup(tail)[0]:
                    tails.append(tail)  # "montrar" in "akrylmontrar", "fat" in "ekfat"
            groups.extend(word_groups(match, (i,)))
            if not match.codes and not match.extra:
                free.append(word)
        settled, products = self.context.settle(groups, set(content), merge=True)
        for group in products:  # homonyms read as products ("koppar" as cups) are free words
            free.extend(tokens[i] for i in group.positions)
        return (
            settled,
            tuple(dict.fromkeys(free)),
            tuple(dict.fromkeys(w for w in content if w not in STOP_WORDS)),
            tuple(tails),
        )

    def _phrase_materials(
        self, key: tuple[str, ...], positions: tuple[int, ...], codes: Iterable[str]
    ) -> list[Group]:
        """The material a process phrase names in one of its words: "bronze casting" asks
        for bronze as well as casting."""
        lexicon = self.lexicon
        if lexicon.material_codes & set(codes):
            return []  # the phrase names a material itself ("reindeer antler")
        found = []
        for word, position in zip(key, positions, strict=True):
            materials = lexicon.single.get(word, set()) & lexicon.material_codes
            variants = frozenset(lexicon.variants.get(word, ()))
            if len(materials) == 1 and variants and not materials & set(codes):
                found.append(Group(dict.fromkeys(materials, 1.0), (position,), variants))
        return found

    def _phrase(self, key: tuple[str, ...]) -> tuple[frozenset[str], float, str] | None:
        if sum(map(len, key)) < 8 or any(w in STOP_WORDS for w in key):
            return None
        if all(w in self.lexicon.single for w in key):
            return None  # each word already means something on its own
        return self._fuzzy_phrase(" ".join(key))


_CLAUSE = re.compile(r"[,.;:!?()\n]+|\s[–-]\s")
_PURPOSE = frozenset({"till", "at", "for"})  # folded: "till", "åt", "för", "for"


def _purpose_words(text: str) -> set[str]:
    """Folded words saying who or what the thing is for, not what it is: the rest of the
    clause after "till", "åt", "för" or "for" ("… till en restaurang", "for our shop").

    >>> sorted(_purpose_words("Krokar till en hall, 200 st. Handles for a kitchen"))
    ['a', 'en', 'hall', 'kitchen']
    """
    found: set[str] = set()
    for clause in _CLAUSE.split(text):
        tokens = fold(clause).split()
        for i, token in enumerate(tokens):
            if token in _PURPOSE and i > 0:
                found.update(tokens[i + 1 :])
                break
    return found


def _writer_words(tokens: list[str]) -> set[int]:
    """Positions of words that name the writer's own trade ("textildesigner")."""
    skip = {i for i, token in enumerate(tokens) if token.endswith(PROFESSION_ENDINGS)}
    joined = " ".join(tokens)
    for match in _SELF.finditer(joined):
        position = joined[: match.start(1)].count(" ")
        skip.add(position)
    return skip


@dataclass(frozen=True, slots=True)
class CatalogueWord:
    """What a material or process word from a catalogue cell means to the taxonomy."""

    word: str
    concepts: tuple[str, ...]  # taxonomy codes it maps to; empty when unknown
    suggestion: str | None  # the taxonomy word it is closest to, when not an exact term

    @property
    def known(self) -> bool:
        return bool(self.concepts)


def catalogue_word(word: str) -> CatalogueWord:
    """Whether a catalogue item ("nubuck", "jeresy", "kohud") maps onto the taxonomy.

    Known words give their concepts; a typo gives its concepts and the word it was read as; an
    unknown word gives no concepts and, when something is close enough, a suggestion.

    >>> catalogue_word("kohud").concepts
    ('leather',)
    >>> catalogue_word("jeresy")
    CatalogueWord(word='jeresy', concepts=('textile',), suggestion='jersey')
    >>> catalogue_word("blipblop").known
    False
    """
    interpreter = default_interpreter()
    interpretation = interpreter.interpret(word)
    codes = tuple(sorted({hit.code for group in interpretation.groups for hit in group.hits}))
    suggestion = None
    tokens = fold(expand_codes(word)).split()
    for token in tokens:
        match = interpreter.token(token)
        if match.fuzzy and match.term:
            suggestion = interpreter.lexicon.spelling.get(match.term, match.term)
    if not codes:
        suggestion = _closest_term(fold(word).replace(" ", ""))
    return CatalogueWord(word, codes, suggestion)


def _closest_term(folded: str) -> str | None:
    if len(folded) < 3:
        return None
    lexicon = default_interpreter().lexicon
    found = process.extractOne(folded, lexicon.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=75)
    return lexicon.spelling.get(found[0], found[0]) if found else None


@cache
def default_interpreter() -> Interpreter:
    """The interpreter over the built-in taxonomy, built once per process."""
    return Interpreter(concepts())


def concept_label(code: str, language: str = "sv") -> str:
    return concept_by_code()[code].name(language)
