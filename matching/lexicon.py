"""One word → taxonomy concepts: the interpreter's dictionary, without any context.

A word is tried, in order of certainty:

1. as a taxonomy term (folded: "rostfritt", "lackläder", "pet");
2. by its stem, after stripping a Swedish or English inflection ("stickade" → "stick");
3. as a compound: a known head followed by a known word or term ("ekbord" → ek + bord,
   "plåtdetaljer" → plåt + detaljer, "mässingsbeslag" with the linking s);
4. fuzzily with rapidfuzz, for typos ("svetsnig", "keramk", "jeresy"), with stricter cut-offs
   for shorter words.

Each answer carries the concepts (alternatives), the specific material variants the word
names ("brons" → ``metal.bronze``), which concepts it names only as a product noun ("kakel"),
and whether it is a homonym to be read in context ("koppar": copper or cups).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from matching.concept import Concept, ConceptKind
from matching.text import fold
from matching.vocabulary import (
    HOMONYMS,
    NOT_STEMMED,
    NOUN_TAILS,
    OBJECT_NOUNS,
    PRODUCT_TRANSLATIONS,
    PRODUCT_WORDS,
    STOP_WORDS,
)

EXACT = 1.0
STEM = 0.95
COMPOUND = 0.9
FUZZY_SCALE = 0.9  # a fuzzy hit's confidence is its similarity (0..1) times this
# The last parts a compound can have besides taxonomy terms: nouns for things that are made.
OBJECT_TAILS = (
    NOUN_TAILS | OBJECT_NOUNS | frozenset(PRODUCT_WORDS) | frozenset(PRODUCT_TRANSLATIONS)
)
LONG_HEAD = 6  # a compound's first part this long ("keramik", "mässing") may precede any word
MIN_STEM = 4

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


def stem(word: str) -> str:
    """Strip one Swedish or English inflection, keeping at least four letters.

    >>> stem("stickade"), stem("svetsning"), stem("laser"), stem("glasblasta")
    ('stick', 'svets', 'laser', 'glasblast')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class WordMatch:
    """What one folded word means on its own."""

    codes: tuple[tuple[str, float], ...] = ()  # (concept code, confidence): alternatives
    parts: tuple[str, ...] = ()  # compound parts, for matching makers' own words
    extra: tuple[tuple[str, float], ...] = ()  # material heads of compounds: a group of its own
    variants: frozenset[str] = frozenset()  # material variants the word (or its head) names
    products: frozenset[str] = frozenset()  # codes the word names only as a product noun
    homonym: bool = False  # read by the context: see vocabulary.HOMONYMS
    term: str = ""  # the taxonomy term that matched (folded), for suggestions
    fuzzy: bool = False
    code_map: dict[str, float] = field(init=False, compare=False)
    extra_map: dict[str, float] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code_map", dict(self.codes))
        object.__setattr__(self, "extra_map", dict(self.extra))


SKIP = WordMatch()  # stop words and numbers


