"""What each chart page shows, as pure functions of the data and the page's selection.

A page reads its widgets, calls one ``*_choices`` function (the pickers' options and defaults)
and one ``*_view`` function (the figure, or the empty state that replaces it, and what is drawn
around it), then renders. ``python -m stances export`` calls the same functions, so an exported
chart is the page's chart by construction.

Every function takes ``(dataset, frame, ...)`` with hashable arguments only and returns a value
nobody modifies: the dashboard computes each once per file content and selection and shares the
result (ui.memo), so a click that does not change the view costs no analysis at 100,000 positions.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from stances import analysis, charts, tables, views
from stances.caption import Caption, describe_selection, fit_footer
from stances.model import Dataset, Scale

Voices = tuple[str, ...]
TIMELINE_DEFAULT_ACTORS = 6  # most active actors on the issue
# Overview rows by default: the actors with most stances beyond this. 40 rows keep 8 px names
# apart at 1200x675; 200 rows were an unreadable smear and 8,000 hover labels (2 MB) to redraw.
OVERVIEW_DEFAULT_ACTORS = 40
AGREEMENT_DEFAULT_ACTORS = 20  # actors with most stated stances
COMPARE_QUOTED_ISSUES = 10  # issues whose quotes Compare lists before asking (the chart has them all)
NO_POSITIONS = "The dataset has no positions yet: see Sources & method for how to add one."
NO_VOICE = "No voice is selected: tick at least one voice in the sidebar."


def labelled(ids: Iterable[str], names: dict[str, str]) -> dict[str, str]:
    """id -> "name (ID)" labels for a picker, in the given order (the id alone when it has no name)."""
    return {i: (f"{names.get(i, i)} ({i})" if names.get(i, i) != i else i) for i in ids}


@dataclass(frozen=True)
class Choices:
    """A page's pickers: options (id -> label) and the defaults of a first visit."""

    actors: dict[str, str] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)
    default_actors: tuple[str, ...] = ()
    default_issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartView:
    """A page's chart, or the empty state in its place, and the rows behind it.

    ``empty`` set and ``figure`` None: the page shows the message instead of a chart. ``notes``
    are empty states shown above a chart that is still drawn (Compare with one actor).
    ``figure`` is laid out for the 1200x675 image (downloads, ``stances export``); the page draws
    :attr:`shown`.
    """

    figure: go.Figure | None = None
    caption: Caption | None = None
    rows: pd.DataFrame | None = None
    empty: str = ""
    notes: tuple[str, ...] = ()
    selection: tuple[str, ...] = ()  # what the chart's file name is made of (views.export_filename)
    extra: dict = field(default_factory=dict)  # page-specific: missing issues, quotes, tables

    @functools.cached_property
    def shown(self) -> go.Figure | None:
        """The figure as the page draws it: its footer wrapped for the app's column (caption.APP_WIDTH),
        where one wrapped for 1200 px would be cut off. Made once per view (views are memoised)."""
        if self.figure is None or self.caption is None:
            return self.figure
        return fit_footer(self.figure, self.caption)


def _empty(message: str, *notes: str) -> ChartView:
    return ChartView(empty=message, notes=tuple(notes))


# --- Overview ------------------------------------------------------------------------------------


def overview_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> Choices:
    """Every actor and issue; by default the issues with positions and every actor with a stance
    as of ``as_of``, or the ``OVERVIEW_DEFAULT_ACTORS`` with most when there are more (dataset order)."""
    latest = analysis.latest_stances(frame, as_of, voices)
    present = analysis.actors_with_positions(latest)
    if len(present) > OVERVIEW_DEFAULT_ACTORS:
        most = set(analysis.default_actors(latest, OVERVIEW_DEFAULT_ACTORS))
        present = [a for a in present if a in most]
    return Choices(
        actors=labelled(views.actor_ids(dataset, frame), dataset.actor_names()),
        issues=labelled(views.issue_ids(dataset, frame), dataset.issue_titles()),
        default_actors=tuple(present),
        default_issues=tuple(analysis.issues_with_positions(frame)),
    )


