"""DataFrame -> plotly Figure, one function per chart kind. Pure: no Streamlit, no I/O.

Every builder takes a ``Caption`` and returns a 1200x675 figure that says what it shows (title,
subtitle, footer with sources and revision). Conventions shared by all charts:

- stance colours come from ``palette`` and every stance is also written as text;
- every string from the data passes through ``plain`` (plotly would read ``<b>`` as markup);
- categorical axes are numeric positions with tick text, so two actors with the same name stay
  two rows and labels can be shortened without merging;
- hover text is bounded: quotes are shortened, more so the more points a figure has, so a huge
  dataset never ships every quote into one figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

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
    wrap,
)
from stances.model import Scale

MINUS = "\u2212"
HOVER_BUDGET = 250_000  # characters of quote text one figure may carry in its hover labels
QUOTE_MAX = 200  # longest quote excerpt in a hover label
QUOTE_MIN = 40  # below this a quote excerpt says nothing: leave it out
LABEL_MAX = 28  # longest actor name on an axis
SLANT_MAX = 22  # longest actor name on a slanted axis
# Text inside the plot is sized for this width: exports are 1200 px wide, but in the app the
# figure stretches to its column (about 900-1000 px beside the sidebar) and plotly does not
# shrink text to fit a cell.
FIT_WIDTH = 900
# Issue titles must not collide even in the narrowest usual column: a 1200 px window with the
# sidebar open leaves the chart about 740 px (cell text keeps FIT_WIDTH: it may get roomier).
LABEL_FIT_WIDTH = 740
COLORBAR_TEXT_PX = 96  # colour-bar labels wrap at this width
COLORBAR_ROOM = 150  # px right of the heatmap for the colour bar and its labels
CHAR_PX = 6.6  # average glyph width of the 12 px font, for margin estimates
ISO3 = re.compile(r"^[A-Z]{3}$")
BLOC_FONT = 12  # the map's list of blocs under it
HOVER_COLUMNS = ("actor_name", "issue_title", "stance", "voice", "quote", "speaker", "role", "date")
HOVER_COLUMNS += ("source_publisher", "source_date")


# --- shared pieces -------------------------------------------------------------------------


def signed(stance: int) -> str:
    """``−2``, ``0``, ``+1``: a stance number as printed on charts (typographic minus)."""
    if stance < 0:
        return f"{MINUS}{-stance}"
    return f"+{stance}" if stance > 0 else "0"


def stance_text(stance: int | None, scale: Scale) -> str:
    """``−2 strongly opposes`` or ``declined to state``: raw text, not yet escaped."""
    if stance is None:
        return scale.label(None)
    return f"{signed(stance)} {scale.label(stance)}"


def _stance_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def wrap_label(text: str, width: int, max_lines: int) -> str:
    """Escape ``text`` and wrap it to ``max_lines`` lines of ``width`` characters (ellipsis if cut)."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if len(word) > width:
            word = shorten(word, width)
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shorten(" ".join(lines[max_lines - 1 :]), width)]
        if not lines[-1].endswith("…"):
            lines[-1] = shorten(lines[-1] + " …", width)
    return "<br>".join(plain(line) for line in lines)


