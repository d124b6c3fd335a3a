"""Tables for people: the quotes table shown and downloaded, safe links, CSV without formulas.

Pure (no Streamlit). A spreadsheet opening our CSV must never run a quote as a formula, and a
link in a table must never be anything but http(s).
"""

from __future__ import annotations

import re

import pandas as pd

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and carriage
# return, may strip the character and then see one). OWASP "CSV injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HTTP_URL = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)

# The quotes table: frame column -> heading, in reading order: who, when, what, who said it and
# where, then the coding; the ids and line numbers (ID_HEADINGS) last, for whoever edits the file.
QUOTE_COLUMNS: dict[str, str] = {
    "actor_name": "actor",
    "date": "date",
    "quote": "quote",
    "speaker": "speaker",
    "source_publisher": "source",
    "source_title": "source title",
    "source_date": "source date",
    "source_url": "source link",
    "issue_title": "issue",
    "stance": "stance",
    "stance_label": "stance (label)",
    "role": "role",
    "voice": "voice",
    "language": "language",
    "translation": "translation",
    "note": "note",
    "joint_with": "joint statement with",
    "actor": "actor id",
    "issue": "issue id",
    "source": "source id",
    "line": "line",
}
ID_HEADINGS: tuple[str, ...] = ("actor id", "issue id", "source id", "line")
DATE_HEADINGS: tuple[str, ...] = ("date", "source date")
# A date as precise as its source, written YYYY-MM-DD with XX for what the source does not give
# (ISO 8601-2 / EDTF "unspecified digits"). Checked by opening a CSV: Gnumeric 1.12 turns
# "2013-03" into 1 March 2013 and LibreOffice 7.4 turns "2013" into a number, while both keep
# "2013-03-XX" and "2013-XX-XX" as text; a full date may become that same day. The form sorts in
# time order as text (a month after its days) and always has ten characters.
# Unanchored and in the regular-expression syntax of XML Schema, as a Table Schema pattern is.
SHEET_DATE_PATTERN = "[0-9]{4}-([0-9]{2}-[0-9]{2}|[0-9]{2}-XX|XX-XX)"
SHEET_DATE = re.compile(f"^(?:{SHEET_DATE_PATTERN})$")


def http_link(url: object) -> str | None:
    """``url`` when it is an http(s) address, else None (never a javascript: or file: link)."""
    if isinstance(url, str) and HTTP_URL.match(url):
        return url
    return None


def neutralise_cell(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a formula; numeric columns untouched."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column]):
            continue
        safe[column] = safe[column].map(neutralise_cell, na_action="ignore")
    return safe


def sheet_date(date: object) -> str | None:
    """``2013`` -> ``2013-XX-XX``, ``2013-03`` -> ``2013-03-XX``, a full date as it is (see
    SHEET_DATE); None for no date. Only for files: the dashboard shows a date as written."""
    if not isinstance(date, str) or not date:
        return None
    return date + "-XX" * (2 - date.count("-"))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for spreadsheets: UTF-8 with a BOM (so Excel reads non-Latin text), formulas neutralised."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def quotes_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The positions frame as the quotes table: readable headings in reading order (QUOTE_COLUMNS),
    stance as a nullable integer, links kept only when http(s), newest first. Missing values stay
    None (the page shows them empty, a CSV writes them empty); the language is its ISO code."""
    if "date_start" in frame.columns:
        frame = frame.sort_values("date_start", ascending=False, kind="stable")
    table = frame.loc[:, [c for c in QUOTE_COLUMNS if c in frame.columns]].copy()
    if "stance" in table.columns:
        table["stance"] = pd.to_numeric(table["stance"], errors="coerce").astype("Int64")
    if "source_url" in table.columns:
        table["source_url"] = table["source_url"].map(http_link).astype("object")
    if "line" in table.columns:
        table["line"] = pd.to_numeric(table["line"], errors="coerce").astype("Int64")
    return table.rename(columns=QUOTE_COLUMNS).reset_index(drop=True)


def quotes_csv(table: pd.DataFrame) -> bytes:
    """The quotes table (``quotes_table``) as CSV for spreadsheets: every column, dates as text
    spreadsheets keep (``sheet_date``), formulas neutralised."""
    table = table.copy()
    for heading in DATE_HEADINGS:
        if heading in table.columns:
            table[heading] = table[heading].map(sheet_date, na_action="ignore")
    return csv_bytes(table)
