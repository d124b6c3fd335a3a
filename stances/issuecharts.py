"""Two charts, one answer each: what changed between two dates, and where everyone stands on one issue.

- ``change_arrows``: one row per actor whose stance moved, appeared or lapsed, grouped by issue;
  an arrow from the stance on the first date to the stance on the second, each end dated.
- ``lineup_strip``: one column per stance of the scale, every actor with a position on the issue
  a labelled dot (name and year) in its stance's column; the issue's proposition under the title.

Pure plotly on frames from ``stances.changes`` and ``stances.lineup``, captioned by
``stances.caption`` like every chart (title, subtitle, sources, dataset and revision), so an
exported image stands alone. Data text goes through ``plain``; stances are written as words.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.caption import (
    HEIGHT,
    NARROW_WIDTH,
    Caption,
    apply_caption,
    footer_space,
    plain,
    shorten,
    text_width,
    title_space,
)
from stances.changes import side_rows
from stances.chartparts import (
    axis,
    hover_column,
    quote_budget,
    signed,
    stance_or_none,
    wrap_px,
)
from stances.model import Scale

# Text is sized for the narrowest column a chart is drawn in: a 1024 px window with the sidebar
# open leaves 564 px (measured in Chromium; plotly does not shrink text); the 1200 px export only
# gets roomier.
FIT_WIDTH = NARROW_WIDTH  # the app's narrowest chart column: headings and footers fit it
LABEL_FONT = 12
LINE_PX = 17  # one line of a 12 px label
ROW_PX = 19  # one row of the change chart: an 11 px name beside a 10 px marker
LINEUP_LINES_MIN = 16  # label lines the lineup's height is divided into at least
OLD_OPACITY = 0.35  # a dot for a stance stated before the sidebar's fading limit
# Rows (issue headings included) the change chart draws at most: at 675 px high, with a footer
# of five lines, about 440 px are left for rows of ROW_PX. The table under it lists every change.
ARROW_ROWS_MAX = 22
DATE_FONT = 10
TICK_FONT = 10
X_PAD = 0.8  # columns of room left and right of the scale, for the dates beside the outer markers
NAME_MAX_PX = 110  # an actor's name beside its row, shortened beyond (the hover has it whole)
YEAR_STYLE = f"color:{palette.MUTED}"


# --- where everyone stands ------------------------------------------------------------------------


def _entry_lines(name: str, year: str, width: float) -> list[str]:
    """An actor's label, escaped: its name on up to three lines, the year (muted) after the name or below."""
    lines = wrap_px(name, width, LABEL_FONT, 3)
    year_html = f'<span style="{YEAR_STYLE}">{plain(year)}</span>' if year else ""
    escaped = [plain(line) for line in lines]
    if not year:
        return escaped
    if text_width(f"{lines[-1]} {year}", LABEL_FONT) <= width:
        escaped[-1] = f"{escaped[-1]} {year_html}"
    else:
        escaped.append(year_html)
    return escaped


