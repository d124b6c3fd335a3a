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
from functools import partial
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go

from stances import agreement, analysis, chartparts, charts, permalink, pickers, sharing, wording, worldmap
from stances.caption import (
    NARROW_WIDTH,
    WIDTH,
    Caption,
    describe_selection,
    fit_footer,
    latest_statement,
    proposition_text,
    with_link,
)
from stances.model import Dataset, Scale
from stances.pickers import Voices

COMPARE_QUOTED_ISSUES = 6  # issues whose quotes Compare lists before asking (the chart has them all)
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
        """The figure as the page draws it: its footer wrapped for the app's column (caption.NARROW_WIDTH),
        where one wrapped for 1200 px would be cut off. Made once per view (views are memoised)."""
        if self.figure is None or self.caption is None:
            return self.figure
        return fit_footer(self.figure, self.caption)

    @functools.cached_property
    def encoded(self) -> go.Figure | None:
        """:attr:`shown` with its dict and JSON made once (chartparts.EncodedFigure): what the page
        hands st.plotly_chart, which would otherwise copy and encode the figure on every rerun."""
        shown = self.shown
        return None if shown is None else chartparts.EncodedFigure(shown)

    def linked(self, link: str) -> go.Figure | None:
        """The figure for an image that leaves the app: the 1200x675 one with ``link``, the view's
        public address, at the end of its footer (caption.with_link); as it is for an empty ``link``."""
        if self.figure is None or self.caption is None:
            return self.figure
        return with_link(self.figure, self.caption, link)


View = TypeVar("View", bound=ChartView)


def _empty(kind: type[View], message: str, *notes: str) -> View:
    return kind(empty=message, notes=tuple(notes))


def propositions(dataset: Dataset, issues: Sequence[str]) -> str:
    """What the stances on ``issues`` are about, for the lines under a chart's title
    (caption.proposition_text: the proposition of one issue, of a few, or a pointer to them)."""
    by_id = {i.id: i for i in dataset.issues}
    return proposition_text([(by_id[i].title, by_id[i].question) for i in issues if i in by_id])


# --- Overview ------------------------------------------------------------------------------------


NAMED_LEFT_OUT = 12  # names a sentence lists before counting the rest


@dataclass(frozen=True)
class OverviewView(ChartView):
    """The Overview's heatmap, and the chosen issues and actors it leaves out for want of a position."""

    missing: tuple[str, ...] = ()  # chosen issues without a position up to the as-of date
    silent: tuple[str, ...] = ()  # chosen actors without a position on these issues
    left_out: tuple[str, ...] = ()  # sentences naming both (plain text: data, never Markdown)
    screen: go.Figure | None = None  # the heatmap with its text sized for the app's narrowest column

    @functools.cached_property
    def shown(self) -> go.Figure | None:
        """The heatmap as the page draws it: cell text and issue titles sized for a 1024 px window
        (caption.NARROW_WIDTH), where the image's (for 1200 px) would overlap, and its footer fitted."""
        if self.screen is None or self.caption is None:
            return super().shown
        return fit_footer(self.screen, self.caption)


def faded_before(as_of: dt.date, fade_years: int) -> dt.date | None:
    """The day before which a stance is drawn faded: ``fade_years`` before ``as_of`` (29 February
    gives the 28th); None when ``fade_years`` is 0 (never fade)."""
    if fade_years <= 0:
        return None
    year = as_of.year - fade_years
    return as_of.replace(year=year, day=28) if (as_of.month, as_of.day) == (2, 29) else as_of.replace(year=year)


def _named(names: Sequence[str]) -> str:
    """``A, B and C``; beyond NAMED_LEFT_OUT, ``A, B, ... and 4 more``."""
    shown = list(names[:NAMED_LEFT_OUT])
    if len(names) > len(shown):
        return ", ".join(shown) + f" and {len(names) - len(shown)} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _left_out(dataset: Dataset, missing: Sequence[str], silent: Sequence[str]) -> tuple[str, ...]:
    """What the Overview's chart leaves out, by name: one sentence for the issues, one for the actors."""
    titles, names = dataset.issue_titles(), dataset.actor_names()
    out = []
    if missing:
        what = "issue has" if len(missing) == 1 else "issues have"
        out.append(
            f"Not in the chart: {len(missing)} chosen {what} no position up to this date for these voices: "
            f"{_named([titles.get(i, i) for i in missing])}."
        )
    if silent:
        what = "actor has" if len(silent) == 1 else "actors have"
        out.append(
            f"Not in the chart: {len(silent)} chosen {what} no position on these issues up to this date: "
            f"{_named([names.get(a, a) for a in silent])}."
        )
    return tuple(out)


