"""What the What changed and One issue, everyone pages show, as pure functions of the data and selection.

As ``stances.chartviews``: a page reads its pickers (``stances.pickers``), calls one ``*_view``
here and renders what it gets; ``python -m stances export`` calls the same functions through
:func:`default_charts`. Every function takes ``(dataset, frame, ...)`` with hashable arguments and
returns a value nobody modifies (the dashboard shares it between sessions: ui.memo).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from stances import analysis, changes, issuecharts, lineup, permalink, pickers, wording
from stances.caption import Caption, describe_selection, fit_footer, latest_statement
from stances.chartparts import signed, stance_or_none, stance_text
from stances.chartviews import NO_POSITIONS, NO_VOICE, ChartView, DefaultChart, add_default, faded_before, propositions
from stances.model import Dataset, Scale
from stances.pickers import Voices


@dataclass(frozen=True)
class NarrowView(ChartView):
    """A chart view whose page draws the figure with its heading and footer wrapped for the
    narrowest column (issuecharts.FIT_WIDTH, a 1024 px window with the sidebar open), where one
    wrapped for a wider column is cut off; in a wider column they only take a line more."""

    @functools.cached_property
    def shown(self) -> go.Figure | None:
        """The figure as the page draws it (made once per view: views are memoised)."""
        if self.figure is None or self.caption is None:
            return self.figure
        return fit_footer(self.figure, self.caption)


# --- What changed ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeCard:
    """One change under the chart: what it is in words, and the statement before and after."""

    heading: str  # plain text: "Russia · Golden Dome: appeared: −2 strongly opposes"
    before: lineup.Statement | None  # None: no position before the first date
    after: lineup.Statement


@dataclass(frozen=True)
class ChangesView(NarrowView):
    """The change chart, and every change listed under it (the chart draws the first ``drawn``)."""

    found: changes.Changes | None = None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # changes.changes_table: listed and downloaded
    drawn: int = 0
    # change_cards' results for this view, by limit and scale: a rerun of the page lists the same
    # cards again (views are memoised and shared; the cards are never modified either)
    cards_made: dict[tuple, tuple[ChangeCard, ...]] = field(default_factory=dict, compare=False, repr=False)


def changes_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    voices: Voices,
    start: dt.date | None,
    end: dt.date | None,
    issues: tuple[str, ...],
) -> ChangesView:
    """Every actor whose stance on the chosen issues (all when none is chosen) moved, appeared or
    lapsed between ``start`` and ``end``: the arrows of the first that fit, and the whole table."""
    if frame.empty:
        return ChangesView(empty=NO_POSITIONS)
    if not voices:
        return ChangesView(empty=NO_VOICE)
    if start is None or end is None:
        return ChangesView(empty="Choose two dates to compare.")
    if start >= end:
        return ChangesView(empty="The first date must come before the second: choose an earlier “From”.")
    found = changes.stance_changes(frame, start, end, voices, issues or None)
    if found.table.empty:
        restated = f" ({wording.plural(found.restated, 'stance')} restated unchanged)" if found.restated else ""
        message = (
            f"No stance changed between {start.isoformat()} and {end.isoformat()} for the selected voices"
            f"{restated}: widen the dates or choose other issues."
        )
        return ChangesView(empty=message, found=found)
    drawn = issuecharts.fit_changes(found.table)
    n_actors, n_issues = drawn["actor"].nunique(), drawn["issue"].nunique()
    everything = len(found.table)
    count = (
        wording.plural(everything, "stance") if len(drawn) == everything else f"{len(drawn)} of {everything} stances"
    )
    title = f"What changed, {start.isoformat()} to {end.isoformat()}: {count}"
    subtitle = (
        f"{wording.plural(n_actors, 'actor')} on {wording.plural(n_issues, 'issue')}: {changes.summary(found.counts)}"
    )
    if len(drawn) < everything:
        subtitle += " · moves drawn first, all listed on the page"
    subtitle += " · " + describe_selection(None, voices).removeprefix("All dates · ")
    behind = changes.positions_behind(found.rows, drawn)
    caption = Caption.for_rows(
        dataset, behind, title, subtitle, propositions(dataset, drawn["issue"].unique().tolist())
    )
    fig = issuecharts.change_arrows(drawn, dataset.scale, caption, start, end)
    return ChangesView(
        fig,
        caption,
        found.rows,
        selection=(start.isoformat(), end.isoformat(), *issues),
        found=found,
        table=changes.changes_table(found),
        drawn=len(drawn),
    )


def change_heading(row: Mapping[str, object], scale: Scale) -> str:
    """One change in words: ``Russia · Golden Dome: moved from +2 strongly supports to +1 supports``."""
    later = stance_text(stance_or_none(row["after_stance"]), scale)
    if row["change"] == "appeared" and pd.isna(row["before_order"]):
        move = f"appeared: {later}"
    else:
        earlier = stance_text(stance_or_none(row["before_stance"]), scale)
        move = f"{row['change']} from {earlier} to {later}"
    return f"{row['actor_name']} · {row['issue_title']}: {move}"


def change_cards(view: ChangesView, scale: Scale, limit: int | None = None) -> tuple[ChangeCard, ...]:
    """A card for each of the first ``limit`` changes of ``view`` (all for None), in its table's
    order: built for the cards a page shows, since 7,000 changes of a big dataset take a second.
    Made once per view, limit and scale (kept in ``view.cards_made``): a rerun that shows the
    same cards costs a lookup."""
    key = (limit, tuple(scale.labels.items()))
    cards = view.cards_made.get(key)
    if cards is None:
        cards = view.cards_made[key] = _cards(view, scale, limit)
    return cards


def _cards(view: ChangesView, scale: Scale, limit: int | None) -> tuple[ChangeCard, ...]:
    """:func:`change_cards`, made anew."""
    if view.found is None:
        return ()
    table = view.found.table if limit is None else view.found.table.head(limit)
    sides = {side: lineup.statements(changes.side_rows(table, side)) for side in ("before", "after")}
    return tuple(
        ChangeCard(change_heading(row, scale), None if pd.isna(row["before_order"]) else before, after)
        for row, before, after in zip(table.to_dict("records"), sides["before"], sides["after"], strict=True)
    )


# --- One issue, everyone -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StanceGroup:
    """The statements of the actors holding one stance: ``heading`` is our own words and numbers
    (safe to show as a heading), ``label`` the scale's words for it (data: plain text only)."""

    heading: str  # "Stance +2 · 9 actors", "Declined to state · 1 actor"
    label: str  # "strongly supports"
    statements: tuple[lineup.Statement, ...]


