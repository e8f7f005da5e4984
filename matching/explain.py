"""Why a maker matched: which request words hit which capability, distance, volume fit."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from matching.interpret import Interpretation, Interpreter
from matching.models import STAGE_ORDER, MakerProfile, VolumeStage, neighbouring_stages
from matching.ranking import CapabilityReason, Explanation, VolumeFit, WordReason
from matching.taxonomy import concept_by_code
from matching.text import fold

_WORD = re.compile(r"\w+")


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


def _as_typed(*texts: str) -> dict[str, str]:
    """Folded word → the word as written, so explanations quote people, not our index keys."""
    typed: dict[str, str] = {}
    for text in texts:
        for word in _WORD.findall(text or ""):
            typed.setdefault(fold(word).replace(" ", ""), word)
    return typed


def _maker_evidence(maker: MakerProfile, interpreter: Interpreter) -> dict[str, list[str]]:
    """For each concept, the maker's own words that show it."""
    evidence: dict[str, list[str]] = {}
    texts = (*maker.materials, *maker.processes, maker.description)
    for text in texts:
        if not text:
            continue
        for group in interpreter.interpret(text, fuzzy=False).groups:
            for hit in group.hits:
                words = evidence.setdefault(hit.code, [])
                words.extend(w for w in hit.words if w not in words)
    return evidence


def explain(
    *,
    maker: MakerProfile,
    interpretation: Interpretation,
    interpreter: Interpreter,
    concept_row: np.ndarray,
    columns: Mapping[str, int],
    word_hits: Sequence[tuple[str, str]],
    distance_km: float | None,
    radius_km: float | None,
    volume: VolumeStage | None,
) -> Explanation:
    evidence = _maker_evidence(maker, interpreter)
    taxonomy = concept_by_code()
    reasons: list[CapabilityReason] = []
    for group in interpretation.groups:
        best = max(group.hits, key=lambda h: (float(concept_row[columns[h.code]]), h.code))
        strength = float(concept_row[columns[best.code]])
        if strength <= 0.0:
            continue
        concept = taxonomy[best.code]
        maker_words = tuple(evidence.get(best.code, ()))
        via = None
        if not maker_words and concept.materials:
            offered = [m for m in concept.materials if evidence.get(m)]
            via = offered[0] if offered else None
            if via is not None:
                maker_words = tuple(evidence[via])
        reasons.append(
            CapabilityReason(
                code=best.code,
                kind=concept.kind.value,
                label_sv=concept.sv,
                label_en=concept.en,
                request_words=group.words,
                maker_words=maker_words[:5],
                via_material=via,
                strength=round(strength, 3),
            )
        )
    asked = _as_typed(interpretation.text)
    written = _as_typed(maker.name, *maker.materials, *maker.processes, maker.description)
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
    )