def overview_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    issues: tuple[str, ...],
    actors: tuple[str, ...],
    fade_years: int = permalink.DEFAULT_FADE_YEARS,
) -> OverviewView:
    """The chosen actors' latest stances on the chosen issues as of ``as_of``: the stance heatmap.

    Rows are the chosen actors with a stance on these issues, columns the chosen issues with
    one, both in the dataset's order (the title counts what is drawn); ``missing`` and
    ``silent`` are the chosen issues and actors left out, ``left_out`` names them. Stances
    stated more than ``fade_years`` before ``as_of`` are drawn faded (0: none).
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
    present, speaking = set(latest["issue"]), set(shown)
    drawn = [i for i in issues if i in present]  # an issue without a position would be an empty column
    missing = tuple(i for i in issues if i not in present)
    silent = tuple(a for a in actors if a not in speaking)
    title = f"Stated positions of {wording.plural(len(shown), 'actor')} on {wording.plural(len(drawn), 'issue')}"
    subtitle = describe_selection(as_of, voices, latest_statement(latest))
    caption = Caption.for_rows(dataset, latest, title, subtitle)
    chosen = (latest, dataset.scale, caption, shown, drawn, dataset.issue_titles(), faded_before(as_of, fade_years))
    fig = charts.stance_heatmap(*chosen, fit_width=WIDTH)
    screen = charts.stance_heatmap(*chosen, fit_width=NARROW_WIDTH, two_lines=True)
    left_out = _left_out(dataset, missing, silent)
    return OverviewView(
        fig, caption, latest, selection=issues, missing=missing, silent=silent, left_out=left_out, screen=screen
    )


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
    subtitle = describe_selection(as_of, voices, latest_statement(rows))
    caption = Caption.for_rows(dataset, rows, title, subtitle, propositions(dataset, shown))
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
    caption = Caption.for_rows(dataset, rows, title, describe_selection(None, voices), propositions(dataset, (issue,)))
    fig = charts.timeline_chart(rows, dataset.scale, caption)
    return ChartView(fig, caption, rows, selection=(issue, *actors))


# --- Map -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapView(ChartView):
    """The world map, the table of the blocs it cannot draw, and how many of each it shows."""

    blocs: pd.DataFrame = field(default_factory=pd.DataFrame)  # bloc, stance, meaning, date, speaker, members
    counts: str = ""  # "3 countries with a position on this issue, 1 bloc."
    region: str = worldmap.WORLD.id  # the part of the world drawn (worldmap.REGIONS)


def map_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    issue: str | None,
    region: str | None = None,
    fade_years: int = permalink.DEFAULT_FADE_YEARS,
) -> MapView:
    """Countries coloured by their latest stance on ``issue``, with the ``blocs``' table; ``region``
    is the part of the world shown (None: the one that fits the issue's countries, worldmap.fitting_region).
    Stances stated more than ``fade_years`` before ``as_of`` are drawn pale (0: none)."""
    if frame.empty or issue is None:
        return _empty(MapView, NO_POSITIONS)
    latest = analysis.latest_stances(frame, as_of, voices)
    rows = latest[latest["issue"] == issue]
    if rows.empty:
        return _empty(
            MapView, "Nobody has a position on this issue dated on or before the as-of date for the selected voices."
        )
    title = f"{dataset.issue_titles().get(issue, issue)}: where countries stand"
    subtitle = describe_selection(as_of, voices, latest_statement(rows))
    caption = Caption.for_rows(dataset, rows, title, subtitle, propositions(dataset, (issue,)))
    old_before = faded_before(as_of, fade_years)
    fig = worldmap.stance_map(rows, dataset.scale, caption, region=region, old_before=old_before)
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
    drawn = fig.layout.meta["region"]
    selection = (issue,) if region is None else (issue, drawn)  # a chosen region names the file too
    return MapView(fig, caption, rows, selection=selection, blocs=table, counts=counts, region=drawn)


# --- Agreement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementView(ChartView):
    """The agreement matrix (one triangle, in an order that shows blocs) and its scored pairs as a
    table: most shared issues first, then most aligned (stances.agreement)."""

    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)  # actor, other actor, shared issues, agreement, issues
    too_few: int = 0  # pairs sharing some issues but fewer than ``min_shared``: not scored, not in ``pairs``
    unshared: int = 0  # pairs sharing no issue
    min_shared: int = agreement.MIN_SHARED_DEFAULT


def agreement_view(
    dataset: Dataset,
    frame: pd.DataFrame,
    as_of: dt.date,
    voices: Voices,
    actors: tuple[str, ...],
    min_shared: int = agreement.MIN_SHARED_DEFAULT,
) -> AgreementView:
    """How closely each pair of actors' latest stances match where they share at least
    ``min_shared`` issues, with the ``pairs``' table."""
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
    matrix = agreement.matrix(rows, dataset.scale.span, actors, min_shared)
    title = f"Agreement between {wording.plural(len(actors), 'actor')} on stated stances"
    selection = describe_selection(as_of, voices, latest_statement(rows))
    caption = Caption.for_rows(dataset, rows, title, agreement.subtitle(selection, min_shared))
    fig = agreement.agreement_chart(matrix, caption)
    pairs = agreement.pairs_table(matrix)
    too_few, unshared = agreement.unscored(matrix)
    notes = ()
    if pairs.empty:
        notes = (
            f"No two of these actors share {wording.plural(min_shared, 'issue')} or more, so no pair is scored: "
            "lower the minimum shared issues, or choose other actors.",
        )
    return AgreementView(
        fig,
        caption,
        rows,
        notes=notes,
        selection=actors,
        pairs=pairs,
        too_few=too_few,
        unshared=unshared,
        min_shared=min_shared,
    )


# --- every chart at its defaults (python -m stances export) ------------------------------------------


@dataclass(frozen=True)
class DefaultChart:
    """One page's chart at the page's defaults: the view and the page's URL parameters that differ
    from its defaults (with as-of, voices and revision, the link that restores it)."""

    page: str
    view: ChartView
    params: dict[str, tuple[str, ...]]


def add_default(out: list[DefaultChart], page: str, view: ChartView, **params: Iterable[str]) -> None:
    """Append ``page``'s chart to ``out`` unless the page shows an empty state. ``params`` are the
    page's choices at its defaults, each made by the data: of them, the link keeps those that the
    page's own link names (sharing.few_enough_to_pin)."""
    if view.figure is not None:
        values = {k: tuple(v) for k, v in params.items()}
        out.append(DefaultChart(page, view, {k: v for k, v in values.items() if sharing.few_enough_to_pin(v)}))


def default_charts(
    dataset: Dataset, as_of: dt.date, voices: Sequence[str], frame: pd.DataFrame | None = None
) -> list[DefaultChart]:
    """Every chart the pages draw at their defaults: Overview, Compare and Agreement once, Timeline
    and Map once per issue with positions. A page that would show an empty state adds nothing.

    Each chart's ``params`` are those its page's link would name: the issue, and the defaults the
    data chose that name few values (the pair, the Timeline's actors, the Map's region; see
    sharing.view_params), so that the link opens the same view after records are added.
    ``frame``: the dataset's positions frame, when the caller has it already.
    """
    frame = analysis.positions_frame(dataset) if frame is None else frame
    voices = tuple(voices)
    if frame.empty or not voices:
        return []
    out: list[DefaultChart] = []
    add = partial(add_default, out)

    overview = pickers.overview_choices(dataset, frame, as_of, voices)
    issues, actors = overview.default_issues, overview.default_actors
    add("overview", overview_view(dataset, frame, as_of, voices, issues, actors), issues=issues, actors=actors)
    actors = pickers.compare_choices(dataset, frame, as_of, voices).default_actors
    add("compare", compare_view(dataset, frame, as_of, voices, actors, ()), actors=actors)
    voiced = analysis.filter_voices(frame, voices)
    for issue in analysis.issues_with_positions(voiced):
        actors = pickers.timeline_actor_choices(dataset, frame, voices, issue).default_actors
        add("timeline", timeline_view(dataset, frame, voices, issue, actors), issue=[issue], actors=actors)
    for issue in analysis.issues_with_positions(analysis.latest_stances(frame, as_of, voices)):
        region = pickers.map_regions(dataset, frame, as_of, voices, issue).default
        add("map", map_view(dataset, frame, as_of, voices, issue), issue=[issue], region=[region])
    actors = pickers.agreement_choices(dataset, frame, as_of, voices).default_actors
    add("agreement", agreement_view(dataset, frame, as_of, voices, actors), actors=actors)
    return out
