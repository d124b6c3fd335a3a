"""What the Quotes, Sources & method and Data health pages show: tables of the data, as pure functions.

A page reads its pickers (``stances.pickers``), calls one of these with ``(dataset, frame, ...)``
and hashable arguments, and renders the table it gets. The dashboard computes each once per file
content and arguments and shares the result (ui.memo): nobody modifies it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from stances import analysis, tables
from stances.model import Dataset
from stances.pickers import Voices
from stances.problems import Problem

# --- Quotes --------------------------------------------------------------------------------------


# The quote column's width (the table's first columns fit a 1024 px window with the sidebar open),
# how many characters of a quote fit on one of its lines and the height a wrapped line takes,
# measured in Chromium: 55 characters of English text a line, 18.3 px a line; the estimate leaves
# a margin, since wide letters wrap sooner.
QUOTE_WIDTH_PX = 340
QUOTE_CHARS_PER_LINE = 52
LINE_PX = 19
ROW_PADDING_PX = 14
# Rows grow to show the longest quote shown whole, up to this many lines; a longer quote (and a
# long note) is read whole by selecting its row.
MAX_QUOTE_LINES = 12
# Data health's problem table: where and the problem (what is wrong, then what to write instead)
# fit the main column of a 1024 px window with the sidebar open (564 px) without scrolling
# sideways; the severity and type follow. Side by side in two columns, the hint was cut at the
# column's edge ("...if the source" for "...if the source allows, or").
WHERE_WIDTH_PX = 150
PROBLEM_TEXT_WIDTH_PX = 400
# Streamlit wraps text in a dataframe only when rows are taller than 4rem (64 px).
WRAPPING_ROW_PX = 65


@dataclass(frozen=True)
class QuotesView:
    """The positions matching the Quotes page's search and filters, and the newest of them to show."""

    rows: pd.DataFrame  # every match (the CSV download)
    table: pd.DataFrame  # the table of the newest ``shown_max`` matches (quotes_table), newest first
    row_height: int | None  # px: tall enough for the longest quote shown (None: one line is enough)


