"""DataFrame -> plotly Figure, one function per chart kind. Pure: no Streamlit, no I/O.

Every builder takes a ``Caption`` and returns a 1200x675 figure that says what it shows (title,
subtitle, footer with sources and revision). The conventions all charts share, and the pieces
they are built from, are in ``stances.chartparts``; the world map is in ``stances.worldmap``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.analysis import actors_with_positions, issues_with_positions
from stances.caption import (
    HEIGHT,
    TITLE_SPACE,
    WIDTH,
    Caption,
    apply_caption,
    footer_space,
    plain,
    shorten,
    shorten_apart,
    text_width,
)
from stances.chartparts import (
    HOVER_COLUMNS,
    LABEL_MAX,
    actor_tick_labels,
    axis,
    category_codes,
    hover_column,
    hover_text,
    names_of,
    note_in_the_middle,
    quote_budget,
    signed,
    stance_colorbar,
    stance_or_none,
    stance_text,
    wrap_label,
    wrap_px,
)
from stances.model import Scale
from stances.worldmap import TOPOJSON_URL

SLANT_MAX = 22  # longest actor name on a slanted axis
# Text inside the plot is sized for this width: exports are 1200 px wide, but in the app the
# figure stretches to its column (about 900-1000 px beside the sidebar) and plotly does not
# shrink text to fit a cell.
FIT_WIDTH = 900
# Issue titles must not collide even in the narrowest usual column: a 1200 px window with the
# sidebar open leaves the chart about 740 px (cell text keeps FIT_WIDTH: it may get roomier).
LABEL_FIT_WIDTH = 740
COLORBAR_ROOM = 150  # px right of the heatmap for the colour bar and its labels
CHAR_PX = 6.6  # average glyph width of the 12 px font, for margin estimates


def _cell_labels(
    stances: Sequence[int | None], official: Sequence[bool], scale: Scale, width: float, size: int
) -> list[str]:
    """Text of heatmap cells ``width`` px wide: the whole stance when every one fits, else its number.

    One rule for all cells (a reader compares them); never a cut word: a declined stance is
    "declined" or, in a narrow cell, "–"; an expert or reported voice gets ``*``.
    """
    room = width - 6
    full = [stance_text(s, scale) + ("" if o else "*") for s, o in zip(stances, official, strict=True)]
    if all(text_width(t, size) <= room for t in set(full)):  # a handful of distinct labels
        return full
    declined = "declined" if text_width("declined*", size) <= room else "–"
    return [(declined if s is None else signed(s)) + ("" if o else "*") for s, o in zip(stances, official, strict=True)]


def stance_heatmap(
    latest: pd.DataFrame,
    scale: Scale,
    caption: Caption,
    actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
    issue_titles: Mapping[str, str] | None = None,
) -> go.Figure:
    """Actors (rows) x issues (columns), colour and text = latest stance, hover = the quote.

    ``latest`` is ``analysis.latest_stances(...)``. Cells hold the stance number (its words when
    every cell has room for them; the legend has them always); cells without a position stay
    blank; a declined stance has its own grey and the word "declined" (or "–" when narrow).
    Positions from a voice other than "official" are marked with ``*``. ``issue_titles``
    (``Dataset.issue_titles()``) names chosen issues that have no row here; without it they
    show their id.
    """
    actors = list(actors) if actors is not None else actors_with_positions(latest)
    issues = list(issues) if issues is not None else issues_with_positions(latest)
    rows = latest[latest["actor"].isin(actors) & latest["issue"].isin(issues)]
    if not actors or not issues:
        return empty_figure("No positions to show for this selection.", caption)
    n_a, n_i = len(actors), len(issues)
    actor_index = {a: i for i, a in enumerate(actors)}
    issue_index = {s: j for j, s in enumerate(issues)}
    actor_names = names_of(latest, actors, "actor", "actor_name")
    known = dict(issue_titles or {})
    issue_titles = {
        i: t if t != i else str(known.get(i, i)) for i, t in names_of(latest, issues, "issue", "issue_title").items()
    }

    # Geometry: room for actor names on the left, wrapped issue titles on top, colour bar right.
    # Sized for the app's column (FIT_WIDTH); the 1200 px export only gets roomier.
    bottom_space = footer_space(caption)
    tick_font = 12
    label_w = max(text_width(shorten(actor_names[a], LABEL_MAX), tick_font) for a in actors)
    left = int(min(label_w, text_width("n" * LABEL_MAX, tick_font))) + 24
    plot_w = FIT_WIDTH - left - COLORBAR_ROOM
    col_w = plot_w / n_i
    label_col_w = (LABEL_FIT_WIDTH - left - COLORBAR_ROOM) / n_i
    titles = [issue_titles[s] for s in issues]
    words = [w for t in titles for w in re.split(r"(?<=-)|\s+", t) if w]
    # the largest font at which every word of every title fits its column, else slanted labels
    title_font = next((f for f in (11, 10, 9) if max(text_width(w, f) for w in words) <= label_col_w - 6), 0)
    vertical = label_col_w < 40 or not title_font
    if vertical:
        title_font = 11
        short = shorten_apart(titles, 22)
        issue_ticks = [plain(t) for t in short]
        top = int(max(text_width(t, 11) for t in short)) + 16
    else:
        wrapped = [wrap_px(t, label_col_w - 6, title_font, 5) for t in titles]
        issue_ticks = ["<br>".join(plain(line) for line in lines) for lines in wrapped]
        top = (title_font + 4) * max(len(lines) for lines in wrapped) + 16
    plot_h = HEIGHT - TITLE_SPACE - top - 10 - bottom_space
    row_h = plot_h / n_a
    tick_font = max(8, min(12, int(row_h * 0.75)))
    actor_ticks, label_w = actor_tick_labels([actor_names[a] for a in actors], tick_font, row_h)
    left = int(label_w) + 24
    cell_font = max(8, min(13, int(row_h * 0.55)))
    show_text = row_h >= 9 and col_w >= 12  # narrow cells still get the number

    z = np.full((n_a, n_i), np.nan)
    text = np.full((n_a, n_i), "", dtype=object)
    row_names = np.array([f"<b>{plain(shorten(actor_names[a], 60))}</b> · " for a in actors], dtype=object)
    col_names = np.array(
        [plain(shorten(issue_titles[s], 60)) + "<br>no position recorded" for s in issues], dtype=object
    )
    hover = row_names[:, None] + col_names[None, :]
    codes, colours, _ = category_codes(scale)
    marked = False
    if not rows.empty:
        r_idx = rows["actor"].map(actor_index).to_numpy()
        c_idx = rows["issue"].map(issue_index).to_numpy()
        stances = [stance_or_none(v) for v in rows["stance"].tolist()]
        z[r_idx, c_idx] = [codes[s] for s in stances]
        official = (rows["voice"] == "official").to_numpy()
        marked = not official.all()
        if show_text:
            text[r_idx, c_idx] = _cell_labels(stances, official, scale, col_w, cell_font)
        hover[r_idx, c_idx] = hover_column(rows, scale)

    bar_title = "Stance" + ("<br>* expert or reported voice" if marked else "") + "<br>blank: no position"
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(n_i)),
            y=list(range(n_a)),
            text=text,
            texttemplate="%{text}",
            textfont={"size": cell_font},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=palette.discrete_colorscale(colours),
            zmin=-0.5,
            zmax=len(colours) - 0.5,
            colorbar=stance_colorbar(scale, bar_title),
            xgap=2,
            ygap=2,
            hoverongaps=True,
            name="stances",
        )
    )
    fig.update_layout(
        xaxis=axis(
            side="top",
            tickmode="array",
            tickvals=list(range(n_i)),
            ticktext=issue_ticks,
            tickangle=-90 if vertical else 0,
            tickfont={"size": title_font},
            range=[-0.5, n_i - 0.5],
        ),
        yaxis=axis(
            tickmode="array",
            tickvals=list(range(n_a)),
            ticktext=actor_ticks,
            tickfont={"size": tick_font},
            autorange="reversed",
        ),
        margin={"l": left, "r": 20, "t": top, "b": 10},
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


def compare_bars(
    latest: pd.DataFrame,
    actors: Sequence[str],
    issues: Sequence[str] | None,
    scale: Scale,
    caption: Caption,
) -> go.Figure:
    """Diverging horizontal bars: one group per issue, one trace (bar pattern) per actor.

    A bar's colour is its stance's colour and its text names actor and stance (no legend is
    needed, nor colour to tell actors apart); a declined stance
    or a missing position is a zero-length bar with the words written beside it.
    """
    actors = list(actors)
    rows = latest[latest["actor"].isin(actors)]
    issues = list(issues) if issues is not None else issues_with_positions(rows)
    rows = rows[rows["issue"].isin(issues)]
    if not actors or not issues:
        return empty_figure("No positions to compare for this selection.", caption)
    actor_names = names_of(latest, actors, "actor", "actor_name")
    issue_titles = names_of(latest, issues, "issue", "issue_title")
    hover_chars = quote_budget(len(rows))
    by_pair = {(r["actor"], r["issue"]): r for r in rows.loc[:, ["actor", "issue", *HOVER_COLUMNS]].to_dict("records")}
    fig = go.Figure()
    for actor in actors:
        xs, colours, texts, positions, hovers = [], [], [], [], []
        short = shorten(actor_names[actor], 18)
        for issue in issues:
            row = by_pair.get((actor, issue))
            if row is None:
                xs.append(0)
                colours.append(palette.TRANSPARENT)
                texts.append(plain(f"{short}: no position"))
                positions.append("outside")
                hovers.append(
                    f"<b>{plain(shorten(actor_names[actor], 60))}</b> · "
                    f"{plain(shorten(issue_titles[issue], 60))}<br>no position recorded"
                )
                continue
            stance = stance_or_none(row["stance"])
            xs.append(0 if stance is None else stance)
            colours.append(palette.stance_colour(stance, scale))
            voice = "" if row["voice"] == "official" else f" ({row['voice']})"
            texts.append(plain(f"{short}: {stance_text(stance, scale)}{voice}"))
            positions.append("outside" if not stance else "auto")
            hovers.append(hover_text(row, scale, hover_chars))
        fig.add_trace(
            go.Bar(
                x=xs,
                y=list(range(len(issues))),
                orientation="h",
                name=plain(shorten(actor_names[actor], 40)),
                marker={"color": colours, "line": {"color": palette.MUTED, "width": 1}},
                text=texts,
                textposition=positions,
                textfont={"size": 11},
                insidetextanchor="middle",
                cliponaxis=False,
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    n_i = len(issues)
    label_chars = min(34, max(len(t) for t in issue_titles.values()))
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        xaxis=axis(
            range=[scale.low - 1.6, scale.high + 1.6],
            tickmode="array",
            tickvals=list(range(scale.low, scale.high + 1)),
            ticktext=[f"{signed(s)}<br>{wrap_label(scale.label(s), 14, 2)}" for s in range(scale.low, scale.high + 1)],
            showgrid=True,
            gridcolor=palette.GRID,
            zeroline=True,
            zerolinecolor=palette.MUTED,
            zerolinewidth=1,
        ),
        yaxis=axis(
            tickmode="array",
            tickvals=list(range(n_i)),
            ticktext=[wrap_label(issue_titles[s], 34, 2) for s in issues],
            autorange="reversed",
        ),
        showlegend=False,  # every bar names its actor: a legend would only repeat the colours of one bar
        margin={"l": int(label_chars * CHAR_PX) + 24, "r": 20, "t": 10, "b": 60},
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


def timeline_chart(timeline_df: pd.DataFrame, scale: Scale, caption: Caption) -> go.Figure:
    """How each actor's stance on one issue changed: a step line per actor, a marker per quote.

    Markers take the stance's colour (hollow for an expert or reported voice); declined
    positions sit on their own "declined" row below the scale.
    """
    if timeline_df.empty:
        return empty_figure("No positions on this issue for this selection.", caption)
    rows = timeline_df
    actors = list(dict.fromkeys(rows["actor"].tolist()))
    names = names_of(rows, actors, "actor", "actor_name")
    declined_y = scale.low - 1
    all_hovers = hover_column(rows, scale, quote_budget(len(rows)))
    any_declined = bool(rows["stance"].isna().any())
    hollow = bool((rows["voice"] != "official").any())
    fig = go.Figure()
    for k, actor in enumerate(actors):
        mask = (rows["actor"] == actor).to_numpy()
        part = rows[mask]
        colour = palette.ACTOR_COLOURS[k % len(palette.ACTOR_COLOURS)]
        symbol = palette.ACTOR_SYMBOLS[k % len(palette.ACTOR_SYMBOLS)]
        stances = [stance_or_none(v) for v in part["stance"].tolist()]
        official = (part["voice"] == "official").tolist()
        hovers = [h for h, m in zip(all_hovers, mask, strict=True) if m]
        x = [d.strftime("%Y-%m-%d") for d in part["date_start"]]
        group = {"legendgroup": actor, "hovertemplate": "%{hovertext}<extra></extra>"}
        # Declined positions break the line (a step down to them would read as a change of
        # stance) and get their own markers on the "declined" row.
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[s for s in stances],
                mode="lines+markers",
                line={"shape": "hv", "color": colour, "width": 2, "dash": palette.ACTOR_DASHES[k % 6]},
                marker={
                    "size": 11,
                    "color": [palette.stance_colour(s, scale) for s in stances],
                    "symbol": [symbol if o else f"{symbol}-open" for o in official],
                    "line": {"color": colour, "width": 2},
                },
                name=plain(shorten(names[actor], 40)),
                hovertext=hovers,
                connectgaps=False,
                **group,
            )
        )
        declined = [i for i, s in enumerate(stances) if s is None]
        if declined:
            fig.add_trace(
                go.Scatter(
                    x=[x[i] for i in declined],
                    y=[declined_y] * len(declined),
                    mode="markers",
                    marker={
                        "size": 11,
                        "color": palette.DECLINED_COLOUR,
                        "symbol": [symbol if official[i] else f"{symbol}-open" for i in declined],
                        "line": {"color": colour, "width": 2},
                    },
                    name=plain(shorten(names[actor], 40)) + " (declined)",
                    showlegend=False,
                    hovertext=[hovers[i] for i in declined],
                    **group,
                )
            )
    tickvals = ([declined_y] if any_declined else []) + list(range(scale.low, scale.high + 1))
    fig.update_layout(
        xaxis=axis(type="date", showgrid=True, gridcolor=palette.GRID, title={"text": "Date of statement"}),
        yaxis=axis(
            tickmode="array",
            tickvals=tickvals,
            ticktext=[plain(stance_text(None if v == declined_y else v, scale)) for v in tickvals],
            range=[(declined_y if any_declined else scale.low) - 0.5, scale.high + 0.5],
            showgrid=True,
            gridcolor=palette.GRID,
        ),
        # Always shown, even for one actor: a line with no name says nothing in a shared image.
        showlegend=True,
        legend={
            "title": {"text": "Actor" + ("<br><sup>hollow marker: expert or reported voice</sup>" if hollow else "")}
        },
        margin={"l": 190, "r": 20, "t": 10, "b": 50},
        hovermode="closest",
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


def agreement_heatmap(agreement_long: pd.DataFrame, caption: Caption) -> go.Figure:
    """Actor x actor agreement (0 to 1) with the number of shared issues in each cell.

    ``agreement_long`` is ``analysis.agreement(...)``. Pairs with no shared issue show "–" on a
    grey cell, never a colour that would read as disagreement.
    """
    if agreement_long.empty:
        return empty_figure("No actors to compare for this selection.", caption)
    actors = list(dict.fromkeys(agreement_long["actor_a"].tolist()))
    n = len(actors)
    index = {a: i for i, a in enumerate(actors)}
    names = (
        names_of(agreement_long, actors, "actor_a", "actor_a_name")
        if "actor_a_name" in agreement_long
        else {a: a for a in actors}
    )
    rows_i = agreement_long["actor_a"].map(index).to_numpy()
    cols_j = agreement_long["actor_b"].map(index).to_numpy()
    values = agreement_long["agreement"].to_numpy(dtype="float64")
    shared = agreement_long["shared"].to_numpy(dtype="int64")
    z = np.full((n, n), np.nan)
    z[rows_i, cols_j] = values
    n_shared = np.zeros((n, n), dtype="int64")
    n_shared[rows_i, cols_j] = shared
    missing = np.isnan(z)
    # Geometry, for the app's column (FIT_WIDTH): names left and on top (slanted past 4 actors),
    # colour bar right; the cells' text is then chosen to fit a cell.
    bottom_space = footer_space(caption)
    label, label_w = actor_tick_labels([names[a] for a in actors], 12, 0)  # one line each
    left = int(label_w) + 24
    plot_w = FIT_WIDTH - left - 20 - 120
    # Level names wrapped to their column when each fits on three lines, else slanted.
    columns = [wrap_px(names[a], plot_w / n - 8, 12, 99) for a in actors]
    level = all(
        len(lines) <= 3 and ("…" in names[a] or "…" not in "".join(lines))
        for a, lines in zip(actors, columns, strict=True)
    )
    if level:
        x_label = ["<br>".join(plain(line) for line in lines) for lines in columns]
        top = 16 * max(len(lines) for lines in columns) + 24
    else:  # slanted: shorter, since every character costs the matrix height
        slanted = [shorten(names[a], SLANT_MAX) for a in actors]
        x_label = [plain(t) for t in slanted]
        top = int((max(text_width(t, 12) for t in slanted) + 12) * 0.72) + 16
    plot_h = HEIGHT - TITLE_SPACE - top - 10 - bottom_space
    cell_w, cell_h = plot_w / n, plot_h / n
    if cell_h >= 2.3 * 12:  # rows tall enough for a long name on two lines
        label, label_w = actor_tick_labels([names[a] for a in actors], 12, cell_h)
        left = int(label_w) + 24
    most = int(n_shared.max()) if n_shared.size else 0
    style, font = _agreement_text_style(cell_w, cell_h, most)
    # Each layer carries hover text for its own cells only: an agreement matrix of 200 actors has
    # 40,000 cells, so the labels stay short.
    short = np.array([plain(shorten(names[a], 30)) for a in actors], dtype=object)
    pair = short[:, None] + " and " + short[None, :]
    values_text = np.empty((n, n), dtype=object)
    hover = np.empty((n, n), dtype=object)
    cell_text = {"inline": "{v:.2f} (n={k})", "stacked": "{v:.2f}<br>n={k}", "value": "{v:.2f}"}.get(style, "")
    for i, j in zip(*np.nonzero(~missing), strict=True):
        count = n_shared[i, j]
        values_text[i, j] = cell_text.format(v=z[i, j], k=count)
        hover[i, j] = f"{pair[i, j]}<br>agreement {z[i, j]:.2f} over {count} shared issue{'s' if count != 1 else ''}"
    values_text[missing] = ""
    hover[missing] = ""
    missing_hover = np.where(missing, pair + "<br>no shared issue: agreement unknown", "")
    show_text = style is not None
    bar_title = "Agreement<br>1 = same stances"
    if style in ("inline", "stacked"):
        bar_title += "<br>n = shared issues"
    bar_title += "<br>– no shared issue" if show_text else "<br>grey: no shared issue"
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=np.where(missing, 0.0, np.nan),
            x=list(range(n)),
            y=list(range(n)),
            colorscale=[[0, palette.NO_DATA_LAND], [1, palette.NO_DATA_LAND]],
            showscale=False,
            text=np.where(missing, "–", "") if show_text else None,
            texttemplate="%{text}" if show_text else None,
            hovertext=missing_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            hoverongaps=False,
            xgap=2,
            ygap=2,
            name="no shared issue",
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=list(range(n)),
            y=list(range(n)),
            zmin=0,
            zmax=1,
            colorscale="Viridis",
            colorbar={"title": {"text": bar_title, "side": "top"}, "len": 0.9},
            text=values_text if show_text else None,
            texttemplate="%{text}" if show_text else None,
            textfont={"size": font},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            hoverongaps=False,
            xgap=2,
            ygap=2,
            name="agreement",
        )
    )
    fig.update_layout(
        xaxis=axis(
            side="top",
            tickmode="array",
            tickvals=list(range(n)),
            ticktext=x_label,
            tickangle=0 if level else -45,
            range=[-0.5, n - 0.5],
        ),
        yaxis=axis(tickmode="array", tickvals=list(range(n)), ticktext=label, autorange="reversed"),
        margin={"l": left, "r": 20, "t": top, "b": 10},
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


def _agreement_text_style(cell_w: float, cell_h: float, most: int) -> tuple[str | None, int]:
    """How an agreement cell of ``cell_w`` x ``cell_h`` px shows its numbers, and at which font size.

    "inline" ``0.75 (n=3)``, else "stacked" on two lines, at the largest size from 12 px down to
    8 px that fits; else "value" alone (the count stays in the hover); None when not even that fits.
    """
    room = cell_w - 6
    # Two lines take one glyph height plus plotly's line spacing (1.3 em) of the second.
    for size in range(12, 7, -1):
        inline = text_width(f"0.00 (n={most})", size)
        if inline <= room and cell_h >= size * 1.3 + 4:
            return "inline", size
        if max(text_width("0.00", size), text_width(f"n={most}", size)) <= room and cell_h >= 2.3 * size + 3:
            return "stacked", size
    for size in range(12, 7, -1):
        if text_width("0.00", size) <= room and cell_h >= size * 1.3 + 2:
            return "value", size
    return None, 8


def empty_figure(message: str, caption: Caption) -> go.Figure:
    """A captioned figure with no data and ``message`` in the middle: an explanatory empty state."""
    fig = go.Figure()
    note_in_the_middle(fig, plain(message), size=16)
    fig.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        margin={"l": 20, "r": 20, "t": 10, "b": 10},
    )
    return apply_caption(fig, caption)


def plot_config(fig: go.Figure) -> dict:
    """plotly.js config for showing ``fig`` (``st.plotly_chart(fig, config=plot_config(fig))``).

    Carries the map's offline ``topojsonURL`` and hides the plotly logo.
    """
    config: dict = {"displaylogo": False}
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get("topojsonURL"):
        config["topojsonURL"] = meta["topojsonURL"]
    return config


def chart_config(filename: str) -> dict[str, object]:
    """plotly.js config for st.plotly_chart: a named 1200x675 PNG at 2x, and the offline world map."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": WIDTH,
            "height": HEIGHT,
            "scale": 2,
        },
        "topojsonURL": TOPOJSON_URL,
    }
