"""Why a maker matched: the maker's own words for what was asked, in context, and the rest.

Nothing here reads a maker's text for meaning again: where the listing shows each concept
and specific material was found when the index was built (:mod:`matching.listing`); this
module only cuts the words and a short snippet out of the text at those places.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from matching.concept import ConceptKind
from matching.evidence import Entry
from matching.interpret import HitGroup, Interpretation
from matching.models import STAGE_ORDER, MakerProfile, VolumeStage, neighbouring_stages
from matching.ranking import CapabilityReason, Explanation, VolumeFit, WordReason
from matching.scoring import Matrices, Scorer
from matching.taxonomy import concept_by_code
from matching.text import fold, word_spans

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
SNIPPET_WORDS = 12  # words of a description quoted around the evidence
SUMMARY_CHARS = 120


def volume_fit(stage: VolumeStage | None, offered: frozenset[VolumeStage]) -> VolumeFit:
    if stage is None:
        return VolumeFit.NOT_ASKED
    if not offered:
        return VolumeFit.UNKNOWN
    if stage in offered:
        return VolumeFit.MATCH
    if offered & neighbouring_stages(stage):
        return VolumeFit.NEAR
    return VolumeFit.MISMATCH


def typed_words(*texts: str, wanted: Collection[str] | None = None) -> dict[str, str]:
    """Folded word → the word as written, so explanations quote people, not our index keys;
    only the ``wanted`` folded words when given."""
    typed: dict[str, str] = {}
    for text in texts:
        for word in _WORD.findall(text or ""):
            key = fold(word).replace(" ", "")
            if wanted is None or key in wanted:
                typed.setdefault(key, word)
    return typed


def summary_line(description: str) -> str:
    """The first sentence of a description, shortened to one line.

    >>> summary_line("Sandgjuteri som gjuter handtag och beslag. Vi tar även små serier.")
    'Sandgjuteri som gjuter handtag och beslag.'
    """
    text = " ".join((description or "").split())
    if not text:
        return ""
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= SUMMARY_CHARS:
        return first
    cut = first[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


class _Texts:
    """The maker's texts in the order the listing reader numbered them."""

    def __init__(self, maker: MakerProfile) -> None:
        self.maker = maker
        self.texts = (
            *maker.materials,
            *maker.processes,
            maker.description,
            maker.name,
            maker.equipment,
        )
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def source(self, number: int) -> str:
        materials, processes = len(self.maker.materials), len(self.maker.processes)
        if number < materials:
            return "materials"
        if number < materials + processes:
            return "processes"
        if number == materials + processes:
            return "description"
        return "name" if number == materials + processes + 1 else "equipment"

    def spans(self, number: int) -> list[tuple[int, int]]:
        if number not in self._spans:
            self._spans[number] = word_spans(self.texts[number])
        return self._spans[number]

    def words(self, entry: Entry) -> str:
        _, number, first, last = entry
        spans = self.spans(number)
        if first >= len(spans):
            return ""
        end = spans[min(last, len(spans) - 1)][1]
        return self.texts[number][spans[first][0] : end]

    def snippet(self, entry: Entry) -> str:
        """The words around the evidence, as the maker wrote them; a cell is quoted whole."""
        _, number, first, last = entry
        text = self.texts[number]
        if self.source(number) not in ("description", "equipment"):
            return text
        spans = self.spans(number)
        if not spans:
            return ""
        first, last = min(first, len(spans) - 1), min(last, len(spans) - 1)
        start_word = max(0, first - SNIPPET_WORDS // 2)
        end_word = min(len(spans) - 1, max(last, start_word + SNIPPET_WORDS - 1))
        # Stay within the sentence the words are in.
        sentence_start = max(
            (m.end() for m in _SENTENCE_END.finditer(text, 0, spans[first][0])), default=0
        )
        sentence_end = next(
            (m.start() for m in _SENTENCE_END.finditer(text, spans[last][1])), len(text)
        )
        start = max(spans[start_word][0], sentence_start)
        end = min(spans[end_word][1], sentence_end)
        quoted = text[start:end].strip().rstrip(",;:")
        prefix = "…" if start > 0 and start != sentence_start else ""
        suffix = "…" if end < sentence_end else ""
        return f"{prefix}{quoted}{suffix}"


def _entries(evidence: Sequence[Entry], *keys: str) -> list[Entry]:
    wanted = set(keys)
    return [entry for entry in evidence if entry[0] in wanted]


def _reason(
    group: HitGroup,
    direct: float,
    weak: float,
    m: Matrices,
    row: int,
    scorer: Scorer,
    texts: _Texts,
    evidence: Sequence[Entry],
) -> CapabilityReason | None:
    taxonomy = concept_by_code()
    columns = scorer.columns
    if direct <= 0.0 and weak <= 0.0:
        return None
    # The alternative that shows it best.
    best = max(
        group.hits,
        key=lambda h: (float(m.direct[row, columns[h.code]]) * h.confidence, h.code),
    )
    concept = taxonomy[best.code]
    kind, via, found = "direct", None, []
    if concept.kind is ConceptKind.PROCESS:
        found = _entries(evidence, best.code)
        if direct <= 0.0 or not found:
            near = [p for p in concept.neighbours if float(m.direct[row, columns[p]]) > 0]
            offered = [mat for mat in concept.materials if _entries(evidence, mat)]
            if near:
                kind, found = "neighbour", _entries(evidence, *near)
            else:
                kind, via = "via_material", offered[0] if offered else None
                found = _entries(evidence, via) if via else []
    else:
        specific = _entries(evidence, *best.variants)
        if specific:
            found = specific
        elif best.variants and float(m.generic[row, columns[best.code]]) > 0:
            kind = "generic"
            found = [e for e in _entries(evidence, best.code) if e not in specific]
        elif direct > 0.0:
            found = _entries(evidence, best.code) or _implying(evidence, best.code)
        else:
            found = _entries(evidence, best.code)
            kind = "family" if found else "neighbour"
            if not found:
                near = [n for n in concept.neighbours if _entries(evidence, n)]
                found = _entries(evidence, *near)
    distinct: dict[str, str] = {}
    for entry in found:
        word = texts.words(entry)
        if word:
            distinct.setdefault(word.casefold(), word)  # "ek" and "Ek" once
    maker_words = tuple(distinct.values())
    first = found[0] if found else None
    return CapabilityReason(
        code=best.code,
        kind=concept.kind.value,
        label_sv=concept.sv,
        label_en=concept.en,
        request_words=group.words,
        maker_words=maker_words[:5],
        via_material=via,
        strength=round(max(direct, weak), 3),
        evidence=kind,
        snippet=texts.snippet(first) if first else "",
        source=texts.source(first[1]) if first else "",
    )


def _implying(evidence: Sequence[Entry], material: str) -> list[Entry]:
    """Entries of the processes that imply ``material`` ("glasblåsning" for glass)."""
    taxonomy = concept_by_code()
    return [
        entry
        for entry in evidence
        if entry[0] in taxonomy and taxonomy[entry[0]].materials == (material,)
    ]


def explain(
    *,
    maker: MakerProfile,
    interpretation: Interpretation,
    scorer: Scorer,
    matrices: Matrices,
    row: int,
    evidence: Sequence[Entry],
    group_values: Sequence[tuple[float, float]],
    word_hits: Sequence[tuple[str, str]],
    asked: Mapping[str, str],
    distance_km: float | None,
    radius_km: float | None,
    volume: VolumeStage | None,
    evidence_score: float = 0.0,
) -> Explanation:
    """``group_values`` are (direct, weak) per asked group for this maker, as scored."""
    texts = _Texts(maker)
    reasons: list[CapabilityReason] = []
    for group, (direct, weak) in zip(interpretation.groups, group_values, strict=True):
        reason = _reason(group, direct, weak, matrices, row, scorer, texts, evidence)
        if reason is not None:
            reasons.append(reason)
    written = {}
    if word_hits:
        written = typed_words(
            maker.name,
            *maker.materials,
            *maker.processes,
            maker.description,
            maker.equipment,
            wanted={m for _, m in word_hits},
        )
    words = tuple(
        dict.fromkeys(WordReason(asked.get(q, q), written.get(m, m)) for q, m in word_hits)
    )
    return Explanation(
        capabilities=tuple(reasons),
        words=words,
        distance_km=None if distance_km is None else round(distance_km, 1),
        within_radius=None
        if radius_km is None or distance_km is None
        else distance_km <= radius_km,
        volume_fit=volume_fit(volume, maker.volumes),
        maker_volumes=tuple(v for v in STAGE_ORDER if v in maker.volumes),
        last_confirmed=maker.last_confirmed,
        evidence=round(evidence_score, 3),
        summary=summary_line(maker.description),
        town=maker.town,
        website=maker.website,
    )
