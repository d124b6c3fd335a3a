"""Agreement between actors: which pairs share enough issues to be scored, an order of the actors
that shows blocs, the scored pairs as a table, and the matrix as a chart.

The measure itself (``analysis.agreement``) is the mean over the shared issues of
``1 - |a - b| / span``. A pair sharing one issue scores 1.00 or 0.00 on one statement each: a
score needs ``min_shared`` shared issues (default 2), and below that the chart says "too few
shared issues" instead of drawing a number. The matrix is one triangle (a pair once, no actor
with itself), its rows and columns in the order :func:`seriate` finds, so that actors who agree
sit together and blocs show as bright triangles along the diagonal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from stances import analysis, palette, wording
from stances.caption import (
    HEIGHT,
    NARROW_WIDTH,
    TITLE_SPACE,
    Caption,
    apply_caption,
    footer_space,
    plain,
    shorten,
    text_width,
)
from stances.chartparts import HOVER_BUDGET, axis, note_in_the_middle, signed, wrap_px

MIN_SHARED_DEFAULT = 2  # one shared issue makes a score of one statement each: 1.00 or 0.00 by chance
MIN_SHARED_MAX = 50  # the control's upper bound (a bound, not a dataset's count, so links stay valid)
MIN_SHARED_PARAM = "minshared"  # its URL parameter (a link leaves it out at the default)
# The chart column of a 1024x768 window with the sidebar open (measured in Chromium: 564 px).
# Cell text is sized to fit there: the app stretches the figure to its column, and plotly does
# not shrink text to fit a cell, so text sized for the 1200 px image would overlap at 1024.
CELL_FONT_MIN = 9  # px: below this a cell shows no number (the hover and the table still have it)
ROW_LABEL_PX = 130  # widest row label (a long name takes two lines when rows are tall enough)
COLUMN_LABEL_PX = 110  # widest slanted column label
LEGEND_FONT = 11
KEY_SIDE_PX = 140  # the colour bar and legend beside the plot (fewer than five actors)
HOVER_ISSUES = 12  # most shared issues one hover names
HOVER_LINE_CHARS = 70  # a hover line's length as the hover budget counts it
ISSUE_TITLE_MAX = 44  # an issue's title in a hover line
SCALE_WORDS = "1 = same stances, 0 = opposite ends"  # under the colour bar's title

# The Sources & method page shows this paragraph under "Agreement" (fixed text, Markdown).
METHOD_NOTE = (
    f"A pair is scored only when it shares at least {MIN_SHARED_DEFAULT} issues (the Agreement page's "
    "*minimum shared issues*): one shared issue gives 1.00 or 0.00 on a single statement each. Below the "
    "minimum the matrix says *too few shared issues*, and the pair is left out of the table of pairs, "
    "which lists the pairs with most shared issues first, then the most aligned. "
    "The rows and columns of the matrix are ordered so that blocs appear: the actors are clustered by "
    "average linkage (UPGMA) on 1 − agreement, counting only the scored pairs, and each time two clusters "
    "join they are turned so that their two most similar end actors sit side by side (the rule of "
    "Gruvaeus and Wainer, 1972). Actors with no scored pair come last, in the order chosen. The order "
    "shows who stands close to whom on the issues they share; it changes with the actors, the date, "
    "the voices and the minimum."
)


@dataclass(frozen=True)
class Matrix:
    """Agreement between actors, in the order the chart draws them (:func:`seriate`).

    ``score`` is NaN where a pair shares no issue; ``scored`` is True where a pair of two different
    actors shares at least ``min_shared`` issues. ``stances`` (actors x issues, NaN where no stated
    stance) names the shared issues in hovers and in the table.
    """

    actors: tuple[str, ...]
    names: tuple[str, ...]
    score: np.ndarray
    shared: np.ndarray
    stances: np.ndarray
    issues: tuple[str, ...]
    titles: tuple[str, ...]
    min_shared: int

    @property
    def scored(self) -> np.ndarray:
        """Pairs of different actors sharing at least ``min_shared`` issues (n x n, symmetric)."""
        return scored_pairs(self.shared, self.min_shared)

    def shared_issues(self, i: int, j: int) -> list[int]:
        """Indexes of the issues on which actors ``i`` and ``j`` both have a stated stance."""
        both = ~np.isnan(self.stances[i]) & ~np.isnan(self.stances[j])
        return np.nonzero(both)[0].tolist()


def matrix(
    latest: pd.DataFrame,
    scale_span: int,
    actors: Sequence[str] | None = None,
    min_shared: int = MIN_SHARED_DEFAULT,
) -> Matrix:
    """The agreement of ``actors`` (default: every actor in ``latest``) from their ``latest``
    stances (``analysis.latest_stances``), in the order of :func:`seriate`. Actors without a
    stated stance stay in, sharing nothing."""
    actors = list(dict.fromkeys(actors if actors is not None else analysis.actors_with_positions(latest)))
    n = len(actors)
    long = analysis.agreement(latest, scale_span, actors)
    index = {a: i for i, a in enumerate(actors)}
    rows_i, cols_j = long["actor_a"].map(index).to_numpy(), long["actor_b"].map(index).to_numpy()
    score = np.full((n, n), np.nan)
    shared = np.zeros((n, n), dtype="int64")
    score[rows_i, cols_j] = long["agreement"].to_numpy(dtype="float64")
    shared[rows_i, cols_j] = long["shared"].to_numpy(dtype="int64")
    stated = latest[latest["actor"].isin(actors) & latest["stance"].notna()]
    issues = analysis.issues_with_positions(stated)
    titles = dict(zip(stated["issue"], stated["issue_title"], strict=True))
    stances = (
        stated.pivot(index="actor", columns="issue", values="stance").reindex(index=actors, columns=issues)
        if not stated.empty
        else pd.DataFrame(index=actors, columns=issues)
    ).to_numpy(dtype="float64", na_value=np.nan)
    names = dict(zip(latest["actor"], latest["actor_name"], strict=True)) if not latest.empty else {}
    order = seriate(np.where(scored_pairs(shared, min_shared), score, np.nan), first=0)
    return Matrix(
        actors=tuple(actors[k] for k in order),
        names=tuple(str(names.get(actors[k], actors[k])) for k in order),
        score=score[np.ix_(order, order)],
        shared=shared[np.ix_(order, order)],
        stances=stances[order] if n else stances,
        issues=tuple(issues),
        titles=tuple(str(titles.get(i, i)) for i in issues),
        min_shared=min_shared,
    )


def scored_pairs(shared: np.ndarray, min_shared: int) -> np.ndarray:
    """Where two different actors share at least ``min_shared`` issues (at least one), given the
    counts of shared issues (n x n)."""
    mask = shared >= max(min_shared, 1)
    np.fill_diagonal(mask, False)
    return mask


# --- the order -----------------------------------------------------------------------------------


def seriate(similarity: np.ndarray, first: int | None = None) -> list[int]:
    """An order of the rows of a symmetric ``similarity`` matrix (NaN = unknown) that puts similar
    rows side by side: average-linkage clustering, leaves ordered by the Gruvaeus-Wainer rule.

    Each step joins the two clusters with the highest mean similarity over their known pairs;
    the pair of clusters is turned (either may be reversed) so that the two most similar end rows
    meet. Rows with no known similarity to any other come last, in their given order; clusters
    with no known link between them join in their given order. Ties go to the earlier rows, so
    the order is deterministic. ``first``: a row the order starts near (it is reversed if that
    row sits in its second half). O(n³) work, in numpy: n steps over an n x n matrix.

    >>> seriate(np.array([[1, .1, .9], [.1, 1, .2], [.9, .2, 1]]))
    [0, 2, 1]
    """
    n = len(similarity)
    sim = np.array(similarity, dtype="float64", copy=True)
    np.fill_diagonal(sim, np.nan)
    known = ~np.isnan(sim)
    linked = [i for i in range(n) if known[i].any()]
    loners = [i for i in range(n) if not known[i].any()]
    order = _cluster_order(sim, linked)
    if first is not None and first in order and order.index(first) >= (len(order) + 1) // 2 and len(order) > 1:
        order.reverse()
    return order + loners


def _cluster_order(sim: np.ndarray, rows: list[int]) -> list[int]:
    """Average linkage over ``rows`` of ``sim`` (NaN unknown, diagonal NaN), Gruvaeus-Wainer leaves."""
    if not rows:
        return []
    sub = sim[np.ix_(rows, rows)]
    known = ~np.isnan(sub)
    total = np.where(known, sub, 0.0)  # sum of known similarities between clusters (slot x slot)
    count = known.astype("float64")  # how many known pairs those sums hold
    members: list[list[int] | None] = [[k] for k in range(len(rows))]
    active = np.ones(len(rows), dtype=bool)
    while active.sum() > 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / np.where(count > 0, count, 1), -np.inf)
        both = active[:, None] & active[None, :]
        np.fill_diagonal(both, False)
        candidates = np.where(both, mean, np.nan)
        # argmax over the upper triangle only: the first (lowest slots) wins a tie, and clusters
        # with no known link (-inf) join in their given order once nothing else is left
        candidates[np.tril_indices(len(rows))] = np.nan
        a, b = np.unravel_index(np.nanargmax(candidates), candidates.shape)
        members[a] = _join(members[a], members[b], sub)  # type: ignore[arg-type]
        members[b] = None
        total[a] += total[b]
        total[:, a] += total[:, b]
        count[a] += count[b]
        count[:, a] += count[:, b]
        active[b] = False
    joined = members[int(np.nonzero(active)[0][0])]
    return [rows[k] for k in joined or []]


def _join(left: list[int], right: list[int], sim: np.ndarray) -> list[int]:
    """``left`` and ``right`` joined, each possibly reversed, so that the most similar ends meet
    (unknown counts as least similar; a tie keeps them as they are)."""
    options = [(left, right), (left, right[::-1]), (left[::-1], right), (left[::-1], right[::-1])]
    scores = [sim[x[-1], y[0]] for x, y in options]
    best = max(range(4), key=lambda k: (-np.inf if np.isnan(scores[k]) else scores[k], -k))
    x, y = options[best]
    return [*x, *y]


# --- the table -----------------------------------------------------------------------------------


def pairs_table(m: Matrix) -> pd.DataFrame:
    """The scored pairs, most shared issues first, then most aligned, then by name: actor, other
    actor, shared issues, agreement and the shared issues' titles."""
    i, j = np.nonzero(np.triu(m.scored, k=1))
    table = pd.DataFrame(
        {
            "actor": pd.Series([m.names[a] for a in i], dtype=object),
            "other actor": pd.Series([m.names[b] for b in j], dtype=object),
            "shared issues": m.shared[i, j].astype("int64"),
            "agreement": m.score[i, j].astype("float64"),
            "issues": pd.Series(
                ["; ".join(m.titles[k] for k in m.shared_issues(a, b)) for a, b in zip(i, j, strict=True)], dtype=object
            ),
        }
    )
    return table.sort_values(
        ["shared issues", "agreement", "actor", "other actor"], ascending=[False, False, True, True], kind="stable"
    ).reset_index(drop=True)