def overview_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    issues: tuple[str, ...],
    actors: tuple[str, ...],
) -> ChartView:
    """The chosen actors' latest stances on the chosen issues as of ``as_of``: the stance heatmap.

    Rows are the chosen actors with a stance on these issues, in the dataset's order;
    ``extra["missing"]`` and ``extra["silent"]`` name the chosen issues and actors left out.
    """
    if frame.empty:
        return _empty(NO_POSITIONS)
    if not voices:
        return _empty(NO_VOICE)
    if not issues:
        return _empty("No issue is selected: choose at least one issue above.")
    latest = analysis.latest_stances(frame, as_of, voices)
    latest = latest[latest["issue"].isin(issues)]
    if latest.empty:
        return _empty("No position on these issues is dated on or before the as-of date for the selected voices.")
    if not actors:
        return _empty("No actor is selected: choose at least one actor above.")
    latest = latest[latest["actor"].isin(actors)]
    if latest.empty:
        return _empty(
            "None of the chosen actors has a position on these issues dated on or before the as-of date "
            "for the selected voices."
        )
    shown = analysis.actors_with_positions(latest)
    title = f"Stated positions of {views.plural(len(shown), 'actor')} on {views.plural(len(issues), 'issue')}"
    caption = Caption.for_rows(dataset, latest, title, describe_selection(as_of, voices))
    titles = dataset.issue_titles()
    fig = charts.stance_heatmap(latest, dataset.scale, caption, shown, issues, issue_titles=titles)
    present, speaking = set(latest["issue"]), set(shown)
    missing = tuple(i for i in issues if i not in present)
    silent = tuple(a for a in actors if a not in speaking)
    return ChartView(fig, caption, latest, selection=issues, extra={"missing": missing, "silent": silent})


# --- Compare -------------------------------------------------------------------------------------


def compare_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every actor and issue; by default the two actors with most positions in these voices."""
    voiced = analysis.filter_voices(frame, voices)
    return Choices(
        actors=labelled(views.actor_ids(dataset, frame), dataset.actor_names()),
        issues=labelled(views.issue_ids(dataset, frame), dataset.issue_titles()),
        default_actors=tuple(analysis.default_actors(voiced, 2)),
    )


@dataclass(frozen=True)
class Said:
    """One quote under the Compare chart, as plain values."""

    stance: int | None
    quote: str
    language: str | None
    translation: str
    speaker: str
    role: str
    date: str
    voice: str
    source_url: str | None
    source_publisher: str
    joint_with: str | None = None

    def text(self, scale: Scale) -> str:
        """What the page shows of it, one item a line: stance, the quote with its language tag,
        a published translation, then who said it, when and in which voice (plain text)."""
        lines = [charts.stance_text(self.stance, scale), f"“{self.quote}” {views.language_tag(self.language)}"]
        if self.translation:
            lines.append(f"Published translation: “{self.translation}”")
        lines.append(f"{self.speaker}, {self.role} · {self.date} · {self.voice}")
        if self.joint_with:
            lines.append(f"Joint statement with {self.joint_with}")
        return "\n".join(lines)


def _optional(value: object) -> str | None:
    """Text, or None for a missing value (None, NaN or <NA>, whatever the frame's text dtype)."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _said(rows: pd.DataFrame) -> dict[tuple[str, str], list[Said]]:
    """(issue, actor) -> the positions shown for it, in the rows' order."""
    said: dict[tuple[str, str], list[Said]] = {}
    columns = ["issue", "actor", "stance", "quote", "language", "translation", "speaker", "role", "date", "voice"]
    columns += ["source_url", "source_publisher", "joint_with"]
    for record in rows.loc[:, columns].to_dict("records"):
        stance = record["stance"]
        said.setdefault((record["issue"], record["actor"]), []).append(
            Said(
                stance=None if pd.isna(stance) else int(stance),
                quote=str(record["quote"]),
                language=_optional(record["language"]),
                translation=_optional(record["translation"]) or "",
                speaker=str(record["speaker"]),
                role=str(record["role"]),
                date=str(record["date"]),
                voice=str(record["voice"]),
                source_url=_optional(record["source_url"]),
                source_publisher=str(record["source_publisher"]),
                joint_with=_optional(record["joint_with"]),
            )
        )
    return said


def compare_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    actors: tuple[str, ...],
    issues: tuple[str, ...],
) -> ChartView:
    """Two to four actors side by side on the chosen issues (all with positions when none is chosen).

    ``extra``: ``issues`` shown, in order, and ``said``: (issue, actor) -> the quotes.
    """
    if frame.empty:
        return _empty(NO_POSITIONS)
    notes = []
    if len(analysis.actors_with_positions(frame)) < 2:
        notes.append("The dataset has positions from only one actor so far: a comparison needs at least two.")
    if not actors:
        return _empty("No actor is selected: choose two to four actors above.", *notes)
    if len(actors) == 1:
        notes.append("Choose a second actor to compare with.")
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["actor"].isin(actors) & (latest["issue"].isin(issues) if issues else True)]
    if rows.empty:
        message = "None of these actors has a position dated on or before the as-of date for the selected voices."
        return _empty(message, *notes)
    shown = tuple(issues or analysis.issues_with_positions(rows))
    names = dataset.actor_names()
    title = " vs ".join(names.get(a, a) for a in actors) + ": stated positions"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(as_of, voices))
    fig = charts.compare_bars(rows, actors, shown, dataset.scale, caption)
    extra = {"issues": shown, "said": _said(rows)}
    return ChartView(fig, caption, rows, notes=tuple(notes), selection=actors, extra=extra)


