"""The world map: countries coloured by their latest stance on one issue, blocs listed under it.

Countries are placed by their ISO 3166-1 alpha-3 ids; a bloc has no shape, so it is named with
its stance under the map, where an image of the map still shows it. The map's shapes are the
offline world map under ``static/topojson``: the app serves it at :data:`TOPOJSON_URL`, and
``export`` points kaleido at the same folder on disk.

The map shows the region that holds the issue's countries (:func:`fitting_region`): Europe for
a European issue, East Asia for a Korean one, the world when they are spread out. A country
too small to see at that scale gets a dot at its centre, and a country with a position that the
view leaves out (or that the 1:110m map has no shape for) is named under the map with its
stance, so an image of the map still holds every country it speaks for. The centres and extents
come from the same world map file: nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.caption import NARROW_WIDTH, Caption, apply_caption, plain, shorten, text_width
from stances.chartparts import (
    category_codes,
    hover_column,
    note_in_the_middle,
    stance_colorbar,
    stance_or_none,
    stance_text,
)
from stances.model import Scale

ISO3 = re.compile(r"^[A-Z]{3}$")
BLOC_FONT = 12  # the map's list of blocs under it
# a line of that list: its swatch (BLOC_FONT + 6 px) sets the line's height, measured in Chromium at
# about 20 px; 12 px text alone would give 16 and the next list would touch the last line
LIST_LINE_PX = 21
OLD_OPACITY = 0.35  # a country whose stance is older than the fading limit: pale, not gone
TOPOJSON_URL = "app/static/topojson/"  # Streamlit's static serving of static/topojson
WORLD_FILE = Path(__file__).resolve().parent.parent / "static" / "topojson" / "world_110m.json"


@dataclass(frozen=True)
class Region:
    """A part of the world the map can show: a box of longitudes and latitudes (degrees)."""

    id: str
    name: str
    lon: tuple[float, float]
    lat: tuple[float, float]


WORLD = Region("world", "World", (-180.0, 180.0), (-58.0, 85.0))
# Boxes about twice as wide as high once projected, the shape of the map's plot area.
REGIONS: dict[str, Region] = {
    r.id: r
    for r in (
        WORLD,
        Region("europe", "Europe", (-25.0, 50.0), (33.0, 71.0)),
        Region("middle-east", "Middle East", (20.0, 70.0), (10.0, 43.0)),
        Region("south-asia", "South Asia", (55.0, 105.0), (3.0, 40.0)),
        Region("east-asia", "East Asia", (88.0, 150.0), (15.0, 56.0)),
    )
}
FIT_SHARE = 2 / 3  # a region is chosen when it holds at least this share of the issue's countries
SEEN_DEGREES = 5.0  # a country is in view when this much of it (or all of it) lies in the box
MAP_PX = (760.0, 420.0)  # the map's plot area in the app's narrowest column (px), for "too small"
SMALL_PX = 12.0  # a country whose largest part spans fewer px than this gets a dot
DOT_SIZE = 9


@dataclass(frozen=True)
class Shape:
    """A country of the world map: plotly's own centre for it and the box of each of its parts."""

    centre: tuple[float, float]  # (lon, lat)
    parts: tuple[tuple[float, float, float, float], ...]  # (lon0, lat0, lon1, lat1) per polygon


@functools.cache
def world_shapes() -> dict[str, Shape]:
    """ISO alpha-3 id -> :class:`Shape`, read once from the shipped world map (empty if it is missing).

    The centre is the file's ``ct`` property, where plotly.js itself puts a country's marker;
    each part is the bounding box of a polygon's outer ring, decoded from the quantized arcs.
    """
    try:
        world = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    (sx, sy), (tx, ty) = world["transform"]["scale"], world["transform"]["translate"]
    boxes = []
    for arc in world["arcs"]:
        xs = list(itertools.accumulate(p[0] for p in arc))
        ys = list(itertools.accumulate(p[1] for p in arc))
        boxes.append((min(xs) * sx + tx, min(ys) * sy + ty, max(xs) * sx + tx, max(ys) * sy + ty))

    def ring_box(ring: list[int]) -> tuple[float, float, float, float]:
        parts = [boxes[i if i >= 0 else ~i] for i in ring]
        return min(p[0] for p in parts), min(p[1] for p in parts), max(p[2] for p in parts), max(p[3] for p in parts)

    shapes = {}
    for geometry in world["objects"]["countries"]["geometries"]:
        code, centre = geometry.get("id"), (geometry.get("properties") or {}).get("ct")
        if not code or not centre:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes[code] = Shape((float(centre[0]), float(centre[1])), tuple(ring_box(p[0]) for p in polygons if p))
    return shapes


