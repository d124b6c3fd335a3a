"""What each chart page shows, as pure functions of the data and the page's selection.

A page reads its widgets, calls one ``stances.pickers`` function (the pickers' options and
defaults) and one ``*_view`` function here (the figure, or the empty state that replaces it, and
what is drawn around it), then renders. ``python -m stances export`` calls the same functions, so
an exported chart is the page's chart by construction.

Every function takes ``(dataset, frame, ...)`` with hashable arguments only and returns a value
nobody modifies: the dashboard computes each once per file content and selection and shares the
result (ui.memo), so a click that does not change the view costs no analysis at 100,000 positions.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go

from stances import analysis, chartparts, charts, pickers, wording, worldmap
from stances.caption import Caption, describe_selection, fit_footer
from stances.model import Dataset, Scale
from stances.pickers import Voices

COMPARE_QUOTED_ISSUES = 10  # issues whose quotes Compare lists before asking (the chart has them all)
NO_POSITIONS = "The dataset has no positions yet: see Sources & method for how to add one."
NO_VOICE = "No voice is selected: tick at least one voice in the sidebar."


@dataclass(frozen=True)
class ChartView:
    """A page's chart, or the empty state in its place, and the rows behind it.

    ``empty`` set and ``figure`` None: the page shows the message instead of a chart. ``notes``
    are empty states shown above a chart that is still drawn (Compare with one actor).
    ``figure`` is laid out for the 1200x675 image (downloads, ``stances export``); the page draws
    :attr:`shown`. A page with more to show than its chart has its own subclass below.
    """

    figure: go.Figure | None = None
    caption: Caption | None = None
    rows: pd.DataFrame | None = None
    empty: str = ""
    notes: tuple[str, ...] = ()
    selection: tuple[str, ...] = ()  # what the chart's file name is made of (filenames.export_filename)

    @functools.cached_property
    def shown(self) -> go.Figure | None:
        """The figure as the page draws it: its footer wrapped for the app's column (caption.APP_WIDTH),
        where one wrapped for 1200 px would be cut off. Made once per view (views are memoised)."""
        if self.figure is None or self.caption is None:
            return self.figure
        return fit_footer(self.figure, self.caption)


View = TypeVar("View", bound=ChartView)


def _empty(kind: type[View], message: str, *notes: str) -> View:
    return kind(empty=message, notes=tuple(notes))


# --- Overview ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewView(ChartView):
    """The Overview's heatmap, and the chosen issues and actors it leaves out for want of a position."""

    missing: tuple[str, ...] = ()  # chosen issues without a position up to the as-of date
    silent: tuple[str, ...] = ()  # chosen actors without a position on these issues


def overview_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    issues: tuple[str, ...],
    actors: tuple[str, ...],
) -> OverviewView:
    """The chosen actors' latest stances on the chosen issues as of ``as_of``: the stance heatmap.

    Rows are the chosen actors with a stance on these issues, in the dataset's order;
    ``missing`` and ``silent`` name the chosen issues and actors left out.
    """
    if frame.empty:
        return _empty(OverviewView, NO_POSITIONS)
    if not voices:
        return _empty(OverviewView, NO_VOICE)
    if not issues:
        return _empty(OverviewView, "No issue is selected: choose at least one issue above.")
    latest = analysis.latest_stances(frame, as_of, voices)
    latest = latest[latest["issue"].isin(issues)]
    if latest.empty:
        return _empty(
            OverviewView,
            "No position on these issues is dated on or before the as-of date for the selected voices.",
        )
    if not actors:
        return _empty(OverviewView, "No actor is selected: choose at least one actor above.")
    latest = latest[latest["actor"].isin(actors)]
    if latest.empty:
        return _empty(
            OverviewView,
            "None of the chosen actors has a position on these issues dated on or before the as-of date "
            "for the selected voices.",
        )
    shown = analysis.actors_with_positions(latest)
    title = f"Stated positions of {wording.plural(len(shown), 'actor')} on {wording.plural(len(issues), 'issue')}"
    caption = Caption.for_rows(dataset, latest, title, describe_selection(as_of, voices))
    titles = dataset.issue_titles()
    fig = charts.stance_heatmap(latest, dataset.scale, caption, shown, issues, issue_titles=titles)
    present, speaking = set(latest["issue"]), set(shown)
    missing = tuple(i for i in issues if i not in present)
    silent = tuple(a for a in actors if a not in speaking)
    return OverviewView(fig, caption, latest, selection=issues, missing=missing, silent=silent)


# --- Compare -------------------------------------------------------------------------------------


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
        lines = [chartparts.stance_text(self.stance, scale), f"“{self.quote}” {wording.language_tag(self.language)}"]
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


@dataclass(frozen=True)
class CompareView(ChartView):
    """Compare's bars, and the quotes listed under them issue by issue."""

    issues: tuple[str, ...] = ()  # the issues in the chart, in its order
    said: Mapping[tuple[str, str], list[Said]] = field(default_factory=dict)  # (issue, actor) -> quotes


def compare_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    actors: tuple[str, ...],
    issues: tuple[str, ...],
) -> CompareView:
    """Two to four actors side by side on the chosen issues (all with positions when none is chosen),
    with the ``issues`` shown, in order, and what each actor ``said`` on each."""
    if frame.empty:
        return _empty(CompareView, NO_POSITIONS)
    notes = []
    if len(analysis.actors_with_positions(frame)) < 2:
        notes.append("The dataset has positions from only one actor so far: a comparison needs at least two.")
    if not actors:
        return _empty(CompareView, "No actor is selected: choose two to four actors above.", *notes)
    if len(actors) == 1:
        notes.append("Choose a second actor to compare with.")
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["actor"].isin(actors) & (latest["issue"].isin(issues) if issues else True)]
    if rows.empty:
        message = "None of these actors has a position dated on or before the as-of date for the selected voices."
        return _empty(CompareView, message, *notes)
    shown = tuple(issues or analysis.issues_with_positions(rows))
    names = dataset.actor_names()
    title = " vs ".join(names.get(a, a) for a in actors) + ": stated positions"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(as_of, voices))
    fig = charts.compare_bars(rows, actors, shown, dataset.scale, caption)
    return CompareView(fig, caption, rows, notes=tuple(notes), selection=actors, issues=shown, said=_said(rows))