# --- Timeline ------------------------------------------------------------------------------------


def timeline_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every issue; by default the one with most positions in these voices."""
    issues = labelled(views.issue_ids(dataset, frame), dataset.issue_titles())
    busiest = analysis.issues_with_positions(analysis.filter_voices(frame, voices)) or list(issues)
    return Choices(issues=issues, default_issues=tuple(busiest[:1]))


def timeline_actor_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices, issue: str | None) -> Choices:
    """The actors with positions on ``issue`` in these voices; by default the six most active."""
    voiced = analysis.filter_voices(frame, voices)
    on_issue = voiced[voiced["issue"] == issue]
    return Choices(
        actors=labelled(analysis.actors_with_positions(on_issue), dataset.actor_names()),
        default_actors=tuple(analysis.default_actors(on_issue, TIMELINE_DEFAULT_ACTORS)),
    )


def timeline_view(
    dataset: Dataset, frame: pd.DataFrame, voices: Voices, issue: str | None, actors: tuple[str, ...]
) -> ChartView:
    """How each chosen actor's stance on ``issue`` changed, every statement a marker."""
    if frame.empty or issue is None:
        return _empty(NO_POSITIONS)
    if not voices:
        return _empty(NO_VOICE)
    voiced = analysis.filter_voices(frame, voices)
    if voiced[voiced["issue"] == issue].empty:
        return _empty("Nobody has a recorded position on this issue for the selected voices yet.")
    if not actors:
        return _empty("No actor is selected: choose at least one actor above.")
    rows = analysis.timeline(frame, issue, actors, voices)
    title = f"{dataset.issue_titles().get(issue, issue)}: stated stances over time"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(None, voices))
    fig = charts.timeline_chart(rows, dataset.scale, caption)
    return ChartView(fig, caption, rows, selection=(issue, *actors))


# --- Map -----------------------------------------------------------------------------------------


def map_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every issue; by default the one with most positions in these voices."""
    return timeline_choices(dataset, frame, voices)


def map_view(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices, issue: str | None) -> ChartView:
    """Countries coloured by their latest stance on ``issue``; ``extra["blocs"]``: the blocs' table."""
    if frame.empty or issue is None:
        return _empty(NO_POSITIONS)
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["issue"] == issue]
    if rows.empty:
        return _empty("Nobody has a position on this issue dated on or before the as-of date for the selected voices.")
    title = f"{dataset.issue_titles().get(issue, issue)}: where countries stand"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(as_of, voices))
    fig = charts.stance_map(rows, dataset.scale, caption, topojson_url=views.TOPOJSON_URL)
    blocs = rows[rows["actor_kind"] == "bloc"]
    members = {a.id: ", ".join(a.members or []) for a in dataset.actors}
    table = pd.DataFrame(
        {
            "bloc": blocs["actor_name"],
            "stance": blocs["stance"],
            "meaning": blocs["stance_label"],
            "date": blocs["date"],
            "speaker": blocs["speaker"],
            "members": blocs["actor"].map(members),
        }
    )
    counts = (
        f"{views.plural(len(rows) - len(blocs), 'country')} with a position on this issue, "
        f"{views.plural(len(blocs), 'bloc')}."
    )
    return ChartView(fig, caption, rows, selection=(issue,), extra={"blocs": table, "counts": counts})


