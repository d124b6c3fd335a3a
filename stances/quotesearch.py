"""The Quotes page's search, indexed: every searchable text folded once per dataset, so that a
new search is one scan of text folded in advance.

``analysis.search_quotes`` folds every searchable field of every row each time it searches (0.3-0.5 s
at 100,000 positions). ``SearchIndex`` holds each distinct value of the searchable fields folded
once, in one Arrow array (about 31 MB at 100,000 generated positions, almost all of it the
quotes), which row holds which value, and which rows hold each abbreviation of stances.spelling
as written. A search word then costs one regular-expression scan of that array (Arrow's RE2) and
a lookup per field; the filters and the order are the plain search's, and the table and its row
height are ``tableviews.quotes_view``'s, so the page shows exactly what the plain search shows:
tests/unit/test_quotesearch.py compares the two for every query, spelling and filter.

The folding is ``analysis.search_quotes``'s (case, accents, the letters of ``analysis.FOLD_LETTERS``),
done by the same Arrow kernels; the index and a query are folded by the same code, so they agree
even on characters Python's and Arrow's Unicode tables see differently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from stances import analysis, spelling, tableviews
from stances.analysis import fold_texts
from stances.model import Dataset
from stances.pickers import Voices

# The columns analysis.search_quotes filters and sorts on (tests/unit/test_quotesearch.py compares
# every filter with the plain search).
FILTER_COLUMNS = ("actor", "issue", "voice", "speaker", "date_start", "precision", "order")
# Texts folded (and scanned for abbreviations) this many at a time, from the system allocator:
# Arrow's default pool (mimalloc) keeps what a whole column's intermediate copies took.
SLICE = 10_000


def query_words(query: str) -> list[str]:
    """The folded words of a search text (split on whitespace after folding, as the search does)."""
    return str(fold_texts(pa.array([query], type=pa.large_string()))[0]).split()


@dataclass(frozen=True, eq=False)
class SearchIndex:
    """The searchable text of one positions frame, folded once (see the module's docstring).

    Shared by every session through the view memo: nobody modifies it."""

    rows: int  # the frame's length
    texts: pa.ChunkedArray  # each field's distinct values, folded; texts[0] is "" (no value)
    codes: np.ndarray  # (fields, rows): row r's value in field f is texts[codes[f, r]]
    abbreviations: Mapping[str, np.ndarray]  # spelling.abbreviation_pattern(key) -> rows holding it

    def matching(self, words: list[str]) -> np.ndarray:
        """Which rows hold every one of the folded ``words`` in one of their searchable fields, as
        written or in another spelling (stances.spelling): analysis.search_quotes' rule."""
        mask = np.ones(self.rows, dtype=bool)
        for word in dict.fromkeys(words):  # a repeated word finds nothing more
            mask &= self.holding(spelling.variants(word))
            if not mask.any():
                break
        return mask

    def holding(self, wanted: spelling.Variants) -> np.ndarray:
        """Which rows hold one search word: its abbreviation as written, else any of its spellings."""
        if wanted.abbreviation is not None:
            return self.abbreviations[wanted.abbreviation]
        # one scan for every spelling: RE2 over literals (faster than Arrow's substring search)
        pattern = "|".join(re.escape(spelled) for spelled in wanted.spellings)
        try:
            hits = pc.match_substring_regex(self.texts, pattern).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # too big for RE2 (a pasted page of text): each spelling as a literal
            hits = np.zeros(len(self.texts), dtype=bool)
            for spelled in wanted.spellings:
                hits |= pc.match_substring(self.texts, spelled).to_numpy(zero_copy_only=False)
        return hits[self.codes].any(axis=0)

    def quotes_view(
        self,
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
    ) -> tableviews.QuotesView:
        """``tableviews.quotes_view`` with the words of ``query`` found through this index: the
        matching rows of ``frame`` (the frame the index was built from), then the same filters,
        order, table and row height as the plain search."""
        if len(frame) != self.rows:  # not this index's frame: the plain search
            return tableviews.quotes_view(
                dataset, frame, query, actors, issues, voices, speakers, date_from, date_to, shown_max
            )
        words = query_words(query)
        filters = (actors or None, issues or None, voices, speakers or None, date_from, date_to)
        if not words:
            return tableviews.quotes_view_of(analysis.search_quotes(frame, "", *filters), shown_max, row_height)
        found = np.flatnonzero(self.matching(words))
        # The plain search's filters and order on the rows found, in the columns they read alone;
        # then only the rows kept are copied whole (a common word finds tens of thousands).
        columns = [frame.columns.get_loc(column) for column in FILTER_COLUMNS]
        kept = analysis.search_quotes(frame.iloc[found, columns].set_axis(found), "", *filters)
        return tableviews.quotes_view_of(frame.iloc[kept.index.to_numpy()], shown_max, row_height)


def lines_at_most(quote: object) -> int:
    """At most how many lines ``tableviews.quote_lines`` gives ``quote``, from its length alone.

    textwrap ends a line (but the last) only when the next piece does not fit, and that piece
    either starts the next line or is dropped whitespace, or the line is full: any two
    consecutive lines take at least a line's width of the text. So n characters (a tab counted
    as the 8 spaces it may become) make at most 2 * (n // width) + 1 lines.
    """
    width = tableviews.QUOTE_CHARS_PER_LINE
    if not isinstance(quote, str) or len(quote) <= width:
        return 1
    text = quote[: width * (tableviews.MAX_QUOTE_LINES + 2)]  # what quote_lines wraps
    length = len(text) + 7 * text.count("\t")
    return min(2 * (length // width) + 1, tableviews.MAX_QUOTE_LINES + 1)


def row_height(quotes: pd.Series) -> int | None:
    """``tableviews.quote_row_height(quotes)``, wrapping only the quotes that may be the longest:
    the longest first (by ``lines_at_most``), until none left may wrap to more lines than found.
    1,000 quotes took 30 ms to wrap, and the height stops growing at MAX_QUOTE_LINES."""
    longest: list[object] = []
    lines = 1
    for quote in sorted(quotes.tolist(), key=lines_at_most, reverse=True):
        if lines_at_most(quote) <= lines or lines >= tableviews.MAX_QUOTE_LINES:
            break
        longest.append(quote)
        lines = max(lines, tableviews.quote_lines(quote))
    return tableviews.quote_row_height(pd.Series(longest, dtype=object))


def search_index(dataset: Dataset, frame: pd.DataFrame) -> SearchIndex:
    """The search index of ``frame``, the positions frame of ``dataset`` (analysis.positions_frame):
    built once per file content (the dashboard memoises it with ui.memo)."""
    del dataset  # the frame holds every searchable field; the signature is ui.memo's
    numbers: dict[object, int] = {None: 0}  # each distinct text -> its place in texts; 0: no value
    codes = np.zeros((len(analysis.SEARCH_FIELDS), len(frame)), dtype=np.int32)
    for field, column in enumerate(analysis.SEARCH_FIELDS):
        cells = frame[column].tolist()
        codes[field] = np.fromiter((numbers.setdefault(cell, len(numbers)) for cell in cells), np.int32, len(cells))
    values = [value if isinstance(value, str) else "" for value in numbers]  # a missing value: ""
    del numbers
    patterns = {key: spelling.abbreviation_pattern(key) for key in spelling.ABBREVIATIONS}
    any_abbreviation = "|".join(patterns.values())
    holds = {key: np.zeros(len(values), dtype=bool) for key in patterns}
    folded: list[pa.Array] = []
    pool = pa.system_memory_pool()
    for start in range(0, len(values), SLICE):
        part = pa.array(values[start : start + SLICE], type=pa.large_string(), memory_pool=pool)
        folded.append(fold_texts(part, pool))
        # Abbreviations are looked for in the text as written: one scan for any of them, then
        # each group in the few texts that hold one.
        some = pc.match_substring_regex(part, any_abbreviation, memory_pool=pool).to_numpy(zero_copy_only=False)
        where = start + np.flatnonzero(some)
        if len(where):
            texts = pa.array([values[i] for i in where], type=pa.large_string(), memory_pool=pool)
            for key, pattern in patterns.items():
                holds[key][where] = pc.match_substring_regex(texts, pattern).to_numpy(zero_copy_only=False)
    return SearchIndex(
        rows=len(frame),
        texts=pa.chunked_array(folded, type=pa.large_string()),
        codes=codes,
        abbreviations={patterns[key]: hits[codes].any(axis=0) for key, hits in holds.items()},
    )