# --- Timeline ------------------------------------------------------------------------------------


def timeline_view(
    dataset: Dataset, frame: pd.DataFrame, voices: Voices, issue: str | None, actors: tuple[str, ...]
) -> ChartView:
    """How each chosen actor's stance on ``issue`` changed, every statement a marker."""
    if frame.empty or issue is None:
        return _empty(ChartView, NO_POSITIONS)
    if not voices:
        return _empty(ChartView, NO_VOICE)
    voiced = analysis.filter_voices(frame, voices)
    if voiced[voiced["issue"] == issue].empty:
        return _empty(ChartView, "Nobody has a recorded position on this issue for the selected voices yet.")
    if not actors:
        return _empty(ChartView, "No actor is selected: choose at least one actor above.")
    rows = analysis.timeline(frame, issue, actors, voices)
    title = f"{dataset.issue_titles().get(issue, issue)}: stated stances over time"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(None, voices))
    fig = charts.timeline_chart(rows, dataset.scale, caption)
    return ChartView(fig, caption, rows, selection=(issue, *actors))


# --- Map -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapView(ChartView):
    """The world map, the table of the blocs it cannot draw, and how many of each it shows."""

    blocs: pd.DataFrame = field(default_factory=pd.DataFrame)  # bloc, stance, meaning, date, speaker, members
    counts: str = ""  # "3 countries with a position on this issue, 1 bloc."


def map_view(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices, issue: str | None) -> MapView:
    """Countries coloured by their latest stance on ``issue``, with the ``blocs``' table."""
    if frame.empty or issue is None:
        return _empty(MapView, NO_POSITIONS)
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["issue"] == issue]
    if rows.empty:
        return _empty(
            MapView, "Nobody has a position on this issue dated on or before the as-of date for the selected voices."
        )
    title = f"{dataset.issue_titles().get(issue, issue)}: where countries stand"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(as_of, voices))
    fig = worldmap.stance_map(rows, dataset.scale, caption, topojson_url=worldmap.TOPOJSON_URL)
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
        f"{wording.plural(len(rows) - len(blocs), 'country', 'countries')} with a position on this issue, "
        f"{wording.plural(len(blocs), 'bloc')}."
    )
    return MapView(fig, caption, rows, selection=(issue,), blocs=table, counts=counts)


# --- Agreement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementView(ChartView):
    """The agreement matrix, and its pairs as a table, most aligned first."""

    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)  # actor, other actor, agreement, shared issues
    some_unknown: bool = False  # some pairs share no issue: they are left out of ``pairs``


def agreement_view(
    dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices, actors: tuple[str, ...]
) -> AgreementView:
    """How closely each pair of actors' latest stances match, with the ``pairs``' table."""
    if frame.empty:
        return _empty(AgreementView, NO_POSITIONS)
    if len(analysis.actors_with_positions(frame)) < 2:
        return _empty(
            AgreementView, "The dataset has positions from only one actor so far: agreement needs at least two."
        )
    if len(actors) < 2:
        return _empty(AgreementView, "Choose at least two actors.")
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["actor"].isin(actors)]
    if rows["stance"].notna().sum() == 0:
        return _empty(
            AgreementView, "None of these actors has a stated stance up to the as-of date for the selected voices."
        )
    pairs = analysis.agreement(rows, dataset.scale.span, actors)
    title = f"Agreement between {wording.plural(len(actors), 'actor')} on stated stances"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(as_of, voices))
    fig = charts.agreement_heatmap(pairs, caption)
    unique = pairs[(pairs["actor_a"] < pairs["actor_b"]) & (pairs["shared"] > 0)]
    table = unique.sort_values(["agreement", "shared"], ascending=[False, False])
    table = table[["actor_a_name", "actor_b_name", "agreement", "shared"]].rename(
        columns={"actor_a_name": "actor", "actor_b_name": "other actor", "shared": "shared issues"}
    )
    some_unknown = len(unique) < len(actors) * (len(actors) - 1) // 2
    return AgreementView(fig, caption, rows, selection=actors, pairs=table, some_unknown=some_unknown)


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

    overview = pickers.overview_choices(dataset, frame, as_of, voices)
    issues, actors = overview.default_issues, overview.default_actors
    add("overview", overview_view(dataset, frame, as_of, voices, issues, actors), issues=issues, actors=actors)
    actors = pickers.compare_choices(dataset, frame, voices).default_actors
    add("compare", compare_view(dataset, frame, as_of, voices, actors, ()), actors=actors)
    voiced = analysis.filter_voices(frame, voices)
    for issue in analysis.issues_with_positions(voiced):
        actors = pickers.timeline_actor_choices(dataset, frame, voices, issue).default_actors
        add("timeline", timeline_view(dataset, frame, voices, issue, actors), issue=[issue], actors=actors)
    for issue in analysis.issues_with_positions(analysis.latest_stances(frame, as_of, voices)):
        add("map", map_view(dataset, frame, as_of, voices, issue), issue=[issue])
    actors = pickers.agreement_choices(dataset, frame, as_of, voices).default_actors
    add("agreement", agreement_view(dataset, frame, as_of, voices, actors), actors=actors)
    return out
