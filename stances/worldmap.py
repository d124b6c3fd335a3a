"""The world map: countries coloured by their latest stance on one issue, blocs listed under it.

Countries are placed by their ISO 3166-1 alpha-3 ids; a bloc has no shape, so it is named with
its stance under the map, where an image of the map still shows it. The map's shapes are the
offline world map under ``static/topojson``: the app serves it at :data:`TOPOJSON_URL`, and
``export`` points kaleido at the same folder on disk.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.caption import WIDTH, Caption, apply_caption, plain, shorten, text_width
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
TOPOJSON_URL = "app/static/topojson/"  # Streamlit's static serving of static/topojson


def stance_map(
    latest_for_issue: pd.DataFrame, scale: Scale, caption: Caption, topojson_url: str | None = None
) -> go.Figure:
    """Choropleth of the latest stances on one issue by country (ISO 3166-1 alpha-3 ids).

    Blocs have no shape: they are listed under the map with their stance (a colour swatch and
    the stance in words), so an image of the map still names them. plotly.js fetches its world
    map from ``topojson_url`` (a folder holding ``world_110m.json``); it is kept in
    ``layout.meta["topojsonURL"]`` for ``charts.plot_config`` since it is a plot option, not layout.
    """
    rows = latest_for_issue
    kind = rows["actor_kind"] if "actor_kind" in rows else pd.Series(None, index=rows.index, dtype=object)
    country = (kind.eq("country") | (kind.isna() & rows["actor"].astype(str).str.match(ISO3.pattern))).astype(bool)
    blocs = rows[~country]
    rows = rows[country]
    codes, colours, _ = category_codes(scale)
    stances = [stance_or_none(v) for v in rows["stance"].tolist()]
    fig = go.Figure(
        go.Choropleth(
            locations=rows["actor"].tolist(),
            locationmode="ISO-3",
            z=[codes[s] for s in stances],
            text=[plain(stance_text(s, scale)) for s in stances],
            hovertext=hover_column(rows, scale),
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=palette.discrete_colorscale(colours),
            zmin=-0.5,
            zmax=len(colours) - 0.5,
            colorbar=stance_colorbar(scale, "Stance<br>grey land: no position"),
            marker={"line": {"color": palette.MUTED, "width": 0.5}},
            name="stances",
        )
    )
    bloc_lines = _bloc_lines(blocs, scale)
    bloc_space = round(len(bloc_lines) * BLOC_FONT * 1.3) + 8 if bloc_lines else 0
    if bloc_lines:
        fig.add_annotation(
            text="<br>".join(bloc_lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            xshift=0,
            yshift=-6,
            showarrow=False,
            align="left",
            font={"size": BLOC_FONT},
            name="blocs",
        )
    fig.update_layout(
        geo={
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
            "lataxis": {"range": [-58, 85]},
        },
        margin={"l": 10, "r": 10, "t": 10, "b": 10 + bloc_space},
        meta={"topojsonURL": topojson_url} if topojson_url else None,
        uirevision=plain(caption.title),
    )
    if rows.empty:
        note_in_the_middle(fig, "No country has a position on this issue for this selection.", size=14)
    return apply_caption(fig, caption)


def _bloc_lines(blocs: pd.DataFrame, scale: Scale, max_lines: int = 2) -> list[str]:
    """``Blocs (not on the map): ■ NATO +1 supports; ■ ...`` wrapped to the figure's width (escaped).

    Each bloc has a swatch of its stance's colour and the stance in words (other voices named);
    what does not fit on ``max_lines`` lines is counted as ``+N more``.
    """
    if blocs.empty:
        return []
    items: list[tuple[str, str]] = []  # (raw text for measuring, escaped text with its swatch)
    for row in blocs.loc[:, ["actor_name", "stance", "voice"]].to_dict("records"):
        stance = stance_or_none(row["stance"])
        voice = "" if row["voice"] == "official" else f" ({row['voice']})"
        words = f"{shorten(str(row['actor_name']), 60)} {stance_text(stance, scale)}{voice}"
        swatch = f'<span style="color:{palette.stance_colour(stance, scale)};font-size:{BLOC_FONT + 6}px">■</span>'
        items.append((f"■ {words}", f"{swatch} {plain(words)}"))
    width = WIDTH - 20
    head = "Blocs (not on the map):"

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