class Lexicon:
    """Folded terms of a taxonomy and how single words map onto them. Build once; read-only."""

    def __init__(self, taxonomy: Iterable[Concept]) -> None:
        self.concepts = {c.code: c for c in taxonomy}
        self.single: dict[str, set[str]] = {}
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.variants: dict[str, set[str]] = {}  # folded term → variant keys
        self.products: dict[str, set[str]] = {}  # folded term → codes it is a product noun of
        self.spelling: dict[str, str] = {}  # folded term → as written in the taxonomy
        for concept in self.concepts.values():
            variant_of: dict[str, set[str]] = {}
            for variant in concept.variants:
                for variant_term in variant.terms:
                    variant_of.setdefault(variant_term, set()).add(variant.key)
            for term in (concept.sv, concept.en, *concept.terms):
                folded = fold(term)
                if not folded:
                    continue
                self.spelling.setdefault(folded.replace(" ", ""), term)
                parts = tuple(folded.split())
                keys = [parts[0]] if len(parts) == 1 else ["".join(parts)]
                if len(parts) > 1:
                    self.phrases.setdefault(parts, set()).add(concept.code)
                for key in {*keys, " ".join(parts)}:
                    if " " not in key:
                        self.single.setdefault(key, set()).add(concept.code)
                    if term in variant_of:
                        self.variants.setdefault(key, set()).update(variant_of[term])
                    if term in concept.products:
                        self.products.setdefault(key, set()).add(concept.code)
        self.stems: dict[str, set[str]] = {}
        self.stem_term: dict[str, str] = {}
        for term, codes in self.single.items():
            # "koppen", "kopparna" are cups: a homonym is only ever matched whole.
            if len(term) >= MIN_STEM + 1 and term not in HOMONYMS:
                self.stems.setdefault(stem(term), set()).update(codes)
                self.stem_term.setdefault(stem(term), term)
        self.fuzzy_choices = tuple(t for t in self.single if len(t) >= 4)
        self.phrase_choices = tuple(" ".join(p) for p in self.phrases)
        self.max_phrase = max((len(p) for p in self.phrases), default=1)
        self.phrase_first = {phrase[0] for phrase in self.phrases}
        self.material_codes = frozenset(
            code for code, c in self.concepts.items() if c.kind is ConceptKind.MATERIAL
        )

    # -- single words -----------------------------------------------------------------------

    def lookup(self, word: str) -> tuple[set[str], float, str]:
        """Codes, confidence and the matching term, for a term or its stem."""
        if word in self.single:
            return self.single[word], EXACT, word
        if len(word) >= MIN_STEM + 1 and word not in NOT_STEMMED:
            key = stem(word)
            codes = self.stems.get(key)
            if codes:
                return codes, STEM, self.stem_term[key]
        return set(), 0.0, ""

    def _flags(self, term: str, codes: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
        variants = frozenset(self.variants.get(term, ()))
        products = frozenset(self.products.get(term, ())) & frozenset(codes)
        return variants, products

    def match(self, word: str, *, fuzzy: bool = True) -> WordMatch:
        if word in STOP_WORDS or word.isdigit():
            return SKIP
        if word in HOMONYMS:
            codes, confidence, term = self.lookup(word)
            variants, _ = self._flags(term, codes)
            return WordMatch(
                tuple((c, confidence) for c in codes), variants=variants, homonym=True, term=term
            )
        codes, confidence, term = self.lookup(word)
        if codes:
            # "plåtdetaljer" is sheet bending in plåt (metal); but "stengods" is a material of
            # its own (stoneware), not also stone.
            names_material = bool(codes & self.material_codes)
            head: set[str] = set()
            head_variants: frozenset[str] = frozenset()
            if not names_material:
                head, head_variants = self.material_head(word)
            variants, products = self._flags(term, codes)
            return WordMatch(
                tuple((c, confidence) for c in codes),
                extra=tuple((c, COMPOUND) for c in head if c not in codes),
                variants=variants | head_variants,
                products=products,
                term=term,
            )
        if not word.isalpha():
            return WordMatch()  # "specialitet4597", "x200": no compounds, no typos
        compound = self.split_compound(word)
        if compound is not None:
            return compound
        if fuzzy and len(word) >= 5:
            cutoff = 88 if len(word) <= 6 else 87
            found = process.extractOne(
                word, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if found is None and len(word) >= 6:
                # One swapped pair of letters ("jeresy") is a single slip of the fingers.
                swapped = process.extractOne(
                    word, self.fuzzy_choices, scorer=OSA.distance, score_cutoff=1
                )
                if swapped is not None and _transposed(word, swapped[0]):
                    found = (swapped[0], 100 * (1 - 1 / len(word)), swapped[2])
            if found is not None and found[0][:2] == word[:2]:
                # People rarely mistype how a word starts: "black" is not "lack", nor
                # "packningar" "förpackningar".
                term = found[0]
                conf = FUZZY_SCALE * found[1] / 100
                codes = self.single[term]
                variants, products = self._flags(term, codes)
                return WordMatch(
                    tuple((c, conf) for c in codes),
                    variants=variants,
                    products=products,
                    term=term,
                    fuzzy=True,
                )
        return WordMatch()

    def material_head(self, word: str) -> tuple[set[str], frozenset[str]]:
        """Materials that start a compound term: "plåt" in "plåtdetaljer"."""
        for cut in range(len(word) - 3, 2, -1):
            head, tail = word[:cut], word[cut:]
            if tail not in OBJECT_TAILS and not self.lookup(tail)[0]:
                continue  # "glas" does not start "glasering", nor "pla" (PLA) "planglas"
            codes = self.single.get(head, set()) & self.material_codes
            if codes:
                return codes, frozenset(self.variants.get(head, ()))
        return set(), frozenset()

    def split_compound(self, word: str) -> WordMatch | None:
        for cut in range(len(word) - 3, 1, -1):
            head, tail = word[:cut], word[cut:]
            head_codes = self.single.get(head)  # the first part of a compound is uninflected
            if not head_codes:
                continue
            tails = [tail] + ([tail[1:]] if tail.startswith("s") and len(tail) > 4 else [])
            for candidate in tails:
                if candidate in HOMONYMS:
                    # "porslinskoppar", "kaffekoppar": the head says which reading it is.
                    return self._homonym_compound(head, candidate)
                tail_codes, tail_conf, _ = self.lookup(candidate)
                known_tail = candidate in OBJECT_TAILS or bool(tail_codes)
                # A short head only counts before a known word: "plåt|detaljer" yes, but not
                # "tråd" in "tradition" or "gran" in "granskning" (folding blurs å/ä/ö).
                if len(head) < LONG_HEAD and not known_tail:
                    continue
                if len(candidate) < 3:
                    continue
                # Head and tail stay separate groups, so "aluminium|gjutning" settles the
                # ambiguous "gjutning" to metal casting by the metal named before it.
                head_variants = frozenset(self.variants.get(head, ()))
                head_hits = tuple((c, COMPOUND) for c in head_codes)
                tail_hits = tuple(
                    (c, COMPOUND * tail_conf) for c in tail_codes if c not in head_codes
                )
                products = frozenset(self.products.get(head, ())) & head_codes
                if tail_hits:
                    return WordMatch(
                        tail_hits,
                        parts=(head, candidate),
                        extra=head_hits,
                        variants=head_variants,
                        products=products,
                    )
                return WordMatch(
                    head_hits, parts=(head, candidate), variants=head_variants, products=products
                )
        # Swedish compounds end in their head noun ("vattenglas", "ekfanér"):
        # take a known term of four or more letters at the end of the word, unless a longer
        # product noun ends it ("arbetskläder" ends in "kläder", not in "läder").
        for cut in range(3, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            noun_codes = self.single.get(tail)
            if not noun_codes and tail in NOUN_TAILS and len(tail) > 4:
                return WordMatch()  # a product compound: no concept, and no typo either
            if noun_codes:
                variants, products = self._flags(tail, noun_codes)
                return WordMatch(
                    tuple((c, COMPOUND) for c in noun_codes),
                    parts=(head, tail),
                    variants=variants,
                    products=products,
                )
        return None

    def _homonym_compound(self, head: str, tail: str) -> WordMatch:
        cues = HOMONYMS[tail]
        head_codes = self.single.get(head, set())
        if head in cues.words or head_codes & cues.concepts:
            # The product reading: no concept of its own; the head still names its material.
            head_hits = tuple((c, COMPOUND) for c in head_codes & self.material_codes)
            return WordMatch(head_hits, parts=(head, tail))
        codes, confidence, term = self.lookup(tail)
        return WordMatch(
            tuple((c, COMPOUND * confidence) for c in codes),
            parts=(head, tail),
            variants=frozenset(self.variants.get(term, ())),
        )

    # -- phrases ----------------------------------------------------------------------------

    def fuzzy_phrase(self, joined: str) -> tuple[frozenset[str], float, str] | None:
        found = process.extractOne(joined, self.phrase_choices, scorer=fuzz.ratio, score_cutoff=88)
        if found is None:
            return None
        codes = frozenset(self.phrases[tuple(found[0].split())])
        return codes, FUZZY_SCALE * found[1] / 100, found[0]


def _transposed(word: str, term: str) -> bool:
    """Whether ``word`` is ``term`` with two neighbouring letters swapped ("jeresy"), not with
    a letter changed: "svarta" is a word of its own, not a slip for "svarva".

    >>> _transposed("jeresy", "jersey"), _transposed("svarta", "svarva")
    (True, False)
    """
    if len(word) != len(term) or word == term:
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, term, strict=True)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == term[diff[1]]
