"""What a page's pickers offer: the options (id -> label) and the defaults of a first visit.

A page reads its widgets with the ``*_choices`` function of its kind, then asks
``stances.chartviews`` or ``stances.tableviews`` for what to show. Every function takes
``(dataset, frame, ...)`` with hashable arguments only and returns a value nobody modifies: the
dashboard computes each once per file content and arguments and shares the result (ui.memo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from stances import agreement, analysis, changes, worldmap
from stances.agreement import MIN_SHARED_DEFAULT
from stances.model import Dataset

Voices = tuple[str, ...]  # the voices a page shows, hashable for ui.memo
# Timeline lines by default: every actor on the issue up to this many (one colour each, palette.ACTOR_COLOURS),
# else this many of the most active.
TIMELINE_DEFAULT_ACTORS = 8
# Overview rows by default: the actors with most stances beyond this. 40 rows keep 8 px names
# apart at 1200x675; 200 rows were an unreadable smear and 8,000 hover labels (2 MB) to redraw.
OVERVIEW_DEFAULT_ACTORS = 40
AGREEMENT_DEFAULT_ACTORS = 20  # actors with most stated stances (among those a score can include)


@dataclass(frozen=True)
class Choices:
    """A page's pickers: options (id -> label) and the defaults of a first visit."""

    actors: dict[str, str] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)
    default_actors: tuple[str, ...] = ()
    default_issues: tuple[str, ...] = ()


def labelled(ids: Iterable[str], names: dict[str, str]) -> dict[str, str]:
    """id -> "name (ID)" labels for a picker, in the given order (the id alone when it has no name)."""
    return {i: (f"{names.get(i, i)} ({i})" if names.get(i, i) != i else i) for i in ids}


def issue_ids(dataset: Dataset, frame: pd.DataFrame) -> list[str]:
    """Every issue: the dataset's own, then ids only positions name (their record was invalid)."""
    own = [i.id for i in dataset.issues]
    return own + [i for i in dict.fromkeys(frame["issue"].tolist()) if i not in set(own)]


def actor_ids(dataset: Dataset, frame: pd.DataFrame) -> list[str]:
    """Every actor: the dataset's own, then ids only positions name (their record was invalid)."""
    own = [a.id for a in dataset.actors]
    return own + [a for a in dict.fromkeys(frame["actor"].tolist()) if a not in set(own)]


def overview_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> Choices:
    """Every actor and issue; by default the issues with positions and every actor with a stance
    as of ``as_of``, or the ``OVERVIEW_DEFAULT_ACTORS`` with most when there are more (dataset order)."""
    latest = analysis.latest_stances(frame, as_of, voices)
    present = analysis.actors_with_positions(latest)
    if len(present) > OVERVIEW_DEFAULT_ACTORS:
        most = set(analysis.default_actors(latest, OVERVIEW_DEFAULT_ACTORS))
        present = [a for a in present if a in most]
    return Choices(
        actors=labelled(actor_ids(dataset, frame), dataset.actor_names()),
        issues=labelled(issue_ids(dataset, frame), dataset.issue_titles()),
        default_actors=tuple(present),
        default_issues=tuple(analysis.issues_with_positions(frame)),
    )


def compare_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> Choices:
    """Every actor and issue; by default the pair with most to compare (:func:`widest_pair`)."""
    return Choices(
        actors=labelled(actor_ids(dataset, frame), dataset.actor_names()),
        issues=labelled(issue_ids(dataset, frame), dataset.issue_titles()),
        default_actors=widest_pair(dataset, frame, as_of, voices),
    )