def lineup_strip(rows: pd.DataFrame, scale: Scale, caption: Caption, old_before: dt.date | None = None) -> go.Figure:
    """Every actor of ``rows`` (``lineup.issue_lineup``) as a dot in its stance's column, labelled
    with its name and the year of its statement; hollow for an expert or reported voice, pale for
    a stance stated before ``old_before`` (None: none is).

    Columns run from the scale's low end to its high end, with "declined to state" on the left
    when someone declined; each heading counts its actors. The caption's proposition goes under
    the title (caption.apply_caption). A column with more actors than the height holds ends in
    "+N more" (the page lists every quote).
    """
    stances: list[int | None] = list(range(scale.low, scale.high + 1))
    held = [stance_or_none(s) for s in rows["stance"].tolist()]
    if any(s is None for s in held):
        stances.insert(0, None)
    column = {s: c for c, s in enumerate(stances)}
    n = len(stances)
    col_px = (FIT_WIDTH - 20) / n
    label_w = col_px - 22
    counts = {s: held.count(s) for s in stances}
    headings = []
    for s in stances:
        words = "declined to state" if s is None else f"{signed(s)} {scale.label(s)}"
        count = "nobody" if counts[s] == 0 else f"{counts[s]} {'actor' if counts[s] == 1 else 'actors'}"
        headings.append([*wrap_px(words, col_px - 6, LABEL_FONT, 2), count])
    top = (LABEL_FONT + 4) * max(len(lines) for lines in headings) + 8
    plot_h = HEIGHT - title_space(caption) - top - 10 - footer_space(caption)
    capacity = max(4, int(plot_h // LINE_PX))

    hovers = hover_column(rows, scale, quote_budget(len(rows)))
    official = (rows["voice"] == "official").tolist()
    old = [False] * len(rows)
    if old_before is not None:
        old = (rows["date_start"] < pd.Timestamp(old_before)).tolist()
        hovers = [
            h + f"<br><i>pale: stated before {old_before.isoformat()}</i>" if o else h
            for h, o in zip(hovers, old, strict=True)
        ]
    entries: dict[int | None, list[tuple[list[str], bool, bool, str]]] = {s: [] for s in stances}
    for stance, name, year, is_official, is_old, tip in zip(
        held, rows["actor_name"].tolist(), rows["year"].tolist(), official, old, hovers, strict=True
    ):
        entries[stance].append((_entry_lines(str(name), str(year), label_w), is_official, is_old, tip))
    xs, ys, texts, colours, symbols, opacity, hover = [], [], [], [], [], [], []
    lines_used = dict.fromkeys(stances, 0)
    more: dict[int | None, int] = {}
    for stance, listed in entries.items():
        room = capacity if sum(len(lines) for lines, *_ in listed) <= capacity else capacity - 1  # "+N more"
        for index, (lines, is_official, is_old, tip) in enumerate(listed):
            used = lines_used[stance]
            if used + len(lines) > room:
                more[stance] = len(listed) - index
                break
            xs.append(column[stance] - 0.5 + 12 / col_px)
            ys.append(used + (len(lines) - 1) / 2)
            texts.append("<br>".join(lines))
            colours.append(palette.stance_colour(stance, scale))
            symbols.append("circle" if is_official else "circle-open")
            opacity.append(OLD_OPACITY if is_old else 1.0)
            hover.append(tip)
            lines_used[stance] = used + len(lines)
    # a few actors keep lines of a usual spacing, not stretched over the whole height
    shown_lines = min(capacity, max(max(lines_used.values()) + (1 if more else 0), LINEUP_LINES_MIN))
    fig = go.Figure()
    for s in stances:  # a faint band of the stance's colour behind each column
        fig.add_shape(
            type="rect",
            xref="x",
            yref="paper",
            x0=column[s] - 0.49,
            x1=column[s] + 0.49,
            y0=0,
            y1=1,
            fillcolor=palette.stance_colour(s, scale),
            opacity=0.10,
            line={"width": 0},
            layer="below",
        )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=texts,
            textposition="middle right",
            textfont={"size": LABEL_FONT},
            marker={
                "size": 10,
                "color": colours,
                "symbol": symbols,
                "opacity": opacity,
                "line": {"color": colours, "width": 2},
            },
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
            showlegend=False,
            name="actors",
        )
    )
    notes_x, notes_y, notes = [], [], []
    for s, count in more.items():
        notes_x.append(column[s] - 0.5 + 12 / col_px)
        notes_y.append(lines_used[s])
        notes.append(f"+{count} more (listed below the chart)")
    if notes:
        fig.add_trace(
            go.Scatter(
                x=notes_x,
                y=notes_y,
                mode="text",
                text=[plain(t) for t in notes],
                textposition="middle right",
                textfont={"size": LABEL_FONT, "color": palette.MUTED},
                hoverinfo="skip",
                showlegend=False,
                name="notes",
            )
        )
    notes = (["hollow dot: expert or reported voice"] if not all(official) else []) + (
        [f"pale dot: stated before {old_before.isoformat()}"] if any(old) and old_before is not None else []
    )
    if notes:
        fig.add_annotation(
            text="<br>".join(notes),
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"size": LABEL_FONT - 1, "color": palette.MUTED},
            name="voices",
        )
    fig.update_layout(
        xaxis=axis(
            side="top",
            tickmode="array",
            tickvals=list(range(n)),
            ticktext=["<br>".join(plain(line) for line in lines) for lines in headings],
            tickfont={"size": LABEL_FONT},
            range=[-0.5, n - 0.5],
            automargin=False,
        ),
        yaxis=axis(visible=False, range=[shown_lines - 0.5, -0.5], automargin=False),
        showlegend=False,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        hovermode="closest",
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


# --- what changed ---------------------------------------------------------------------------------


def fit_changes(table: pd.DataFrame, rows_max: int = ARROW_ROWS_MAX) -> pd.DataFrame:
    """The changes of ``table`` the chart draws: as many as fit ``rows_max`` rows (a heading row
    counted for each issue), moves first, then lapses, then first statements (over a long window
    these outnumber the rest), each kind in the table's order; returned in the table's order."""
    priority = {"moved": 0, "lapsed": 1, "appeared": 2}
    kinds, issues = table["change"].tolist(), table["issue"].tolist()
    ranked = sorted(range(len(table)), key=lambda i: (priority.get(kinds[i], 3), i))
    keep: set[int] = set()
    headed: set[str] = set()
    used = 0
    for i in ranked:
        need = 1 + (issues[i] not in headed)
        if used + need > rows_max:
            continue  # a change of an issue already headed may still fit
        used += need
        keep.add(i)
        headed.add(issues[i])
    return table.iloc[sorted(keep)]


LINE_STYLES: dict[str, tuple[str, str]] = {  # change -> (dash, legend text)
    "moved": ("solid", "moved"),
    "appeared": ("dot", "appeared"),
    "lapsed": ("dash", "lapsed"),
}


def _legend_entry(fig: go.Figure, name: str, **style: object) -> None:
    """A legend entry with no data: the legend explains the marks without repeating every point."""
    fig.add_trace(go.Scatter(x=[None], y=[None], name=plain(name), hoverinfo="skip", **style))


def change_arrows(table: pd.DataFrame, scale: Scale, caption: Caption, start: dt.date, end: dt.date) -> go.Figure:
    """An arrow per change of ``table`` (``changes.Changes.table``, at most ``ARROW_ROWS_MAX`` rows
    with headings: see :func:`fit_changes`): from the stance on ``start`` (a dot) to the stance on
    ``end`` (the arrowhead), each end labelled with its statement's date.

    Rows are actors under a heading per issue. A move is a solid line, an appearance dotted, a
    lapse dashed. Left of the scale, "declined to state" and "no position before" columns
    appear when a change starts or ends there.
    """
    before = [stance_or_none(s) for s in table["before_stance"].tolist()]
    after = [stance_or_none(s) for s in table["after_stance"].tolist()]
    from_nothing = table["before_order"].isna().tolist()
    kinds = table["change"].tolist()
    any_declined = any(s is None for s, none in zip(before, from_nothing, strict=True) if not none) or any(
        s is None for s in after
    )
    declined_x = scale.low - 1
    none_x = scale.low - (2 if any_declined else 1)

    def x_of(stance: int | None, nothing: bool = False) -> int:
        if nothing:
            return none_x
        return declined_x if stance is None else stance

    # rows: a heading per issue, then its changes
    ticks: list[str] = []
    headings: list[tuple[int, str]] = []
    row_of: list[int] = []
    last = None
    for issue, title, name in zip(table["issue"], table["issue_title"], table["actor_name"], strict=True):
        if issue != last:
            headings.append((len(ticks), str(title)))
            ticks.append("")
            last = issue
        row_of.append(len(ticks))
        ticks.append(str(name))
    n_rows = max(len(ticks), 8)  # a few changes keep rows of a usual height, not a stretched few
    plot_h = HEIGHT - title_space(caption) - 30 - 60 - footer_space(caption)
    row_font = 12 if plot_h / n_rows >= 16 else 11
    names = [wrap_px(t, NAME_MAX_PX, row_font, 1)[0] if t else "" for t in ticks]  # one line: rows are thin
    label_w = max([text_width(n, row_font) for n in names] + [0])
    labels = [plain(n) for n in names]
    start_x = [x_of(b, nothing) for b, nothing in zip(before, from_nothing, strict=True)]
    end_x = [x_of(a) for a in after]
    rightward = [e >= s for s, e in zip(start_x, end_x, strict=True)]

    fig = go.Figure()
    for kind, (dash, legend) in LINE_STYLES.items():
        line_x: list[float | None] = []
        line_y: list[float | None] = []
        for row, x0, x1, k in zip(row_of, start_x, end_x, kinds, strict=True):
            if k == kind:
                line_x += [x0, x1, None]
                line_y += [row, row, None]
        if line_x:
            fig.add_trace(
                go.Scatter(
                    x=line_x,
                    y=line_y,
                    mode="lines",
                    line={"color": palette.MUTED, "width": 2, "dash": dash},
                    hoverinfo="skip",
                    name=legend,
                    legendrank=2,
                )
            )
    chars = quote_budget(2 * len(table))
    before_hover = hover_column(side_rows(table, "before"), scale, chars)
    after_hover = hover_column(side_rows(table, "after"), scale, chars)
    for index, (name, nothing) in enumerate(zip(table["actor_name"].astype(str), from_nothing, strict=True)):
        if nothing:
            before_hover[index] = f"<b>{plain(shorten(name, 60))}</b><br>no position before {start.isoformat()}"
    dates_before = [d if isinstance(d, str) else "" for d in table["before_date"].tolist()]
    fig.add_trace(
        go.Scatter(
            x=start_x,
            y=row_of,
            mode="markers+text",
            text=[plain(d) for d in dates_before],
            textposition=["middle left" if r else "middle right" for r in rightward],
            textfont={"size": DATE_FONT, "color": palette.MUTED},
            marker={
                "size": 10,
                "symbol": ["circle-open" if nothing else "circle" for nothing in from_nothing],
                "color": [
                    palette.MUTED if nothing else palette.stance_colour(b, scale)
                    for b, nothing in zip(before, from_nothing, strict=True)
                ],
                "line": {"width": 2},
            },
            hovertext=before_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
            showlegend=False,
            name="before",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=end_x,
            y=row_of,
            mode="markers+text",
            text=[plain(str(d)) for d in table["after_date"].tolist()],
            textposition=["middle right" if r else "middle left" for r in rightward],
            textfont={"size": DATE_FONT},
            marker={
                "size": 13,
                "symbol": ["triangle-right" if r else "triangle-left" for r in rightward],
                "color": [palette.stance_colour(a, scale) for a in after],
                "line": {"color": palette.MUTED, "width": 1},
            },
            hovertext=after_hover,
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
            showlegend=False,
            name="after",
        )
    )
    grey = {"color": palette.MUTED, "line": {"color": palette.MUTED, "width": 2}}
    _legend_entry(
        fig,
        f"stance on {start.isoformat()}",
        mode="markers",
        marker={"symbol": "circle", "size": 9, **grey},
        legendrank=1,
    )
    _legend_entry(
        fig,
        f"stance on {end.isoformat()}",
        mode="markers",
        marker={"symbol": "triangle-right", "size": 11, **grey},
        legendrank=1,
    )
    for row, title in headings:
        fig.add_annotation(
            text=f"<b>{plain(shorten(title, 70))}</b>",
            xref="paper",
            x=0,
            y=row,
            yref="y",
            xanchor="left",
            showarrow=False,
            font={"size": 12},
            name="issue",
        )
    columns = ([none_x] if any(from_nothing) else []) + ([declined_x] if any_declined else [])
    columns += range(scale.low, scale.high + 1)
    words = (["no position before"] if any(from_nothing) else []) + (["declined to state"] if any_declined else [])
    words += [scale.label(x) for x in range(scale.low, scale.high + 1)]
    numbers = ([""] * (len(columns) - scale.high + scale.low - 1)) + [
        signed(x) for x in range(scale.low, scale.high + 1)
    ]
    # Each column's words wrapped to its width in the narrowest column the chart is drawn in; when
    # a word does not fit, the ticks keep the numbers and a key under the axis says what they mean
    # (a slanted or clipped label reads worse).
    unit = (FIT_WIDTH - label_w - 24 - 10) / (columns[-1] - columns[0] + 2 * X_PAD)
    wrapped = [wrap_px(w, unit - 6, TICK_FONT, 3) for w in words]
    fits = all(text_width(line, TICK_FONT) <= unit - 6 and "…" not in line for lines in wrapped for line in lines)
    key = ""
    if fits:
        tick_text = [
            "<br>".join([n, *(plain(line) for line in lines)] if n else [plain(line) for line in lines])
            for n, lines in zip(numbers, wrapped, strict=True)
        ]
    else:
        tick_text = [n or "<br>".join(plain(line) for line in lines) for n, lines in zip(numbers, wrapped, strict=True)]
        key_text = " · ".join(f"{signed(x)} {scale.label(x)}" for x in range(scale.low, scale.high + 1))
        key = "<br>".join(plain(line) for line in wrap_px(key_text, FIT_WIDTH - label_w - 40, TICK_FONT, 3))
    fig.update_layout(
        xaxis=axis(
            tickmode="array",
            tickvals=columns,
            ticktext=tick_text,
            tickfont={"size": TICK_FONT},
            tickangle=0,
            range=[columns[0] - X_PAD, scale.high + X_PAD],
            showgrid=True,
            gridcolor=palette.GRID,
            title={"text": key, "font": {"size": TICK_FONT, "color": palette.MUTED}, "standoff": 6},
        ),
        yaxis=axis(
            tickmode="array",
            tickvals=list(range(len(ticks))),
            ticktext=labels,
            tickfont={"size": row_font},
            range=[n_rows - 0.5, -0.7],
        ),
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom", "font": {"size": 11}},
        showlegend=True,
        margin={"l": int(label_w) + 24, "r": 10, "t": 30, "b": 60 + (14 * key.count("<br>") + 14 if key else 0)},
        hovermode="closest",
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)
