"""Is a quote verbatim from its source text?

The only differences forgiven are the ones the data format allows: runs of whitespace (line
breaks, double spaces after a full stop, non-breaking spaces) and typographic quote marks
(‘ ’ “ ” « » and kin versus ' and "). An omission is marked with ``...`` or ``…`` in the quote;
it splits the quote into pieces that must each occur in the text, in order. Dashes, case,
accents and spelling are compared exactly: "popularions" must stay "popularions".
"""

from __future__ import annotations

import re

# Typographic single and double quote marks, including low-9 and angle quotes, mapped to ASCII.
QUOTE_MARKS = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "‹": "'",
        "›": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
    }
)
WHITESPACE = re.compile(r"\s+")
OMISSION = re.compile(r"\.\.\.|…")


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space, trim the ends, and turn typographic quote
    marks into ASCII ``'`` and ``"``. Nothing else changes."""
    return WHITESPACE.sub(" ", text.translate(QUOTE_MARKS)).strip()


def quote_pieces(quote: str) -> list[str]:
    """The normalised, non-empty pieces of a quote between its omission marks (``...`` or ``…``)."""
    return [piece.strip() for piece in OMISSION.split(normalise(quote)) if piece.strip()]


def find_quote(quote: str, text: str) -> bool:
    """True when every piece of ``quote`` occurs in ``text`` in order, without overlapping.

    A quote with nothing but omission marks or whitespace is never found.
    """
    pieces = quote_pieces(quote)
    if not pieces:
        return False
    haystack = normalise(text)
    start = 0
    for piece in pieces:
        found = haystack.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True