@dataclass(frozen=True)
class LineupView(NarrowView):
    """Where everyone stands on one issue, and their words grouped by stance."""

    proposition: str = ""
    groups: tuple[StanceGroup, ...] = ()  # low to high, declined last: as the chart's columns


def lineup_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    issue: str | None,
    fade_years: int = permalink.DEFAULT_FADE_YEARS,
) -> LineupView:
    """Every actor with a position on ``issue`` as of ``as_of``, placed on the scale, and the
    quotes grouped by stance (low to high, declined last). A stance stated more than
    ``fade_years`` before ``as_of`` is drawn pale (0: none), as on the Overview."""
    if frame.empty or issue is None:
        return LineupView(empty=NO_POSITIONS)
    if not voices:
        return LineupView(empty=NO_VOICE)
    issue_record = next((i for i in dataset.issues if i.id == issue), None)
    proposition = issue_record.question if issue_record is not None else ""
    rows = lineup.issue_lineup(frame, issue, as_of, voices)
    if rows.empty:
        message = "Nobody has a position on this issue dated on or before the as-of date for the selected voices."
        return LineupView(empty=message, proposition=proposition)
    title = f"{dataset.issue_titles().get(issue, issue)}: where everyone stands"
    subtitle = describe_selection(as_of, voices, latest_statement(rows))  # the columns count the actors
    caption = Caption.for_rows(dataset, rows, title, subtitle, propositions(dataset, (issue,)))
    fig = issuecharts.lineup_strip(rows, dataset.scale, caption, faded_before(as_of, fade_years))
    groups = tuple(
        StanceGroup(
            f"Stance {signed(stance)} · {count}" if stance is not None else f"Declined to state · {count}",
            dataset.scale.label(stance) if stance is not None else "",
            tuple(lineup.statements(held)),
        )
        for stance, held in lineup.stance_groups(rows, dataset.scale)
        for count in [wording.plural(len(held), "actor")]
    )
    return LineupView(fig, caption, rows, selection=(issue,), proposition=proposition, groups=groups)


# --- both at their defaults (python -m stances export) ---------------------------------------------------


def default_charts(
    dataset: Dataset, as_of: dt.date, voices: Sequence[str], frame: pd.DataFrame | None = None
) -> list[DefaultChart]:
    """What changed at its defaults (a year up to the newest statement on or before ``as_of``) and
    One issue, everyone once per issue with positions as of ``as_of``. Empty states add nothing.

    As chartviews.default_charts, ``params`` are those the page's link names: the dates and the
    issue, which the data chose.
    ``frame``: the dataset's positions frame, when the caller has it already.
    """
    frame = analysis.positions_frame(dataset) if frame is None else frame
    voices = tuple(voices)
    if frame.empty or not voices:
        return []
    out: list[DefaultChart] = []
    add = partial(add_default, out)

    window = pickers.changes_choices(dataset, frame, as_of, voices)
    start, end = window.default_start, window.default_end
    dates = {"from": [start.isoformat()] if start else [], "to": [end.isoformat()] if end else []}
    add("changes", changes_view(dataset, frame, voices, start, end, ()), **dates)
    for issue in analysis.issues_with_positions(analysis.latest_stances(frame, as_of, voices)):
        add("lineup", lineup_view(dataset, frame, as_of, voices, issue), issue=[issue])
    return out
