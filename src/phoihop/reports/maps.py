"""A map of issues by commune, drawn server-side as SVG.

Commune boundaries of the 2025 two-level system are not available offline, so each commune
is drawn as the area closer to its centre than to any other centre (a Voronoi cell), clipped
to the province's outline as approximated by the hull of the centres. Shading by the number
of issues makes it a choropleth; the data table beside it carries the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPoint, Point, Polygon

WIDTH = 560.0


@dataclass(frozen=True)
class Commune:
    name: str
    latitude: float
    longitude: float
    count: int


@dataclass(frozen=True)
class Cell:
    name: str
    count: int
    shade: int  # 0 (none) … 4 (most)
    path: str  # SVG path data
    x: float  # centre, for a label or a dot
    y: float


@dataclass(frozen=True)
class CommuneMap:
    width: float
    height: float
    cells: list[Cell]


def shade_of(count: int, top: int) -> int:
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / top)))


def _ring_path(coords: list[tuple[float, float]]) -> str:
    points = " L ".join(f"{x:.1f},{y:.1f}" for x, y in coords[:-1])
    return f"M {points} Z"


def commune_map(communes: list[Commune]) -> CommuneMap | None:
    """The cells of the communes that have a centre; None when fewer than three do."""
    placed = [c for c in communes if c.latitude and c.longitude]
    if len(placed) < 3:
        return None
    lat0 = sum(c.latitude for c in placed) / len(placed)
    squeeze = math.cos(math.radians(lat0))
    xs = [c.longitude * squeeze for c in placed]
    ys = [-c.latitude for c in placed]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = WIDTH / (span * 1.15)
    margin = span * 0.075
    left, top = min(xs) - margin, min(ys) - margin
    pts = [((x - left) * scale, (y - top) * scale) for x, y in zip(xs, ys, strict=True)]
    height = (max(ys) - min(ys) + 2 * margin) * scale
    width = (max(xs) - min(xs) + 2 * margin) * scale

    spacing = math.sqrt(width * height / len(pts))
    outline = MultiPoint(pts).convex_hull.buffer(spacing * 0.45)
    frame = Polygon([(0, 0), (width, 0), (width, height), (0, height)])
    regions = shapely.voronoi_polygons(MultiPoint(pts), extend_to=frame.buffer(spacing))
    top_count = max(c.count for c in placed)
    cells: list[Cell] = []
    for commune, (x, y) in zip(placed, pts, strict=True):
        point = Point(x, y)
        region = next((r for r in regions.geoms if r.contains(point)), None)
        if region is None:
            continue
        shape = region.intersection(outline)
        if shape.is_empty:
            continue
        polygons = list(shape.geoms) if hasattr(shape, "geoms") else [shape]
        path = " ".join(
            _ring_path(list(p.exterior.coords)) for p in polygons if isinstance(p, Polygon)
        )
        cells.append(
            Cell(commune.name, commune.count, shade_of(commune.count, top_count), path, x, y)
        )
    return CommuneMap(width=round(width, 1), height=round(height, 1), cells=cells)
