"""DataFrame -> plotly Figure, one function per chart kind. Pure: no Streamlit, no I/O.

Every builder takes a ``Caption`` and returns a 1200x675 figure that says what it shows (title,
subtitle, footer with sources and revision). The conventions all charts share, and the pieces
they are built from, are in ``stances.chartparts``; the world map is in ``stances.worldmap``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.analysis import actors_with_positions, issues_with_positions
from stances.caption import (
    HEIGHT,
    NARROW_WIDTH,
    SCREEN_FOOTER_FITS,
    TITLE_SPACE,
    WIDTH,
    Caption,
    apply_caption,
    footer_space,
    plain,
    shorten,
    shorten_apart,
    text_width,
    title_space,
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

# Text inside the plot is sized for this width: exports are 1200 px wide, but in the app the
# figure stretches to its column (about 900-1000 px beside the sidebar) and plotly does not
# shrink text to fit a cell.
FIT_WIDTH = 900
# Issue titles must not collide even in the narrowest usual column: a 1200 px window with the
# sidebar open leaves the chart about 740 px (cell text keeps FIT_WIDTH: it may get roomier).
LABEL_FIT_WIDTH = 740
COLORBAR_ROOM = 150  # px right of the heatmap for the colour bar and its labels
BAR_FONT = 11  # Compare's text in and beside its bars
BAR_NAME_PX = 60  # a longer actor name is written as its id in a bar (about ten letters)
# A stance stated before the fading limit: a pale veil over its cell, inset so that a frame of the
# stance's own colour stays around it. A veil over the whole cell made a faded +2 look like a +1
# (the scale's colours differ in lightness): the frame keeps the stance, the veil says "old".
OLD_VEIL = "rgba(255,255,255,0.72)"
OLD_FRAME = (3, 2)  # px of the stance's colour left and right, above and below
OLD_TEXT = "#404040"  # that stance's text, drawn on the veil (dark on a pale cell)
TWO_LINE_ROW = 28  # px per heatmap row: a stance over its year, an actor's name on two lines of 12 px
SCREEN_LABEL_MAX = 16  # letters per line of an actor's name on screen (LABEL_MAX in an image)
SCREEN_MAX_HEIGHT = 1500  # the tallest on-screen heatmap: past it, rows share what there is


def _cell_labels(
    stances: Sequence[int | None],
    official: Sequence[bool],
    years: Sequence[str],
    scale: Scale,
    width: float,
    size: int,
    height: float = 0.0,
) -> tuple[list[str], int]:
    """Text of heatmap cells ``width`` px wide, the stance and the year it was stated, and its size.

    The first of these that fits every cell: ``+2 strongly supports · 2013``, ``+2 · 2013``,
    ``+2 ’13`` at ``size`` px, or the year under the stance where cells ``height`` px high have
    room for two lines (a narrow column in the app), else at a smaller size down to 8 px (the year
    is worth a smaller font); else ``+2`` at ``size`` (the hover keeps the date). One rule for all
    cells (a reader
    compares them); never a cut word: a declined stance is "declined" or, where that does not
    fit, "–"; an expert or reported voice gets ``*``; a position without a year has none.
    """
    room = width - 6

    def fits(labels: Sequence[str], px: int) -> bool:
        return all(text_width(t, px) <= room for t in set(labels))  # a few dozen distinct labels

    def with_year(said: str, year: str, form: str) -> str:
        if not year or not form:
            return said
        joined = {"full": f"{said} · {year}", "short": f"{said} ’{year[2:]}", "under": f"{said}<br>{year}"}
        return joined.get(form, f"{said}<br>’{year[2:]}")  # "under short"

    def labelled(words: bool, form: str, px: int) -> list[str]:
        """Every cell in one format; a declined stance "declined" where that fits, else "–"."""
        out = []
        for short in ("declined", "–"):
            out = []
            for s, o, y in zip(stances, official, years, strict=True):
                said = stance_text(s, scale) if words else (short if s is None else signed(s))
                out.append(with_year(said + ("" if o else "*"), y, form))
            lines = [line for t, s in zip(out, stances, strict=True) if s is None for line in t.split("<br>")]
            if words or fits(lines, px):
                return out
        return out

    for px in range(size, 7, -1):
        forms = [(True, "full"), (False, "full"), (False, "short")]
        if height >= 2 * px + 4:  # two lines fit the row: the year under the stance
            forms += [(False, "under"), (False, "under short")]
        for words, form in forms:
            labels = labelled(words, form, px)
            if fits([line for t in labels for line in t.split("<br>")], px):
                return labels, px
    return labelled(False, "", size), size


def stance_heatmap(
    latest: pd.DataFrame,
    scale: Scale,
    caption: Caption,
    actors: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
    issue_titles: Mapping[str, str] | None = None,
    old_before: dt.date | None = None,
    fit_width: float | None = None,
    two_lines: bool = False,
) -> go.Figure:
    """Actors (rows) x issues (columns), colour and text = latest stance and its year, hover = the quote.

    ``latest`` is ``analysis.latest_stances(...)``. Cells hold the stance number and the year it
    was stated (its words too when every cell has room for them; the legend has them always);
    cells without a position stay blank; a declined stance has its own grey and the word
    "declined" (or "–" when narrow). Positions from a voice other than "official" are marked
    with ``*``. Stances stated before ``old_before`` are drawn pale under a veil (a second trace,
    "older stances", that takes no hover) and the colour bar says so. ``issue_titles``
    (``Dataset.issue_titles()``) names chosen issues that have no row here; without it they
    show their id. Text is sized to fit the figure drawn ``fit_width`` px wide (plotly does not
    shrink it): WIDTH for an image, caption.NARROW_WIDTH for the app's narrowest column; by
    default cells for FIT_WIDTH and issue titles for LABEL_FIT_WIDTH. With ``two_lines`` (a page
    that scrolls, not a 1200x675 image) the figure grows taller, up to SCREEN_MAX_HEIGHT, so that
    each row has room for the year under the stance where the column is too narrow for both on one line.
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
    # on screen, long names take two lines of fewer letters: the columns get the room for years
    label_chars = SCREEN_LABEL_MAX if two_lines else LABEL_MAX
    if two_lines:
        label_w = actor_tick_labels([actor_names[a] for a in actors], tick_font, TWO_LINE_ROW, label_chars)[1]
    else:
        label_w = max(text_width(shorten(actor_names[a], LABEL_MAX), tick_font) for a in actors)
    left = int(min(label_w, text_width("n" * label_chars, tick_font))) + 24
    plot_w = (fit_width or FIT_WIDTH) - left - COLORBAR_ROOM
    col_w = plot_w / n_i
    label_col_w = ((fit_width or LABEL_FIT_WIDTH) - left - COLORBAR_ROOM) / n_i
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
    height = HEIGHT
    if two_lines:  # room for "+2" over "2013" in every row, where the page can scroll
        # the screen's narrower footer and heading (caption.fit_footer) take their extra lines from the plot
        wrapped = footer_space(caption.footer_layout(NARROW_WIDTH, SCREEN_FOOTER_FITS)) - bottom_space
        wrapped += title_space(caption, NARROW_WIDTH) - title_space(caption)
        fixed = TITLE_SPACE + top + 10 + bottom_space + max(0, wrapped)
        height = int(min(SCREEN_MAX_HEIGHT, max(HEIGHT, fixed + n_a * TWO_LINE_ROW)))
        bottom_space += max(0, wrapped)
    plot_h = height - TITLE_SPACE - top - 10 - bottom_space
    row_h = plot_h / n_a
    tick_font = max(8, min(12, int(row_h * 0.75)))
    actor_ticks, label_w = actor_tick_labels([actor_names[a] for a in actors], tick_font, row_h, label_chars)
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
    veil = np.full((n_a, n_i), np.nan)
    veil_text = np.full((n_a, n_i), "", dtype=object)
    if not rows.empty:
        r_idx = rows["actor"].map(actor_index).to_numpy()
        c_idx = rows["issue"].map(issue_index).to_numpy()
        stances = [stance_or_none(v) for v in rows["stance"].tolist()]
        z[r_idx, c_idx] = [codes[s] for s in stances]
        official = (rows["voice"] == "official").to_numpy()
        marked = not official.all()
        if show_text:
            years = [str(d)[:4] if isinstance(d, str) else "" for d in rows["date"].tolist()]
            # sized for the narrowest usual column, as the issue titles are: text does not shrink
            cells = _cell_labels(stances, official, years, scale, min(col_w, label_col_w), cell_font, row_h - 2)
            text[r_idx, c_idx], cell_font = cells
        hover[r_idx, c_idx] = hover_column(rows, scale)
        if old_before is not None:
            old = (rows["date_start"] < pd.Timestamp(old_before)).to_numpy()
            veil[r_idx[old], c_idx[old]] = 1.0
            veil_text[r_idx[old], c_idx[old]] = text[r_idx[old], c_idx[old]]
            text[r_idx[old], c_idx[old]] = ""
            hover[r_idx[old], c_idx[old]] += f"<br><i>pale: stated before {old_before.isoformat()}</i>"
    faded = bool(np.any(veil == 1.0))

    bar_title = "Stance" + ("<br>* expert or reported voice" if marked else "") + "<br>blank: no position"
    if faded:
        bar_title += f"<br>pale: stated before<br>{old_before.isoformat()}"
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
    if faded:  # a pale veil over the older stances, their text on it: the hover is the cells' below
        fig.add_trace(
            go.Heatmap(
                z=veil,
                x=list(range(n_i)),
                y=list(range(n_a)),
                text=veil_text,
                texttemplate="%{text}",
                textfont={"size": cell_font, "color": OLD_TEXT},
                colorscale=[[0, OLD_VEIL], [1, OLD_VEIL]],
                zmin=0,
                zmax=1,
                showscale=False,
                hoverinfo="skip",
                xgap=2 + 2 * OLD_FRAME[0],
                ygap=2 + 2 * min(OLD_FRAME[1], int(row_h // 6)),
                hoverongaps=False,
                name="older stances",
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
    return apply_caption(fig, caption, height=height)


def compare_bars(
    latest: pd.DataFrame,
    actors: Sequence[str],
    issues: Sequence[str] | None,
    scale: Scale,
    caption: Caption,
) -> go.Figure:
    """Diverging horizontal bars: one group per issue, one trace (bar pattern) per actor.

    A bar's colour is its stance's colour and its text names the actor and the stance's number
    (the axis below gives the words; no legend is needed, nor colour to tell actors apart). A
    long name is written as the actor's id, and a key under the axis spells it out, so that the
    text fits its bar in the app's narrowest column too. A declined stance or a missing position
    is a zero-length bar with the words written beside it.
    """
    actors = list(actors)
    rows = latest[latest["actor"].isin(actors)]
    issues = list(issues) if issues is not None else issues_with_positions(rows)
    rows = rows[rows["issue"].isin(issues)]
    if not actors or not issues:
        return empty_figure("No positions to compare for this selection.", caption)
    actor_names = names_of(latest, actors, "actor", "actor_name")
    issue_titles = names_of(latest, issues, "issue", "issue_title")
    labels = {a: actor_names[a] if text_width(actor_names[a], BAR_FONT) <= BAR_NAME_PX else a for a in actors}
    hover_chars = quote_budget(len(rows))
    by_pair = {(r["actor"], r["issue"]): r for r in rows.loc[:, ["actor", "issue", *HOVER_COLUMNS]].to_dict("records")}
    n_i = len(issues)
    # About 420 px of a 1200x675 image are left for the bars: below 10 px a bar cannot hold 11 px
    # text without it running into the next bar, so plotly shrinks the text to fit instead.
    roomy = 420 / n_i * 0.75 / len(actors) >= 10
    fig = go.Figure()
    for actor in actors:
        xs, colours, texts, positions, hovers = [], [], [], [], []
        label = labels[actor]
        for issue in issues:
            row = by_pair.get((actor, issue))
            if row is None:
                xs.append(0)
                colours.append(palette.TRANSPARENT)
                texts.append(plain(f"{label}: no position"))
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
            said = "declined" if stance is None else signed(stance)
            texts.append(plain(f"{label}{':' if stance is None else ''} {said}{voice}"))
            positions.append("outside" if not stance else "auto")
            hovers.append(hover_text(row, scale, hover_chars))
        fig.add_trace(
            go.Bar(
                x=xs,
                y=list(range(n_i)),
                orientation="h",
                name=plain(shorten(actor_names[actor], 40)),
                marker={"color": colours, "line": {"color": palette.MUTED, "width": 1}},
                text=texts,
                textposition=positions,
                textfont={"size": BAR_FONT},
                # plotly would shrink text that fills a bar's height to an unreadable 6 px
                constraintext="none" if roomy else "both",
                textangle=0,
                insidetextanchor="middle",
                cliponaxis=False,
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    key = " · ".join(f"{a}: {actor_names[a]}" for a in actors if labels[a] != actor_names[a])
    bottom = 60 + (16 * (1 + len(key) // 90) if key else 0)
    # Issue titles take two lines of 12 px where each row has room for them; with many issues one
    # line, smaller (33 issues in a 675 px image gave rows of 12 px, whose two-line titles overlapped)
    row_h = (HEIGHT - title_space(caption) - footer_space(caption) - 10 - bottom) / n_i
    label_lines = 2 if row_h >= 2 * 15 else 1
    label_font = 12 if row_h >= 15 else max(8, int(row_h * 0.8))
    issue_ticks = [wrap_label(issue_titles[s], 34, label_lines) for s in issues]
    label_w = max(text_width(line, label_font) for tick in issue_ticks for line in tick.split("<br>"))
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        bargroupgap=0.05,
        xaxis=axis(
            # a little beyond the scale for the bar's outline: the bars, not padding, fill the width
            range=[scale.low - 0.3, scale.high + 0.3],
            tickangle=0,  # never turned on its side into the footer in a narrow column
            tickmode="array",
            tickvals=list(range(scale.low, scale.high + 1)),
            ticktext=[f"{signed(s)}<br>{wrap_label(scale.label(s), 14, 2)}" for s in range(scale.low, scale.high + 1)],
            showgrid=True,
            gridcolor=palette.GRID,
            zeroline=True,
            zerolinecolor=palette.MUTED,
            zerolinewidth=1,
            title={"text": wrap_label(key, 90, 2), "font": {"size": BAR_FONT}, "standoff": 6} if key else None,
        ),
        yaxis=axis(
            tickmode="array",
            tickvals=list(range(n_i)),
            ticktext=issue_ticks,
            tickfont={"size": label_font},
            autorange="reversed",
        ),
        showlegend=False,  # every bar names its actor: a legend would only repeat the colours of one bar
        margin={"l": int(label_w) + 16, "r": 20, "t": 10, "b": bottom},
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


def timeline_chart(timeline_df: pd.DataFrame, scale: Scale, caption: Caption) -> go.Figure:
    """How each actor's stance on one issue changed: a step line per actor, a marker per quote.

    Each actor has its own line colour, dash and marker symbol (``palette.actor_style``, never a
    stance colour); markers are filled with the stance's colour (hollow for an expert or reported
    voice); declined positions sit on their own "declined" row below the scale. Where two actors'
    markers or flat steps would lie on each other, their lines are drawn a little apart
    (:func:`timeline_nudges`) and the legend says so; hover gives the exact stance.
    """
    if timeline_df.empty:
        return empty_figure("No positions on this issue for this selection.", caption)
    rows = timeline_df
    actors = list(dict.fromkeys(rows["actor"].tolist()))
    if "actor_rank" in rows:  # the dataset's order, as in the pickers: the legend reads as the file does
        rank = dict(zip(rows["actor"].tolist(), rows["actor_rank"].tolist(), strict=True))
        actors.sort(key=lambda a: rank[a])
    names = names_of(rows, actors, "actor", "actor_name")
    declined_y = scale.low - 1
    all_hovers = hover_column(rows, scale, quote_budget(len(rows)))
    any_declined = bool(rows["stance"].isna().any())
    hollow = bool((rows["voice"] != "official").any())
    tracks = {}
    for actor in actors:
        part = rows[(rows["actor"] == actor).to_numpy()]
        tracks[actor] = (part["date_start"].tolist(), [stance_or_none(v) for v in part["stance"].tolist()])
    nudges = timeline_nudges(tracks, declined_y)
    fig = go.Figure()
    for k, actor in enumerate(actors):
        mask = (rows["actor"] == actor).to_numpy()
        part = rows[mask]
        colour, dash, symbol = palette.actor_style(k)
        nudge = nudges.get(actor, 0.0)
        stances = tracks[actor][1]
        official = (part["voice"] == "official").tolist()
        hovers = [h for h, m in zip(all_hovers, mask, strict=True) if m]
        x = [d.strftime("%Y-%m-%d") for d in part["date_start"]]
        group = {"legendgroup": actor, "hovertemplate": "%{hovertext}<extra></extra>"}
        # Declined positions break the line (a step down to them would read as a change of
        # stance) and get their own markers on the "declined" row.
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[None if s is None else s + nudge if nudge else s for s in stances],
                mode="lines+markers",
                line={"shape": "hv", "color": colour, "width": 2, "dash": dash},
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
                    y=[declined_y + nudge] * len(declined),
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
    # stances on two lines ("+2 strongly<br>supports"): the plot keeps the width, which a narrow column needs
    ticktext = [wrap_label(stance_text(None if v == declined_y else v, scale), 18, 2) for v in tickvals]
    label_w = max(text_width(line, 12) for tick in ticktext for line in tick.split("<br>"))
    notes = (["hollow marker: expert or reported voice"] if hollow else []) + (
        ["lines set a little apart where they overlap"] if any(nudges.values()) else []
    )
    fig.update_layout(
        xaxis=axis(type="date", showgrid=True, gridcolor=palette.GRID, title={"text": "Date of statement"}),
        yaxis=axis(
            tickmode="array",
            tickvals=tickvals,
            ticktext=ticktext,
            range=[(declined_y if any_declined else scale.low) - 0.5, scale.high + 0.5],
            showgrid=True,
            gridcolor=palette.GRID,
        ),
        # Always shown, even for one actor: a line with no name says nothing in a shared image.
        showlegend=True,
        legend={"title": {"text": "Actor" + "".join(f'<br><span style="font-size:11px">{n}</span>' for n in notes)}},
        margin={"l": int(label_w) + 16, "r": 20, "t": 10, "b": 50},
        hovermode="closest",
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


NUDGE = 0.1  # stance steps between two overlapping actors' lines (about 7 px in a 1200x675 image)
NUDGE_MAX = 0.3  # the farthest a line moves from its stance: it stays nearest its own row
NEAR = 16 / 300  # markers closer than this share of the time axis overlap (16 px of the plot in a 1024 px window)


def timeline_nudges(
    tracks: Mapping[str, tuple[Sequence[pd.Timestamp], Sequence[int | None]]], declined_y: int
) -> dict[str, float]:
    """How far to move each actor's line up or down so that no line or marker hides another's.

    ``tracks`` holds each actor's dates and stances (None: declined, drawn at ``declined_y``), in
    the chart's order. Two actors overlap when they have markers on the same row closer in time
    than :data:`NEAR` of the time axis, or flat steps on the same row over the same time. Actors
    that overlap, directly or through others, form a group spread evenly around their rows,
    :data:`NUDGE` apart (closer in a big group, never beyond :data:`NUDGE_MAX`); every other
    actor stays exactly on its row (0).
    """
    every = [d for dates, _ in tracks.values() for d in dates]
    if len(tracks) < 2 or not every:
        return dict.fromkeys(tracks, 0.0)
    first = min(every)
    near = (max(every) - first).days * NEAR
    marks: dict[float, list[tuple[int, str]]] = {}  # row -> (day, actor)
    steps: dict[float, list[tuple[int, int, str]]] = {}  # row -> (first day, last day, actor)
    for actor, (dates, stances) in tracks.items():
        days = [(d - first).days for d in dates]
        for t, s in zip(days, stances, strict=True):
            marks.setdefault(declined_y if s is None else s, []).append((t, actor))
        for (t, s), (t_next, s_next) in itertools.pairwise(zip(days, stances, strict=True)):
            if s is not None and s_next is not None and t_next > t:
                steps.setdefault(s, []).append((t, t_next, actor))
    group = {actor: actor for actor in tracks}  # union-find: each actor's group representative

    def find(actor: str) -> str:
        while group[actor] != actor:
            actor = group[actor]
        return actor

    def join(a: str, b: str) -> None:
        group[find(b)] = find(a)

    # Sweeps in time order, so that a long timeline costs a sort, not a comparison of every pair:
    # two markers near each other are joined through the markers between them; a flat step
    # overlaps another actor's exactly when it starts before the latest end seen so far (one
    # actor's steps never overlap each other).
    for row in marks.values():
        row.sort()
        for (t, a), (t_next, b) in itertools.pairwise(row):
            if a != b and t_next - t <= near:
                join(a, b)
    for row in steps.values():
        row.sort()
        latest_end, latest = -1, ""
        for start, end, actor in row:
            if start < latest_end and actor != latest:
                join(latest, actor)
            if end > latest_end:
                latest_end, latest = end, actor
    members: dict[str, list[str]] = {}
    for actor in tracks:
        members.setdefault(find(actor), []).append(actor)
    nudges = dict.fromkeys(tracks, 0.0)
    for together in members.values():
        m = len(together)
        if m > 1:
            step = min(NUDGE, 2 * NUDGE_MAX / (m - 1))
            for j, actor in enumerate(together):
                nudges[actor] = round((j - (m - 1) / 2) * step, 4)
    return nudges


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


def chart_config(filename: str) -> dict[str, object]:
    """plotly.js config for st.plotly_chart: a named 1200x675 PNG at 2x, and the offline world map.

    The mouse wheel scrolls the page over every chart: plotly.js zooms a map on the wheel by
    default, so a reader scrolling down the Map page shrank the map to a speck instead (its
    toolbar's zoom buttons still zoom)."""
    return {
        "displaylogo": False,
        "scrollZoom": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": WIDTH,
            "height": HEIGHT,
            "scale": 2,
        },
        "topojsonURL": TOPOJSON_URL,
    }
