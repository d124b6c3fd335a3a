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

# The quotes table: frame column -> heading, in reading order.
QUOTE_COLUMNS: dict[str, str] = {
    "date": "date",
    "actor_name": "actor",
    "joint_with": "joint statement with",
    "issue_title": "issue",
    "stance": "stance",
    "stance_label": "stance (label)",
    "voice": "voice",
    "speaker": "speaker",
    "role": "role",
    "language": "language",
    "quote": "quote",
    "translation": "translation",
    "source_publisher": "publisher",
    "source_title": "source title",
    "source_date": "source date",
    "source_url": "source link",
    "actor": "actor id",
    "issue": "issue id",
    "source": "source id",
    "line": "line",
}


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


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for spreadsheets: UTF-8 with a BOM (so Excel reads non-Latin text), formulas neutralised."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def quotes_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The positions frame as the quotes table: readable headings, stance as a nullable integer,
    links kept only when http(s), newest first."""
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