def widest_pair(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> tuple[str, ...]:
    """The two actors who state a stance on the most of the same issues as of ``as_of`` and, among
    those, disagree the most (lowest ``analysis.agreement``), in the dataset's order; ties go to the
    pair earlier in the dataset. Without a pair sharing an issue: the two with most positions.

    Compare opens on a real contrast that way: two actors who share two issues and agree on both
    leave little to read.
    """
    latest = analysis.latest_stances(frame, as_of, voices)
    stated = latest[latest["stance"].notna()]
    actors = analysis.actors_with_positions(stated)
    if len(actors) >= 2:
        pairs = analysis.agreement(stated, dataset.scale.span, actors)
        rank = {a: i for i, a in enumerate(actors)}
        pairs = pairs[(pairs["actor_a"].map(rank) < pairs["actor_b"].map(rank)) & (pairs["shared"] > 0)]
        if not pairs.empty:
            best = pairs.sort_values(["shared", "agreement"], ascending=[False, True], kind="stable").iloc[0]
            return (str(best["actor_a"]), str(best["actor_b"]))
    return tuple(analysis.default_actors(analysis.filter_voices(frame, voices), 2))


def timeline_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every issue; by default the one with most positions in these voices."""
    issues = labelled(issue_ids(dataset, frame), dataset.issue_titles())
    busiest = analysis.issues_with_positions(analysis.filter_voices(frame, voices)) or list(issues)
    return Choices(issues=issues, default_issues=tuple(busiest[:1]))


def timeline_actor_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices, issue: str | None) -> Choices:
    """The actors with positions on ``issue`` in these voices, in the dataset's order; by default all
    of them when there are ``TIMELINE_DEFAULT_ACTORS`` or fewer, else that many of the most active
    (ties go to the actor earlier in the dataset, so the file's order of importance decides)."""
    voiced = analysis.filter_voices(frame, voices)
    on_issue = voiced[voiced["issue"] == issue]
    present = analysis.actors_with_positions(on_issue)
    chosen = present
    if len(present) > TIMELINE_DEFAULT_ACTORS:
        counts = on_issue.groupby("actor", sort=False).size()
        most = set(sorted(present, key=lambda a: -int(counts[a]))[:TIMELINE_DEFAULT_ACTORS])  # stable: file order
        chosen = [a for a in present if a in most]
    return Choices(actors=labelled(present, dataset.actor_names()), default_actors=tuple(chosen))


def map_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every issue; by default the one with most positions in these voices."""
    return timeline_choices(dataset, frame, voices)


@dataclass(frozen=True)
class RegionChoices:
    """The Map's region picker: region id -> label, and the region that fits the issue (its default)."""

    options: dict[str, str]
    default: str


def map_regions(
    dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices, issue: str | None
) -> RegionChoices:
    """Every region of ``worldmap.REGIONS``; by default the one that fits the countries with a
    position on ``issue`` as of ``as_of`` (``worldmap.fitting_region``), its label saying so."""
    latest = analysis.latest_stances(frame, as_of, voices)
    on_issue = latest[(latest["issue"] == issue) & (latest["actor_kind"] != "bloc")]
    fits = worldmap.fitting_region(on_issue["actor"].tolist())
    options = {r.id: r.name + (" (automatic)" if r.id == fits else "") for r in worldmap.REGIONS.values()}
    return RegionChoices(options, fits)


def agreement_choices(
    dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices, min_shared: int = MIN_SHARED_DEFAULT
) -> Choices:
    """Every actor; by default the twenty with most stated stances as of ``as_of`` among those
    sharing at least ``min_shared`` issues with another (an actor who shares too few with everyone
    would be a row with no score). When fewer than two do, the twenty with most stated stances:
    the matrix then shows why no pair has a score (too few shared issues) instead of nothing."""
    latest = analysis.latest_stances(frame, as_of, voices)
    stated = latest[latest["stance"].notna()]
    scorable = stated[stated["actor"].isin(agreement.partnered(stated, dataset.scale.span, min_shared))]
    defaults = analysis.default_actors(scorable, AGREEMENT_DEFAULT_ACTORS)
    if len(defaults) < 2:
        defaults = analysis.default_actors(stated, AGREEMENT_DEFAULT_ACTORS)
    return Choices(
        actors=labelled(actor_ids(dataset, frame), dataset.actor_names()),
        default_actors=tuple(defaults),
    )


@dataclass(frozen=True)
class ChangesChoices(Choices):
    """What changed's pickers: every issue, and the two dates of a first visit (None: no position)."""

    default_start: dt.date | None = None
    default_end: dt.date | None = None


def changes_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> ChangesChoices:
    """Every issue (none chosen: all); by default from a year before the newest statement on or
    before ``as_of`` to that statement (``changes.default_window``)."""
    window = changes.default_window(frame, voices, as_of) if voices else None
    start, end = window or (None, None)
    issues = labelled(issue_ids(dataset, frame), dataset.issue_titles())
    return ChangesChoices(issues=issues, default_start=start, default_end=end)


def lineup_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> Choices:
    """Every issue; by default the one most actors have a stance on as of ``as_of`` (ties: the
    dataset's order), where "everyone" says the most."""
    issues = labelled(issue_ids(dataset, frame), dataset.issue_titles())
    latest = analysis.latest_stances(frame, as_of, voices)
    ranked = analysis.issues_with_positions(latest)
    if ranked:
        counts = latest.groupby("issue", sort=False)["actor"].nunique()
        ranked = sorted(ranked, key=lambda issue: -int(counts[issue]))  # stable: ties keep the dataset's order
    return Choices(issues=issues, default_issues=tuple(ranked[:1] or list(issues)[:1]))


def quotes_choices(dataset: Dataset, frame: pd.DataFrame) -> Choices:
    """Actors and issues with positions (the speakers come from :func:`speakers`)."""
    return Choices(
        actors=labelled(analysis.actors_with_positions(frame), dataset.actor_names()),
        issues=labelled(analysis.issues_with_positions(frame), dataset.issue_titles()),
    )


def speakers(dataset: Dataset, frame: pd.DataFrame) -> tuple[str, ...]:
    """Every speaker once, in accent-insensitive alphabetical order."""
    return tuple(sorted(frame["speaker"].dropna().unique().tolist(), key=analysis.fold))