def wrap_px(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """``text`` (raw) wrapped to lines of at most ``width`` px at ``size`` px, ellipsis on the last if cut.

    Breaks between words, and after a hyphen or slash inside a long word ("Missile-" /
    "defence"); a word wider than a line is cut with an ellipsis. Returns raw lines.
    """
    words: list[str] = []
    for word in " ".join(str(text).split()).split(" "):
        if text_width(word, size) > width:
            words.extend(part for part in re.split(r"(?<=[-/])", word) if part)
        else:
            words.append(word)
    lines: list[str] = []
    current = ""
    for word in words:
        glue = "" if current.endswith(("-", "/")) else " "
        candidate = f"{current}{glue}{word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    lines = [_fit_px(line, width, size) for line in lines]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _fit_px(rest + " …", width, size)]
    return lines


def _fit_px(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis until it is at most ``width`` px wide."""
    chars = len(text)
    while chars > 1 and text_width(shorten(text, chars), size) > width:
        chars -= 1
    return shorten(text, chars)


def quote_budget(n_points: int) -> int:
    """How many characters of each quote a figure with ``n_points`` hover labels may carry (0 = none)."""
    if n_points <= 0:
        return QUOTE_MAX
    chars = min(QUOTE_MAX, HOVER_BUDGET // n_points)
    return chars if chars >= QUOTE_MIN else 0


# The parts of a hover label, shared by hover_text (one row) and _hover_column (every row).


def _hover_actor(name: object) -> str:
    return f"<b>{plain(shorten(str(name), 60))}</b> · "


def _hover_issue(title: object) -> str:
    return plain(shorten(str(title), 60))


def _hover_stance(stance: object, voice: object, scale: Scale) -> str:
    said = plain(stance_text(_stance_or_none(stance), scale))
    return said + ("" if voice == "official" else f" · {plain(voice)} voice")


def _hover_quote(quote: object, chars: int) -> str:
    return "“" + wrap(shorten(str(quote), chars), 70) + "”"


def _hover_speaker(speaker: object, role: object, joint_with: object = None) -> str:
    said = plain(shorten(f"{speaker}, {role}", 90))
    if isinstance(joint_with, str) and joint_with:
        said += "<br>" + plain(shorten(f"joint statement with {joint_with}", 90))
    return said


def _hover_source(publisher: object, source_date: object) -> str:
    return " · " + plain(shorten(str(publisher) + (f" ({source_date})" if source_date else ""), 80))


def hover_text(row: pd.Series | dict, scale: Scale, quote_chars: int = QUOTE_MAX) -> str:
    """The hover label of one position: who, on what, stance, quote excerpt, speaker, date, source."""
    lines = [
        _hover_actor(row["actor_name"]) + _hover_issue(row["issue_title"]),
        _hover_stance(row["stance"], row["voice"], scale),
    ]
    if quote_chars > 0:
        lines.append(_hover_quote(row["quote"], quote_chars))
    lines.append(_hover_speaker(row["speaker"], row["role"], row.get("joint_with")))
    lines.append(plain(row["date"]) + _hover_source(row["source_publisher"], row.get("source_date")))
    return "<br>".join(lines)


def _by_distinct(make: Callable[..., str], *columns: pd.Series) -> list[str]:
    """``make(*values)`` for each row, computed once per distinct combination of values."""
    made: dict[tuple, str] = {}
    out = []
    for key in zip(*(column.tolist() for column in columns), strict=True):
        text = made.get(key)
        if text is None:
            text = made[key] = make(*key)
        out.append(text)
    return out


def _hover_column(rows: pd.DataFrame, scale: Scale, chars: int | None = None) -> list[str]:
    """``hover_text`` of every row, each distinct part built once: a heatmap of 8,000 cells
    repeats 200 actor names, 40 titles, a few stances and sources (0.39 s -> ~0.05 s)."""
    chars = quote_budget(len(rows)) if chars is None else chars
    if rows.empty:
        return []
    actors = _by_distinct(_hover_actor, rows["actor_name"])
    issues = _by_distinct(_hover_issue, rows["issue_title"])
    stances = _by_distinct(lambda stance, voice: _hover_stance(stance, voice, scale), rows["stance"], rows["voice"])
    dates = _by_distinct(plain, rows["date"])
    sources = _by_distinct(_hover_source, rows["source_publisher"], rows["source_date"])
    parts = [[a + b for a, b in zip(actors, issues, strict=True)], stances]
    if chars > 0:
        parts.append([_hover_quote(quote, chars) for quote in rows["quote"].tolist()])
    joint = rows["joint_with"] if "joint_with" in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    parts.append(_by_distinct(_hover_speaker, rows["speaker"], rows["role"], joint))
    parts.append([a + b for a, b in zip(dates, sources, strict=True)])
    return ["<br>".join(lines) for lines in zip(*parts, strict=True)]


def _names(rows: pd.DataFrame, ids: Sequence[str], id_column: str, name_column: str) -> dict[str, str]:
    known = dict(zip(rows[id_column], rows[name_column], strict=True)) if not rows.empty else {}
    return {i: str(known.get(i, i)) for i in ids}


def _category_codes(scale: Scale) -> tuple[dict[int | None, int], list[str], list[str]]:
    """z code, colour and legend text of each category: declined first, then the scale low..high."""
    stances: list[int | None] = [None, *range(scale.low, scale.high + 1)]
    codes = {s: i for i, s in enumerate(stances)}
    colours = [palette.stance_colour(s, scale) for s in stances]
    texts = [plain(stance_text(s, scale)) for s in stances]
    return codes, colours, texts


def _stance_colorbar(scale: Scale, title: str) -> dict:
    codes, _, _ = _category_codes(scale)
    # two short lines rather than one long one: the bar then leaves the plot more of a narrow column
    raw = [stance_text(s, scale) for s in codes]
    texts = ["<br>".join(plain(line) for line in wrap_px(t, COLORBAR_TEXT_PX, 12, 2)) for t in raw]
    return {
        "title": {"text": title, "side": "top"},
        "tickmode": "array",
        "tickvals": list(codes.values()),
        "ticktext": texts,
        "ticks": "",
        "len": 0.9,
        "thickness": 14,
        "outlinewidth": 0,
    }


def _axis(**extra: object) -> dict:
    base = {"showgrid": False, "zeroline": False, "automargin": True, "fixedrange": False}
    base.update(extra)
    return base


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


def _actor_ticks(names: Sequence[str], size: int, row_h: float) -> tuple[list[str], float]:
    """Axis labels of actors (escaped) and their width in px: a long name takes two lines when rows allow.

    A name wider than ``LABEL_MAX`` average characters is wrapped on two lines of at most that
    width if a row is tall enough for two lines, else shortened to ``LABEL_MAX`` characters.
    """
    two_lines = row_h >= 2.3 * size
    width_cap = text_width("n" * LABEL_MAX, size)
    labels, widest = [], 0.0
    for name in names:
        if len(name) <= LABEL_MAX or text_width(name, size) <= width_cap:
            lines = [name]
        elif two_lines:
            lines = wrap_px(name, width_cap, size, 2)
        else:
            lines = [shorten(name, LABEL_MAX)]
        labels.append("<br>".join(plain(line) for line in lines))
        widest = max(widest, *(text_width(line, size) for line in lines))
    return labels, widest


# --- charts --------------------------------------------------------------------------------


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
    actor_names = _names(latest, actors, "actor", "actor_name")
    known = dict(issue_titles or {})
    issue_titles = {
        i: t if t != i else str(known.get(i, i)) for i, t in _names(latest, issues, "issue", "issue_title").items()
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
    actor_ticks, label_w = _actor_ticks([actor_names[a] for a in actors], tick_font, row_h)
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
    codes, colours, _ = _category_codes(scale)
    marked = False
    if not rows.empty:
        r_idx = rows["actor"].map(actor_index).to_numpy()
        c_idx = rows["issue"].map(issue_index).to_numpy()
        stances = [_stance_or_none(v) for v in rows["stance"].tolist()]
        z[r_idx, c_idx] = [codes[s] for s in stances]
        official = (rows["voice"] == "official").to_numpy()
        marked = not official.all()
        if show_text:
            text[r_idx, c_idx] = _cell_labels(stances, official, scale, col_w, cell_font)
        hover[r_idx, c_idx] = _hover_column(rows, scale)

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
            colorbar=_stance_colorbar(scale, bar_title),
            xgap=2,
            ygap=2,
            hoverongaps=True,
            name="stances",
        )
    )
    fig.update_layout(
        xaxis=_axis(
            side="top",
            tickmode="array",
            tickvals=list(range(n_i)),
            ticktext=issue_ticks,
            tickangle=-90 if vertical else 0,
            tickfont={"size": title_font},
            range=[-0.5, n_i - 0.5],
        ),
        yaxis=_axis(
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
    actor_names = _names(latest, actors, "actor", "actor_name")
    issue_titles = _names(latest, issues, "issue", "issue_title")
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
            stance = _stance_or_none(row["stance"])
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
        xaxis=_axis(
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
        yaxis=_axis(
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
    names = _names(rows, actors, "actor", "actor_name")
    declined_y = scale.low - 1
    all_hovers = _hover_column(rows, scale, quote_budget(len(rows)))
    any_declined = bool(rows["stance"].isna().any())
    hollow = bool((rows["voice"] != "official").any())
    fig = go.Figure()
    for k, actor in enumerate(actors):
        mask = (rows["actor"] == actor).to_numpy()
        part = rows[mask]
        colour = palette.ACTOR_COLOURS[k % len(palette.ACTOR_COLOURS)]
        symbol = palette.ACTOR_SYMBOLS[k % len(palette.ACTOR_SYMBOLS)]
        stances = [_stance_or_none(v) for v in part["stance"].tolist()]
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
        xaxis=_axis(type="date", showgrid=True, gridcolor=palette.GRID, title={"text": "Date of statement"}),
        yaxis=_axis(
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


def stance_map(
    latest_for_issue: pd.DataFrame, scale: Scale, caption: Caption, topojson_url: str | None = None
) -> go.Figure:
    """Choropleth of the latest stances on one issue by country (ISO 3166-1 alpha-3 ids).

    Blocs have no shape: they are listed under the map with their stance (a colour swatch and
    the stance in words), so an image of the map still names them. plotly.js fetches its world
    map from ``topojson_url`` (a folder holding ``world_110m.json``); it is kept in
    ``layout.meta["topojsonURL"]`` for ``plot_config`` since it is a plot option, not layout.
    """
    rows = latest_for_issue
    kind = rows["actor_kind"] if "actor_kind" in rows else pd.Series(None, index=rows.index, dtype=object)
    country = (kind.eq("country") | (kind.isna() & rows["actor"].astype(str).str.match(ISO3.pattern))).astype(bool)
    blocs = rows[~country]
    rows = rows[country]
    codes, colours, _ = _category_codes(scale)
    stances = [_stance_or_none(v) for v in rows["stance"].tolist()]
    fig = go.Figure(
        go.Choropleth(
            locations=rows["actor"].tolist(),
            locationmode="ISO-3",
            z=[codes[s] for s in stances],
            text=[plain(stance_text(s, scale)) for s in stances],
            hovertext=_hover_column(rows, scale),
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=palette.discrete_colorscale(colours),
            zmin=-0.5,
            zmax=len(colours) - 0.5,
            colorbar=_stance_colorbar(scale, "Stance<br>grey land: no position"),
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
        fig.add_annotation(
            text="No country has a position on this issue for this selection.",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 14, "color": palette.MUTED},
            name="empty",
        )
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
        stance = _stance_or_none(row["stance"])
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
        _names(agreement_long, actors, "actor_a", "actor_a_name")
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
    label, label_w = _actor_ticks([names[a] for a in actors], 12, 0)  # one line each
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
        label, label_w = _actor_ticks([names[a] for a in actors], 12, cell_h)
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
        xaxis=_axis(
            side="top",
            tickmode="array",
            tickvals=list(range(n)),
            ticktext=x_label,
            tickangle=0 if level else -45,
            range=[-0.5, n - 0.5],
        ),
        yaxis=_axis(tickmode="array", tickvals=list(range(n)), ticktext=label, autorange="reversed"),
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
    fig.add_annotation(
        text=plain(message),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 16, "color": palette.MUTED},
        name="empty",
    )
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
