"""The quotes table and its CSV: reading order, formulas neutralised, numbers kept, only http(s)
links, dates as text spreadsheets keep."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from stances.tables import (
    ID_HEADINGS,
    QUOTE_COLUMNS,
    SHEET_DATE,
    csv_bytes,
    http_link,
    neutralise_cell,
    neutralise_formulas,
    quotes_csv,
    quotes_table,
    sheet_date,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 (555) 0100", "'+1 (555) 0100"),
        ("-2 is strong", "'-2 is strong"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("We feel no euphoria", "We feel no euphoria"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_neutralise_cell_prefixes_formula_starts(cell: str, expected: str) -> None:
    assert neutralise_cell(cell) == expected


def test_neutralise_cell_leaves_non_text_alone() -> None:
    assert neutralise_cell(-2) == -2
    assert neutralise_cell(None) is None


def test_csv_keeps_numbers_and_neutralises_text() -> None:
    frame = pd.DataFrame(
        {
            "stance": pd.array([-2, None, 1], dtype="Int64"),
            "quote": ["=1+1", "-- dash", "Plain, with a comma"],
            "speaker": ["@handle", None, "Сергей Рябков"],
        }
    )
    raw = csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["stance"] for r in rows] == ["-2", "", "1"]
    assert [r["quote"] for r in rows] == ["'=1+1", "'-- dash", "Plain, with a comma"]
    assert [r["speaker"] for r in rows] == ["'@handle", "", "Сергей Рябков"]


def test_neutralise_formulas_does_not_modify_input() -> None:
    frame = pd.DataFrame({"quote": ["=x"]})
    neutralise_formulas(frame)
    assert frame.loc[0, "quote"] == "=x"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("https://", None),
        ("https://exa mple.org", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_http_link_accepts_only_http(url: object, expected: str | None) -> None:
    assert http_link(url) == expected


def test_quotes_table_newest_first_with_headings() -> None:
    frame = pd.DataFrame(
        {
            "actor_name": ["Russia", "China"],
            "date": ["2013-03", "2014"],
            "date_start": [dt.date(2013, 3, 1), dt.date(2014, 1, 1)],
            "stance": [-2, None],
            "quote": ["a", "b"],
            "source_url": ["javascript:alert(1)", "https://example.org"],
        }
    )
    table = quotes_table(frame)
    assert list(table.columns) == ["actor", "date", "quote", "source link", "stance"]
    assert table["actor"].tolist() == ["China", "Russia"]
    assert table["stance"].tolist()[1] == -2
    assert pd.isna(table["stance"].tolist()[0])
    links = table["source link"].tolist()
    assert links[0] == "https://example.org"
    assert pd.isna(links[1])


def test_the_quote_comes_third_and_the_ids_last() -> None:
    headings = list(QUOTE_COLUMNS.values())
    assert headings[:5] == ["actor", "date", "quote", "speaker", "source"]
    assert tuple(headings[-len(ID_HEADINGS) :]) == ID_HEADINGS
    assert "note" in headings


@pytest.mark.parametrize(
    ("date", "written"),
    [("2013", "2013-XX-XX"), ("2013-03", "2013-03-XX"), ("2013-04-05", "2013-04-05"), (None, None), ("", None)],
)
def test_sheet_date_spells_out_what_the_source_does_not_give(date: str | None, written: str | None) -> None:
    assert sheet_date(date) == written
    if written:
        assert SHEET_DATE.match(written)


def test_quotes_csv_has_the_note_language_codes_and_dates_spreadsheets_keep() -> None:
    frame = pd.DataFrame(
        {
            "actor_name": ["Russia", "France"],
            "date": ["2013-03", "2014-02-03"],
            "date_start": [dt.date(2013, 3, 1), dt.date(2014, 2, 3)],
            "quote": ["=1+1", "Le système"],
            "source_date": ["2013", None],
            "language": ["en", "fr"],
            "note": ["Coded -2: a threat.", None],
            "joint_with": [None, None],
            "stance": [-2, None],
            "line": [12, 40],
        }
    )
    rows = list(csv.DictReader(io.StringIO(quotes_csv(quotes_table(frame)).decode("utf-8-sig"))))
    assert [r["actor"] for r in rows] == ["France", "Russia"]
    assert [r["date"] for r in rows] == ["2014-02-03", "2013-03-XX"]
    assert [r["source date"] for r in rows] == ["", "2013-XX-XX"]
    assert [r["language"] for r in rows] == ["fr", "en"]
    assert [r["note"] for r in rows] == ["", "Coded -2: a threat."]
    assert [r["quote"] for r in rows] == ["Le système", "'=1+1"]
    assert [r["stance"] for r in rows] == ["", "-2"]
    assert [r["line"] for r in rows] == ["40", "12"]
    assert not [v for r in rows for v in r.values() if v in ("None", "nan", "<NA>")]
