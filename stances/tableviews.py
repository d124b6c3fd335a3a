"""What the Quotes and Sources & method pages show: tables of the data, as pure functions.

A page reads its pickers (``stances.pickers``), calls one of these with ``(dataset, frame, ...)``
and hashable arguments, and renders the table it gets. The dashboard computes each once per file
content and arguments and shares the result (ui.memo): nobody modifies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from stances import analysis, tables, wording
from stances.model import Dataset
from stances.pickers import Voices

# --- Quotes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotesView:
    """The positions matching the Quotes page's search and filters, and the newest of them to show."""

    rows: pd.DataFrame  # every match (the CSV download)
    table: pd.DataFrame  # the table of the newest ``shown_max`` matches (quotes_table), newest first


def quotes_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The quotes table of ``rows`` as shown and downloaded (newest first, language tags)."""
    table = tables.quotes_table(rows)
    table["language"] = table["language"].map(wording.language_tag)
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