def in_view(shape: Shape, region: Region, degrees: float = SEEN_DEGREES) -> bool:
    """Whether ``region`` shows enough of a country to see it: some part lies in the box by at
    least ``degrees`` each way, or wholly (Russia is in Europe's view, Iran's corner is not).
    With ``degrees`` 0, whether any of it is in the box at all."""
    for lon0, lat0, lon1, lat1 in shape.parts:
        wide = min(lon1, region.lon[1]) - max(lon0, region.lon[0])
        high = min(lat1, region.lat[1]) - max(lat0, region.lat[0])
        if wide > 0 and high > 0 and wide >= min(degrees, lon1 - lon0) and high >= min(degrees, lat1 - lat0):
            return True
    return False


def fitting_region(countries: Iterable[str]) -> str:
    """The id of the region to show ``countries`` (ISO alpha-3 ids) in: of the regions holding at
    least :data:`FIT_SHARE` of those the map can draw, the one holding most (the first in
    :data:`REGIONS` on a tie); else the world. The ones it leaves out are named under the map."""
    shapes = world_shapes()
    drawn = [shapes[c] for c in dict.fromkeys(countries) if c in shapes]
    best, held = WORLD.id, 0
    for region in REGIONS.values():
        if region is WORLD:
            continue
        count = sum(in_view(shape, region) for shape in drawn)
        if count > held and count >= FIT_SHARE * len(drawn):
            best, held = region.id, count
    return best


def _too_small(shape: Shape, region: Region) -> bool:
    """Whether a country spans fewer than :data:`SMALL_PX` px in ``region`` at the app's width."""
    px_per_degree = min(MAP_PX[0] / (region.lon[1] - region.lon[0]), MAP_PX[1] / (region.lat[1] - region.lat[0]))
    largest = max(shape.parts, key=lambda p: (p[2] - p[0]) * (p[3] - p[1]))
    return max(largest[2] - largest[0], largest[3] - largest[1]) * px_per_degree < SMALL_PX


def _geo(region: Region) -> dict:
    """The map's ``layout.geo``: the region's box in the Natural Earth projection, land in grey."""
    geo = {
        "projection": {"type": "natural earth"},
        "showframe": False,
        "showcoastlines": False,
        "showcountries": True,
        "countrycolor": palette.MUTED,
        "countrywidth": 0.5,
        "showland": True,
        "landcolor": palette.NO_DATA_LAND,
        "showocean": False,
        "showlakes": False,
        "bgcolor": palette.TRANSPARENT,
        "lataxis": {"range": list(region.lat)},
    }
    if region is not WORLD:
        geo["lonaxis"] = {"range": list(region.lon)}
        geo["projection"]["rotation"] = {"lon": sum(region.lon) / 2}
    return geo


def stance_map(
    latest_for_issue: pd.DataFrame,
    scale: Scale,
    caption: Caption,
    region: str | None = None,
    old_before: dt.date | None = None,
) -> go.Figure:
    """Choropleth of the latest stances on one issue by country (ISO 3166-1 alpha-3 ids).

    A country whose stance was stated before ``old_before`` is drawn pale (its shape and dot at
    OLD_OPACITY), its hover and the colour bar say so.

    ``region`` (an id of :data:`REGIONS`; None or unknown: :func:`fitting_region` of the countries)
    is the part of the world shown; ``layout.meta["region"]`` names it. A country too small to see
    there gets a dot of its stance's colour at its centre (trace "small countries").
    Blocs have no shape: they are listed under the map with their stance (a colour swatch and
    the stance in words), and so are countries outside the view or without a shape, so an image
    of the map still names them. Where plotly.js finds the world map is a plot option, not layout:
    ``charts.chart_config`` in the app, ``export.topojson_url`` for images.
    """
    rows = latest_for_issue
    kind = rows["actor_kind"] if "actor_kind" in rows else pd.Series(None, index=rows.index, dtype=object)
    country = (kind.eq("country") | (kind.isna() & rows["actor"].astype(str).str.match(ISO3.pattern))).astype(bool)
    blocs = rows[~country]
    rows = rows[country]
    shapes = world_shapes()
    view = REGIONS.get(region or "") or REGIONS[fitting_region(rows["actor"].tolist())]
    seen = rows["actor"].map(lambda c: c in shapes and in_view(shapes[c], view)).astype(bool)
    codes, colours, _ = category_codes(scale)
    stances = [stance_or_none(v) for v in rows["stance"].tolist()]
    hovers = hover_column(rows, scale)
    old = (rows["date_start"] < pd.Timestamp(old_before)).tolist() if old_before else [False] * len(rows)
    pale = f"pale: stated before {old_before.isoformat()}" if old_before and any(old) else ""
    pale_title = f"<br>pale: stated before<br>{old_before.isoformat()}" if pale and old_before else ""
    hovers = [f"{h}<br><i>{pale}</i>" if o else h for h, o in zip(hovers, old, strict=True)]
    opacity = [OLD_OPACITY if o else 1.0 for o in old]
    # A country with no part in the box would be an empty path: it is only named under the map (a
    # sliver at the edge is drawn, and named too, as it is not "seen").
    ids = rows["actor"].tolist()
    keep = [i for i, c in enumerate(ids) if c in shapes and in_view(shapes[c], view, 0.0)]
    fig = go.Figure(
        go.Choropleth(
            locations=[ids[i] for i in keep],
            locationmode="ISO-3",
            z=[codes[stances[i]] for i in keep],
            text=[plain(stance_text(stances[i], scale)) for i in keep],
            hovertext=[hovers[i] for i in keep],
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=palette.discrete_colorscale(colours),
            zmin=-0.5,
            zmax=len(colours) - 0.5,
            colorbar=stance_colorbar(scale, _colorbar_title(view) + pale_title),
            marker={"line": {"color": palette.MUTED, "width": 0.5}},
            # plotly.js draws a choropleth's marker.opacity as one value: the older stances are
            # paled as the points a selection leaves out
            selectedpoints=[j for j, i in enumerate(keep) if not old[i]] if pale else None,
            unselected={"marker": {"opacity": OLD_OPACITY}},
            name="stances",
        )
    )
    small = [
        i
        for i, (c, s) in enumerate(zip(rows["actor"].tolist(), seen, strict=True))
        if s and _too_small(shapes[c], view)
    ]
    if small:
        ids = [rows["actor"].iloc[i] for i in small]
        fig.add_trace(
            go.Scattergeo(
                lon=[shapes[c].centre[0] for c in ids],
                lat=[shapes[c].centre[1] for c in ids],
                mode="markers",
                marker={
                    "size": DOT_SIZE,
                    "color": [palette.stance_colour(stances[i], scale) for i in small],
                    "line": {"color": palette.MUTED, "width": 1},
                    "opacity": [opacity[i] for i in small],
                },
                hovertext=[hovers[i] for i in small],
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name="small countries",
            )
        )
    lists = [
        ("blocs", _listed_lines("Blocs (not on the map):", blocs, scale)),
        ("outside", _listed_lines(_outside_head(view), rows[~seen.to_numpy()], scale)),
    ]
    space = 0
    for name, lines in lists:
        if not lines:
            continue
        fig.add_annotation(
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            xshift=0,
            yshift=-6 - space,
            showarrow=False,
            align="left",
            font={"size": BLOC_FONT},
            name=name,
        )
        space += len(lines) * LIST_LINE_PX + 8
    fig.update_layout(
        geo=_geo(view),
        margin={"l": 10, "r": 10, "t": 10, "b": 10 + (space + 4 if space else 0)},
        meta={"region": view.id},
        uirevision=plain(caption.title) + view.id,
    )
    if rows.empty:
        note_in_the_middle(fig, "No country has a position on this issue for this selection.", size=14)
    return apply_caption(fig, caption)