def unscored(m: Matrix) -> tuple[int, int]:
    """How many pairs share some issues but fewer than the minimum, and how many share none."""
    upper = np.triu(np.ones_like(m.shared, dtype=bool), k=1)
    few = int((upper & (m.shared > 0) & ~m.scored).sum())
    return few, int((upper & (m.shared == 0)).sum())


def partnered(latest: pd.DataFrame, scale_span: int, min_shared: int = MIN_SHARED_DEFAULT) -> list[str]:
    """Actors (dataset order) sharing at least ``min_shared`` issues with at least one other actor:
    the only ones whose row can hold a score."""
    stated = latest[latest["stance"].notna()]
    actors = analysis.actors_with_positions(stated)
    if len(actors) < 2:
        return []
    pairs = analysis.agreement(stated, scale_span, actors)
    enough = (pairs["actor_a"] != pairs["actor_b"]) & (pairs["shared"] >= max(min_shared, 1))  # as scored_pairs
    keep = set(pairs.loc[enough, "actor_a"])
    return [a for a in actors if a in keep]


# --- the minimum in a link ------------------------------------------------------------------------


def parse_min_shared(value: str | None) -> int | None:
    """The minimum from ``?minshared=``: a whole number from 1 to ``MIN_SHARED_MAX``, else None."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MIN_SHARED_MAX else None


# --- text ----------------------------------------------------------------------------------------


def subtitle(selection: str, min_shared: int) -> str:
    """The chart's subtitle: the sidebar's selection, then the minimum a score needs."""
    return f"{selection} · minimum {wording.plural(min_shared, 'shared issue')}"


def score_text(value: float) -> str:
    """An agreement as a cell prints it: ``.75``, ``1``, ``0`` (no leading zero: a value between 0
    and 1 needs three characters, so the number fits a narrow cell at a readable size)."""
    text = f"{value:.2f}"
    if text in ("1.00", "0.00"):
        return text[0]
    return text[1:] if text.startswith("0") else text


def too_few_text(min_shared: int) -> str:
    """What a grey cell means, for the legend."""
    if min_shared <= 1:
        return "grey: no shared issue"
    return f"grey: fewer than {min_shared} shared issues, too few for a score"


def hover_texts(m: Matrix) -> np.ndarray:
    """Each pair's hover (n x n, "" on the diagonal): the pair, its score or why none, then each
    shared issue with both actors' stances ("US/NATO missile defence in Europe: USA +2, RUS −2").

    The issues named per pair are bounded (``HOVER_ISSUES``, and a total of about
    ``chartparts.HOVER_BUDGET`` characters over the whole matrix), the rest counted."""
    n = len(m.actors)
    out = np.full((n, n), "", dtype=object)
    pairs = n * (n - 1) // 2
    per_pair = min(HOVER_ISSUES, HOVER_BUDGET // (HOVER_LINE_CHARS * pairs)) if pairs else 0
    short = [plain(shorten(name, 30)) for name in m.names]
    ids = [plain(a) for a in m.actors]
    titles = [plain(shorten(t, ISSUE_TITLE_MAX)) for t in m.titles]
    scored = m.scored
    for i in range(n):
        for j in range(i):
            count = int(m.shared[i, j])
            lines = [f"{short[i]} and {short[j]}"]
            if count == 0:
                lines.append("no shared issue: no score")
            elif scored[i, j]:
                lines.append(f"agreement {m.score[i, j]:.2f} over {wording.plural(count, 'shared issue')}")
            else:
                lines.append(f"{wording.plural(count, 'shared issue')}: too few for a score (minimum {m.min_shared})")
            if count and per_pair:
                shown = m.shared_issues(i, j)
                for k in shown[:per_pair]:
                    a, b = int(m.stances[i, k]), int(m.stances[j, k])
                    lines.append(f"{titles[k]}: {ids[i]} {signed(a)}, {ids[j]} {signed(b)}")
                if len(shown) > per_pair:
                    lines.append(f"+{len(shown) - per_pair} more (see the table of pairs)")
            elif count:
                lines.append("(choose fewer actors to see which)")
            out[i, j] = out[j, i] = "<br>".join(lines)
    return out


# --- the chart -----------------------------------------------------------------------------------


def agreement_chart(m: Matrix, caption: Caption) -> go.Figure:
    """The lower triangle of the agreement matrix: one cell per pair (row below column in the
    order of ``m``), coloured by agreement where scored, grey where the pair shares too few issues.

    Cell text is sized for the app's narrowest column (``NARROW_WIDTH``) and so fits the 1200 px
    image too. The colour bar and the legend sit in the empty triangle's top-right corner (beside
    the plot when there are fewer than five actors).
    """
    n = len(m.actors)
    if n < 2:
        fig = go.Figure()
        note_in_the_middle(fig, "Choose at least two actors.", size=16)
        fig.update_layout(
            xaxis={"visible": False}, yaxis={"visible": False}, margin={"l": 20, "r": 20, "t": 10, "b": 10}
        )
        return apply_caption(fig, caption)
    k = n - 1  # rows are actors 1..n-1, columns 0..n-2
    inside = k >= 4  # the empty triangle has room for the colour bar and legend
    right = 20 if inside else KEY_SIDE_PX + 30
    # column labels (bottom, slanted) first: their height sets the rows' height
    column_text = [_fit(m.names[c], COLUMN_LABEL_PX, 12) for c in range(k)]
    bottom = int(max(text_width(t, 12) for t in column_text) * 0.72) + 20
    plot_h = HEIGHT - TITLE_SPACE - 10 - bottom - footer_space(caption)
    row_h = plot_h / k
    row_lines = [
        wrap_px(m.names[r], ROW_LABEL_PX, 12, 2) if row_h >= 2.3 * 12 else [_fit(m.names[r], ROW_LABEL_PX, 12)]
        for r in range(1, n)
    ]
    left = int(max(text_width(line, 12) for lines in row_lines for line in lines)) + 16
    cell_w = (NARROW_WIDTH - left - right) / k
    style, font = _cell_style(cell_w, row_h, int(m.shared.max()))
    key_width = _key_width(inside, k, cell_w)
    lower = np.tril(np.ones((k, k), dtype=bool))  # row r (actor r + 1) meets columns 0..r once
    scored = lower & m.scored[1:, :k]
    few = lower & ~scored
    score = m.score[1:, :k]
    counts = m.shared[1:, :k]
    template = {"inline": "{v} (n={c})", "stacked": "{v}<br>n={c}", "value": "{v}"}.get(style or "", "")
    text = np.full((k, k), "", dtype=object)
    for r, c in zip(*np.nonzero(scored), strict=True):
        text[r, c] = template.format(v=score_text(score[r, c]), c=counts[r, c])
    hover = hover_texts(m)[1:, :k]
    cells = {"x": list(range(k)), "y": list(range(k)), "xgap": 2, "ygap": 2, "hoverongaps": False}
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=np.where(few, 0.0, np.nan),
            colorscale=[[0, palette.NO_DATA_LAND], [1, palette.NO_DATA_LAND]],
            showscale=False,
            text=np.where(few, "–", "") if style else None,
            texttemplate="%{text}" if style else None,
            textfont={"size": font},
            hovertext=np.where(few, hover, ""),
            hovertemplate="%{hovertext}<extra></extra>",
            name="too few shared issues",
            **cells,
        )
    )
    legend = [too_few_text(m.min_shared), "order: actors who agree sit together"]
    if style in ("inline", "stacked"):
        legend.insert(0, "n = shared issues")
    fig.add_trace(
        go.Heatmap(
            z=np.where(scored, score, np.nan),
            zmin=0,
            zmax=1,
            colorscale="Viridis",
            colorbar=_colorbar(inside, k, key_width),
            text=text if style else None,
            texttemplate="%{text}" if style else None,
            textfont={"size": font},
            hovertext=np.where(scored, hover, ""),
            hovertemplate="%{hovertext}<extra></extra>",
            name="agreement",
            **cells,
        )
    )
    _add_legend(fig, legend, inside, key_width, plot_h)
    fig.update_layout(
        xaxis=axis(
            tickmode="array",
            tickvals=list(range(k)),
            ticktext=[plain(t) for t in column_text],
            tickangle=-45,
            range=[-0.5, k - 0.5],
            tickfont={"size": 12},
        ),
        yaxis=axis(
            tickmode="array",
            tickvals=list(range(k)),
            ticktext=["<br>".join(plain(line) for line in lines) for lines in row_lines],
            autorange="reversed",
            tickfont={"size": 12},
        ),
        margin={"l": left, "r": right, "t": 10, "b": bottom},
        uirevision=plain(caption.title),
    )
    return apply_caption(fig, caption)


def _fit(name: str, width: float, size: float) -> str:
    """``name`` on one line of at most ``width`` px, shortened with an ellipsis if need be."""
    return wrap_px(name, width, size, 1)[0]


def _cell_style(cell_w: float, cell_h: float, most: int) -> tuple[str | None, int]:
    """How a cell of ``cell_w`` x ``cell_h`` px prints its score, and at which size: with the
    count of shared issues ("inline" ``.75 (n=3)`` or "stacked") only at 11-12 px, else the score
    alone ("value") at the largest size from 12 px down to ``CELL_FONT_MIN``; None if not even that."""
    room = cell_w - 6
    widest = ".00"  # the widest score_text prints (all digits are as wide)
    for size in (12, 11):
        if text_width(f"{widest} (n={most})", size) <= room and cell_h >= size * 1.3 + 4:
            return "inline", size
        if max(text_width(widest, size), text_width(f"n={most}", size)) <= room and cell_h >= 2.3 * size + 3:
            return "stacked", size
    for size in range(12, CELL_FONT_MIN - 1, -1):
        if text_width(widest, size) <= room and cell_h >= size * 1.3 + 2:
            return "value", size
    return None, CELL_FONT_MIN


def _key_width(inside: bool, k: int, cell_w: float) -> float:
    """Px the colour bar and legend may take: the empty corner's width at the narrowest column
    (half the columns), or the strip beside the plot."""
    return (k // 2) * cell_w - 8 if inside else KEY_SIDE_PX


def _colorbar_title(width: float) -> list[str]:
    """The colour bar's title, raw lines: "Agreement", then what its ends mean (on one line if
    it fits, else one line per end)."""
    if text_width(SCALE_WORDS, 12) <= width:
        return ["Agreement", SCALE_WORDS]
    return ["Agreement", *(_fit(end.strip(), width, 12) for end in SCALE_WORDS.split(","))]


def _colorbar(inside: bool, k: int, width: float) -> dict:
    """The colour bar: across the top of the empty triangle, or beside the plot for few actors."""
    ticks = {"tickmode": "array", "tickvals": [0, 0.25, 0.5, 0.75, 1], "ticktext": ["0", ".25", ".5", ".75", "1"]}
    title = {"text": "<br>".join(plain(t) for t in _colorbar_title(width)), "side": "top", "font": {"size": 12}}
    base = {"outlinewidth": 0, "thickness": 12, "tickfont": {"size": LEGEND_FONT}, "title": title, **ticks}
    if inside:
        place = {"orientation": "h", "x": 1, "xanchor": "right", "len": (k // 2) / k - 0.02}
    else:
        place = {"x": 1.02, "xanchor": "left", "len": 0.5}
    return {**base, **place, "y": 1, "yanchor": "top"}


def _add_legend(fig: go.Figure, lines: list[str], inside: bool, width: float, plot_h: float) -> None:
    """What grey cells, ``n`` and the order mean: under the colour bar."""
    wrapped = [line for text in lines for line in wrap_px(text, width, LEGEND_FONT, 3)]
    # the horizontal bar's title lines, the bar and its tick labels, then a gap
    below = 12 * 1.3 * len(_colorbar_title(width)) + 12 + LEGEND_FONT * 1.3 + 14
    fig.add_annotation(
        text="<br>".join(plain(line) for line in wrapped),
        xref="paper",
        yref="paper",
        x=1 if inside else 1.02,
        xanchor="right" if inside else "left",
        y=1 - below / plot_h if inside else 0.45,
        yanchor="top",
        align="right" if inside else "left",
        showarrow=False,
        font={"size": LEGEND_FONT, "color": palette.MUTED},
        name="legend",
    )
