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

from stances import analysis
from stances.model import Dataset

Voices = tuple[str, ...]  # the voices a page shows, hashable for ui.memo
TIMELINE_DEFAULT_ACTORS = 6  # most active actors on the issue
# Overview rows by default: the actors with most stances beyond this. 40 rows keep 8 px names
# apart at 1200x675; 200 rows were an unreadable smear and 8,000 hover labels (2 MB) to redraw.
OVERVIEW_DEFAULT_ACTORS = 40
AGREEMENT_DEFAULT_ACTORS = 20  # actors with most stated stances


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


def compare_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every actor and issue; by default the two actors with most positions in these voices."""
    voiced = analysis.filter_voices(frame, voices)
    return Choices(
        actors=labelled(actor_ids(dataset, frame), dataset.actor_names()),
        issues=labelled(issue_ids(dataset, frame), dataset.issue_titles()),
        default_actors=tuple(analysis.default_actors(voiced, 2)),
    )


def timeline_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every issue; by default the one with most positions in these voices."""
    issues = labelled(issue_ids(dataset, frame), dataset.issue_titles())
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


def map_choices(dataset: Dataset, frame: pd.DataFrame, voices: Voices) -> Choices:
    """Every issue; by default the one with most positions in these voices."""
    return timeline_choices(dataset, frame, voices)


def agreement_choices(dataset: Dataset, frame: pd.DataFrame, as_of: dt.date, voices: Voices) -> Choices:
    """Every actor; by default the twenty with most stated stances as of ``as_of``."""
    latest = analysis.latest_stances(frame, as_of, voices)
    return Choices(
        actors=labelled(actor_ids(dataset, frame), dataset.actor_names()),
        default_actors=tuple(analysis.default_actors(latest[latest["stance"].notna()], AGREEMENT_DEFAULT_ACTORS)),
    )


def quotes_choices(dataset: Dataset, frame: pd.DataFrame) -> Choices:
    """Actors and issues with positions (the speakers come from :func:`speakers`)."""
    return Choices(
        actors=labelled(analysis.actors_with_positions(frame), dataset.actor_names()),
        issues=labelled(analysis.issues_with_positions(frame), dataset.issue_titles()),
    )


def speakers(dataset: Dataset, frame: pd.DataFrame) -> tuple[str, ...]:
    """Every speaker once, in accent-insensitive alphabetical order."""
    return tuple(sorted(frame["speaker"].dropna().unique().tolist(), key=analysis.fold))