def _outside_head(view: Region) -> str:
    """The head of the list of countries the map does not show: out of the region, or (on the world
    map) without a shape at 1:110m."""
    return "Not on this map:" if view is WORLD else "Outside this view:"


def _colorbar_title(view: Region) -> str:
    return "Stance<br>grey land: no position" + ("" if view is WORLD else f"<br>view: {view.name}")


def _listed_lines(head: str, listed: pd.DataFrame, scale: Scale, max_lines: int = 3) -> list[str]:
    """``Head ■ NATO +1 supports; ■ ...`` wrapped to the app's narrowest column (escaped), where
    plotly would cut a line wrapped for the 1200 px image.

    Each actor has a swatch of its stance's colour and the stance in words (other voices named);
    what does not fit on ``max_lines`` lines is counted as ``+N more``.
    """
    if listed.empty:
        return []
    items: list[tuple[str, str]] = []  # (raw text for measuring, escaped text with its swatch)
    for row in listed.loc[:, ["actor_name", "stance", "voice"]].to_dict("records"):
        stance = stance_or_none(row["stance"])
        voice = "" if row["voice"] == "official" else f" ({row['voice']})"
        words = f"{shorten(str(row['actor_name']), 60)} {stance_text(stance, scale)}{voice}"
        swatch = f'<span style="color:{palette.stance_colour(stance, scale)};font-size:{BLOC_FONT + 6}px">■</span>'
        items.append((f"■ {words}", f"{swatch} {plain(words)}"))
    width = NARROW_WIDTH - 20

    def pack(count: int) -> list[list[int]] | None:
        tokens = [*range(count)] + ([-1] if count < len(items) else [])
        lines: list[list[int]] = [[]]
        used = text_width(head, BLOC_FONT)
        for t in tokens:
            raw = f"+{len(items) - count} more" if t < 0 else items[t][0] + ";"
            w = text_width(" " + raw, BLOC_FONT)
            if lines[-1] and used + w > width:
                lines.append([])
                used = 0.0
            lines[-1].append(t)
            used += w
        return lines if len(lines) <= max_lines else None

    count = len(items)
    layout = pack(count)
    while layout is None and count > 1:
        count -= 1
        layout = pack(count)
    layout = layout or [[0, -1]]
    out = []
    for k, line in enumerate(layout):
        parts = [f"+{len(items) - count} more" if t < 0 else items[t][1] for t in line]
        text = "; ".join(parts) + (";" if k < len(layout) - 1 else "")
        out.append(f"{head} {text}" if k == 0 else text)
    return out