# --- Agreement -----------------------------------------------------------------------------------


def agreement_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> Choices:
    """Every actor; by default the twenty with most stated stances as of ``as_of``."""
    latest = analysis.latest_stances(frame, as_of, voices)
    return Choices(
        actors=labelled(views.actor_ids(dataset, frame), dataset.actor_names()),
        default_actors=tuple(analysis.default_actors(latest[latest["stance"].notna()], AGREEMENT_DEFAULT_ACTORS)),
    )


def agreement_view(
    dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices, actors: tuple[str, ...]
) -> ChartView:
    """How closely each pair of actors' latest stances match; ``extra["pairs"]``: the pairs' table."""
    if frame.empty:
        return _empty(NO_POSITIONS)
    if len(analysis.actors_with_positions(frame)) < 2:
        return _empty("The dataset has positions from only one actor so far: agreement needs at least two.")
    if len(actors) < 2:
        return _empty("Choose at least two actors.")
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["actor"].isin(actors)]
    if rows["stance"].notna().sum() == 0:
        return _empty("None of these actors has a stated stance up to the as-of date for the selected voices.")
    pairs = analysis.agreement(rows, dataset.scale.span, actors)
    title = f"Agreement between {views.plural(len(actors), 'actor')} on stated stances"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(as_of, voices))
    fig = charts.agreement_heatmap(pairs, caption)
    unique = pairs[(pairs["actor_a"] < pairs["actor_b"]) & (pairs["shared"] > 0)]
    table = unique.sort_values(["agreement", "shared"], ascending=[False, False])
    table = table[["actor_a_name", "actor_b_name", "agreement", "shared"]].rename(
        columns={"actor_a_name": "actor", "actor_b_name": "other actor", "shared": "shared issues"}
    )
    some_unknown = len(unique) < len(actors) * (len(actors) - 1) // 2
    return ChartView(fig, caption, rows, selection=actors, extra={"pairs": table, "some_unknown": some_unknown})


# --- Quotes --------------------------------------------------------------------------------------


def quotes_choices(dataset: Dataset, frame: pd.DataFrame) -> Choices:
    """Actors and issues with positions (the speakers come from :func:`speakers`)."""
    return Choices(
        actors=labelled(analysis.actors_with_positions(frame), dataset.actor_names()),
        issues=labelled(analysis.issues_with_positions(frame), dataset.issue_titles()),
    )


def speakers(dataset: Dataset, frame: pd.DataFrame) -> tuple[str, ...]:
    """Every speaker once, in accent-insensitive alphabetical order."""
    return tuple(sorted(frame["speaker"].dropna().unique().tolist(), key=analysis.fold))


@dataclass(frozen=True)
class QuotesView:
    """The positions matching the Quotes page's search and filters, and the newest of them to show."""

    rows: pd.DataFrame  # every match (the CSV download)
    table: pd.DataFrame  # the table of the newest ``shown_max`` matches (quotes_table), newest first


def quotes_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The quotes table of ``rows`` as shown and downloaded (newest first, language tags)."""
    table = tables.quotes_table(rows)
    table["language"] = table["language"].map(views.language_tag)
    return table


def quotes_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    query: str,
    actors: tuple[str, ...],
    issues: tuple[str, ...],
    voices: Voices,
    speakers: tuple[str, ...],
    date_from: dt.date | None,
    date_to: dt.date | None,
    shown_max: int,
) -> QuotesView:
    """analysis.search_quotes with the page's filters (an empty tuple: no filter)."""
    rows = analysis.search_quotes(
        frame, query, actors or None, issues or None, voices, speakers or None, date_from, date_to
    )
    if len(rows) > shown_max:
        # quotes_table sorts newest first (stable), so these are its first rows; sorting the date
        # column alone, then taking those rows, moves one column instead of all
        dates = rows["date_start"].reset_index(drop=True).sort_values(ascending=False, kind="stable")
        return QuotesView(rows, quotes_table(rows.iloc[dates.index[:shown_max]]))
    return QuotesView(rows, quotes_table(rows))