def quotes_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The quotes table of ``rows`` as shown and downloaded (newest first, reading order)."""
    return tables.quotes_table(rows)


def quotes_csv(rows: pd.DataFrame) -> bytes:
    """Every column of the quotes table of ``rows`` as CSV: the coder's note, the language as its
    code, dates as text that spreadsheets keep (tables.sheet_date), formulas neutralised."""
    return tables.quotes_csv(quotes_table(rows))


def quote_lines(quote: object, chars_per_line: int = QUOTE_CHARS_PER_LINE) -> int:
    """How many lines a quote takes in the quote column (at least 1, at most one past the cap)."""
    if not isinstance(quote, str) or len(quote) <= chars_per_line:
        return 1
    # enough text to know it passes the cap; a 10,000-character quote is not wrapped whole
    text = quote[: chars_per_line * (MAX_QUOTE_LINES + 2)]
    return min(len(textwrap.wrap(text, chars_per_line, break_long_words=True)), MAX_QUOTE_LINES + 1)


def chars_per_line(width_px: int) -> int:
    """How many characters of text fit on one line of a column ``width_px`` wide (the quote
    column's measured figure, scaled)."""
    return max(1, QUOTE_CHARS_PER_LINE * width_px // QUOTE_WIDTH_PX)


def quote_row_height(quotes: pd.Series, width_px: int = QUOTE_WIDTH_PX) -> int | None:
    """The row height (px) that shows the longest of ``quotes`` whole, wrapped in a column
    ``width_px`` wide, up to MAX_QUOTE_LINES lines; None when every quote fits on one line."""
    per_line = chars_per_line(width_px)
    lines = max((quote_lines(q, per_line) for q in quotes.tolist()), default=1)
    if lines <= 1:
        return None
    lines = min(lines, MAX_QUOTE_LINES)
    return max(lines * LINE_PX + ROW_PADDING_PX, WRAPPING_ROW_PX)


def wrapped_row_height(table: pd.DataFrame, columns: tuple[str, ...], width_px: int = QUOTE_WIDTH_PX) -> int | None:
    """:func:`quote_row_height` over several text columns of ``table``, each ``width_px`` wide:
    a table whose long cells (a bloc's members, a speaker) must show whole."""
    texts = [table[c].astype(str) for c in columns if c in table.columns]
    return quote_row_height(pd.concat(texts), width_px) if texts else None


def quote_in_full(row: pd.Series) -> list[str]:
    """One row of the quotes table as lines of plain text, nothing cut: who, when and on what;
    the quote; who said it; a published translation; the coder's note; the source."""

    def text(heading: str) -> str:
        value = row.get(heading)
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)

    def joined(separator: str, *parts: str) -> str:
        return separator.join(p for p in parts if p)

    who = text("actor")
    if text("joint statement with"):
        who += f" (joint statement with {text('joint statement with')})"
    stance = joined(" ", f"{int(row['stance']):+d}" if text("stance") else "", text("stance (label)"))
    language = f"language: {text('language')}" if text("language") else ""
    lines = [
        joined(" · ", who, text("date"), text("issue"), stance),
        f"\u201c{text('quote')}\u201d",
        joined(" · ", joined(", ", text("speaker"), text("role")), text("voice"), language),
    ]
    if text("translation"):
        lines.append(f"Published translation: {text('translation')}")
    lines.append(f"Coder's note: {text('note') or 'none'}")
    source = joined(", ", text("source"), text("source title"))
    if text("source date"):
        source += f" ({text('source date')})"
    lines.append(f"Source: {source or 'not given'}")
    return lines


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
    return quotes_view_of(rows, shown_max)


def quotes_view_of(
    rows: pd.DataFrame, shown_max: int, row_height: Callable[[pd.Series], int | None] | None = None
) -> QuotesView:
    """The view of the rows a search found: the table of the newest ``shown_max`` and the row
    height that shows their longest quote (``row_height`` of the quote column; by default
    ``quote_row_height``, which wraps every quote)."""
    if len(rows) > shown_max:
        # quotes_table sorts newest first (stable), so these are its first rows; sorting the date
        # column alone, then taking those rows, moves one column instead of all
        dates = rows["date_start"].reset_index(drop=True).sort_values(ascending=False, kind="stable")
        table = quotes_table(rows.iloc[dates.index[:shown_max]])
    else:
        table = quotes_table(rows)
    height = row_height or quote_row_height
    return QuotesView(rows, table, height(table["quote"]) if "quote" in table.columns else None)


# --- Sources & method ----------------------------------------------------------------------------


# Positions named in a source's "positions resting on it" cell: a source that thousands rest on
# sent megabytes to the browser on every rerun (5.4 MB at 100,000 positions); the dataset download
# names every position's source.
RESTING_SHOWN = 10


def resting_cell(positions: list[str]) -> str:
    """The first RESTING_SHOWN of ``positions`` joined by '; ', and how many more there are."""
    shown = "; ".join(positions[:RESTING_SHOWN])
    more = len(positions) - RESTING_SHOWN
    return f"{shown}; … and {more:,} more (the dataset download lists them all)" if more > 0 else shown


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
            "positions resting on it": [resting_cell(resting.get(s.id, [])) for s in sources],
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


# --- Data health ---------------------------------------------------------------------------------


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """One row per problem: where, then the problem as the command line words it (the record as a
    person counts it, what is wrong, what to write instead: "the 39th position
    (positions[38].stanse): unknown key 'stanse'; did you mean 'stance'?"), shown whole (see
    wrapped_row_height), then the severity and the type."""
    return pd.DataFrame(
        {
            "where": [p.where for p in problems],
            "problem": [problem_text(p) for p in problems],
            "severity": [p.severity for p in problems],
            "type": [p.type for p in problems],
        }
    )


def problem_text(problem: Problem) -> str:
    """``the 4th position (positions[3].speeker): unknown key 'speeker'; did you mean 'speaker'?``:
    the record (when the problem is in one) and Problem.detail, as Problem.format words them."""
    return f"{problem.named_loc}: {problem.detail}" if problem.record else problem.detail
