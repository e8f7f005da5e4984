"""Words in context: what the rest of a text (or a maker's whole listing) says about a word.

The lexicon reads one word at a time; here the words found in one text are settled together:

- a homonym takes its product reading when the context cues it: "koppar" beside porcelain,
  mugs or saucers are cups, not copper;
- a product noun implies its concept only when nothing else of its kind is named: "kakel" is
  ceramic tiles, but "kakelplattor i glas" are glass; "mattor" are tufted unless woven;
- a word with several readings is narrowed by the materials named: "gjuta i betong" is concrete
  casting, "stansning" in a leather workshop is leather work, not sheet metal;
- in a maker's listing a process that works on none of the materials the maker names is not
  evidence of anything ("pressning" at a porcelain works is no sheet-metal pressing).

Groups that name the same concepts are merged for a request (one alternative set, all its
words), and kept apart for a listing (each keeps where it was written, for the evidence).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

from matching.concept import Concept, ConceptKind
from matching.vocabulary import HOMONYMS


class Group(NamedTuple):
    """Concepts found for the same words: alternatives, any of which a maker may show."""

    codes: dict[str, float]  # concept → confidence
    positions: tuple[int, ...]  # token positions in the text
    variants: frozenset[str] = frozenset()  # specific materials the words name
    products: frozenset[str] = frozenset()  # codes named only as a product noun
    homonym: str = ""  # the homonym word, when the group is one


class Context:
    """The context rules over one taxonomy."""

    def __init__(self, concepts: Mapping[str, Concept]) -> None:
        self._concepts = concepts
        self._materials = frozenset(
            code for code, c in concepts.items() if c.kind is ConceptKind.MATERIAL
        )

    def kind(self, code: str) -> ConceptKind:
        return self._concepts[code].kind

    def settle(
        self, groups: list[Group], words: Collection[str], *, merge: bool
    ) -> tuple[list[Group], list[Group]]:
        """A request's groups as the context reads them (alike ones merged), and the homonym
        groups read as products. ``words`` are the text's folded content words."""
        kept, products = self.settle_codes(groups, words, listing=False)
        settled = [
            groups[i] if codes is groups[i].codes else groups[i]._replace(codes=codes)
            for i, codes in kept
        ]
        homonyms = [groups[i] for i in products]
        return (self._merge(settled) if merge else settled), homonyms

    def settle_codes(
        self, groups: Sequence[Group], words: Collection[str], *, listing: bool
    ) -> tuple[list[tuple[int, dict[str, float]]], list[int]]:
        """Which groups stand, each with its settled alternatives, and which homonym groups
        took their product reading. A listing also drops processes foreign to its materials."""
        live = self._homonyms(groups, words)
        products = [i for i in range(len(groups)) if i not in live]
        codes_of = self._product_nouns(groups, live)
        named = self._named_materials(codes_of.values())
        implied = named | self._implied_materials(codes_of.values())
        kept: list[tuple[int, dict[str, float]]] = []
        for i, codes in codes_of.items():
            if len(codes) > 1 and implied:
                fitting = {
                    c: conf
                    for c, conf in codes.items()
                    if c in implied or implied & set(self._concepts[c].materials)
                }
                codes = fitting or codes
            if listing and named and not self._fits_materials(codes, named):
                continue
            kept.append((i, codes))
        return kept, products

    # -- the rules ---------------------------------------------------------------------------

    def _homonyms(self, groups: Sequence[Group], words: Collection[str]) -> list[int]:
        """The groups that stand: a homonym with its cues around it is read as a product."""
        if not any(group.homonym for group in groups):
            return list(range(len(groups)))
        named = {
            code
            for group in groups
            if not group.homonym and len(group.codes) == 1
            for code in group.codes
        }
        live = []
        for i, group in enumerate(groups):
            cues = HOMONYMS.get(group.homonym) if group.homonym else None
            if cues is not None and (named & cues.concepts or not cues.words.isdisjoint(words)):
                continue
            live.append(i)
        return live

    def _product_nouns(
        self, groups: Sequence[Group], live: list[int]
    ) -> dict[int, dict[str, float]]:
        """Each standing group's alternatives, product nouns dropped where the other groups
        name something of their kind ("kakelplattor i glas": no ceramics)."""
        if not any(groups[i].products for i in live):
            return {i: groups[i].codes for i in live}
        named = {
            i: {self.kind(code) for code in groups[i].codes if code not in groups[i].products}
            for i in live
        }
        result: dict[int, dict[str, float]] = {}
        for i in live:
            group = groups[i]
            codes = group.codes
            if group.products:
                others = set().union(*(kinds for j, kinds in named.items() if j != i))
                codes = {
                    c: conf
                    for c, conf in codes.items()
                    if c not in group.products or self.kind(c) not in others
                }
                if not codes:
                    continue
            result[i] = codes
        return result

    def _named_materials(self, alternatives: Iterable[dict[str, float]]) -> set[str]:
        """Materials named outright and without doubt."""
        return {
            code
            for codes in alternatives
            if len(codes) == 1
            for code in codes
            if code in self._materials
        }

    def _implied_materials(self, alternatives: Iterable[dict[str, float]]) -> set[str]:
        """Materials implied by a process of one material ("glasblåsning" → glass)."""
        implied: set[str] = set()
        for codes in alternatives:
            if len(codes) == 1:
                code = next(iter(codes))
                materials = self._concepts[code].materials
                if len(materials) == 1:
                    implied.update(materials)
        return implied

    def _fits_materials(self, codes: Mapping[str, float], named: set[str]) -> bool:
        for code in codes:
            concept = self._concepts[code]
            if concept.kind is ConceptKind.MATERIAL:
                return True
            if "other" in concept.materials or named & set(concept.materials):
                return True
        return False

    @staticmethod
    def _merge(groups: list[Group]) -> list[Group]:
        merged: dict[frozenset[str], Group] = {}
        for group in groups:
            key = frozenset(group.codes)
            old = merged.get(key)
            if old is not None:
                group = Group(
                    {c: max(conf, old.codes[c]) for c, conf in group.codes.items()},
                    tuple(sorted(set(old.positions) | set(group.positions))),
                    old.variants | group.variants,
                    old.products & group.products,
                )
            merged[key] = group
        return list(merged.values())