# --- Sources & method ----------------------------------------------------------------------------


def sources_table(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Every source with its http(s) link and the positions that rest on it, in the file's order.

    A joint statement is one position, listed once with all its signatories.
    """
    resting: dict[str, list[str]] = {}
    if not frame.empty:
        once = frame.drop_duplicates("order")  # a joint statement's rows share its order
        names = dataset.actor_names()
        for position, title in zip(once["order"].tolist(), once["issue_title"].tolist(), strict=True):
            record = dataset.positions[position]
            who = " and ".join(names.get(a, a) for a in record.signatories)
            resting.setdefault(record.source, []).append(f"{who}, {title} ({record.date})")
    sources = dataset.sources
    return pd.DataFrame(
        {
            "publisher": [s.publisher for s in sources],
            "title": [s.title for s in sources],
            "date": [s.date for s in sources],
            "author": [s.author for s in sources],
            "link": [tables.http_link(s.url) for s in sources],
            "positions": [len(resting.get(s.id, [])) for s in sources],
            "positions resting on it": ["; ".join(resting.get(s.id, [])) for s in sources],
            "id": [s.id for s in sources],
            "note": [s.note for s in sources],
        }
    )


def issues_table(dataset: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """Every issue with its proposition and how many actors and positions it has, in file order."""
    counts = frame.groupby("issue").agg(actors=("actor", "nunique"), positions=("order", "nunique"))
    issues = dataset.issues
    return pd.DataFrame(
        {
            "issue": [i.title for i in issues],
            "proposition (a stance of 2 strongly supports it)": [i.question for i in issues],
            "actors": [int(counts["actors"].get(i.id, 0)) if not counts.empty else 0 for i in issues],
            "positions": [int(counts["positions"].get(i.id, 0)) if not counts.empty else 0 for i in issues],
            "background": [i.description for i in issues],
            "id": [i.id for i in issues],
        }
    )


# --- every chart at its defaults (python -m stances export) ------------------------------------------


@dataclass(frozen=True)
class DefaultChart:
    """One page's chart at the page's defaults: the view and the URL parameters that restore it."""

    page: str
    view: ChartView
    params: dict[str, tuple[str, ...]]


def default_charts(dataset: Dataset, as_of: dt.date, voices: Sequence[str]) -> list[DefaultChart]:
    """Every chart the pages draw at their defaults: Overview, Compare and Agreement once, Timeline
    and Map once per issue with positions. A page that would show an empty state adds nothing."""
    frame = analysis.positions_frame(dataset)
    voices = tuple(voices)
    if frame.empty or not voices:
        return []
    out: list[DefaultChart] = []

    def add(page: str, view: ChartView, **params: Iterable[str]) -> None:
        if view.figure is not None:
            out.append(DefaultChart(page, view, {k: tuple(v) for k, v in params.items() if v}))

    overview = overview_choices(dataset, frame, as_of, voices)
    issues, actors = overview.default_issues, overview.default_actors
    add("overview", overview_view(dataset, frame, as_of, voices, issues, actors), issues=issues, actors=actors)
    actors = compare_choices(dataset, frame, voices).default_actors
    add("compare", compare_view(dataset, frame, as_of, voices, actors, ()), actors=actors)
    voiced = analysis.filter_voices(frame, voices)
    for issue in analysis.issues_with_positions(voiced):
        actors = timeline_actor_choices(dataset, frame, voices, issue).default_actors
        add("timeline", timeline_view(dataset, frame, voices, issue, actors), issue=[issue], actors=actors)
    for issue in analysis.issues_with_positions(analysis.latest_stances(frame, as_of, voices)):
        add("map", map_view(dataset, frame, as_of, voices, issue), issue=[issue])
    actors = agreement_choices(dataset, frame, as_of, voices).default_actors
    add("agreement", agreement_view(dataset, frame, as_of, voices, actors), actors=actors)
    return out
