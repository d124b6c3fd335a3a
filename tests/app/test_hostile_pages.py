"""Every page with hostile text (tests/data/hostile/hostile_text.yaml, a VALID dataset): no exception,
no data rendered as Markdown or HTML, the text shown literally; a few randomly edited files too."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from apphelpers import REPO, charts, open_page
from hypothesis import given, settings
from hypothesis import strategies as st

import ui
from stances import analysis, tables
from stances.load import load_dataset

HOSTILE = REPO / "tests" / "data" / "hostile" / "hostile_text.yaml"
PAGES = [file for file, *_ in ui.PAGES if (REPO / file).is_file()]
# Markup that only the data holds: shown unescaped in a Markdown element, it would be live.
LIVE_MARKUP = re.compile(r"(?<!\\)<(script|img|svg|iframe|style|details|a\s)|(?<!\\)\]\((javascript|data):", re.I)
# Tags plotly.js itself reads in labels; the charts may use these, the data's tags must be escaped.
PLOTLY_TAGS = {"b", "/b", "br", "i", "/i", "extra", "/extra", "sub", "/sub", "sup", "/sup", "span", "/span"}
MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


@pytest.fixture
def hostile(use_dataset) -> Path:
    return use_dataset(HOSTILE)


def markdown_bodies(at) -> list[str]:
    """Every element body Streamlit renders as Markdown."""
    return [str(element.value) for kind in MARKDOWN_KINDS for element in getattr(at, kind)]


def shown_text(at) -> str:
    """Everything the page shows as plain text: st.text, dataframes, chart JSON, text inputs."""
    parts = [str(t.value) for t in at.text]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [json.dumps(spec, ensure_ascii=False) for spec in charts(at)]
    return "\n".join(parts)


def test_the_hostile_dataset_is_valid() -> None:
    dataset = load_dataset(HOSTILE)
    assert dataset.problems == []
    assert (len(dataset.actors), len(dataset.positions)) == (4, 5)


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_hostile_text_without_rendering_it(hostile: Path, page: str) -> None:
    at = open_page(page)
    for body in markdown_bodies(at):
        assert not LIVE_MARKUP.search(body), f"{page}: data rendered as Markdown: {body[:300]!r}"
    for spec in charts(at):
        tags = set(re.findall(r"<(/?[a-zA-Z]+)", json.dumps(spec, ensure_ascii=False)))
        assert tags <= PLOTLY_TAGS, f"{page}: chart labels hold live tags {tags - PLOTLY_TAGS}"


def test_quotes_table_holds_the_text_literally(hostile: Path) -> None:
    at = open_page("pages/quotes_page.py", {"voices": "official,expert,reported"})
    shown = shown_text(at)
    assert "<script>alert('quote')</script> **not bold** [x](javascript:alert('quote-link')) $E=mc^2$ &amp;" in shown
    assert "A" * 9990 + " the end" in shown  # 10,000 characters, not cut
    assert "\u202eevil\u202c" in shown  # right-to-left override kept as data (it is what the source says)


def test_charts_escape_the_text_for_plotly(hostile: Path) -> None:
    at = open_page("pages/overview_page.py")
    labels = json.dumps(charts(at), ensure_ascii=False)
    assert "&lt;script&gt;alert('actor')&lt;/script&gt;Russia" in labels
    assert "<script>" not in labels


def test_sources_page_links_only_http(hostile: Path) -> None:
    at = open_page("pages/sources_page.py")
    shown = shown_text(at)
    assert "<script>alert('publisher')</script>" in shown
    assert "javascript:alert('note')" not in [str(v) for f in at.dataframe for v in f.value.get("url", [])]


def test_csv_neutralises_formulas_but_keeps_numbers() -> None:
    frame = tables.quotes_table(analysis.positions_frame(load_dataset(HOSTILE)))
    rows = list(csv.DictReader(io.StringIO(tables.csv_bytes(frame).decode("utf-8-sig"))))
    assert len(rows) == 5
    stance = next(c for c in rows[0] if "stance" in c.lower())
    assert sorted(r[stance] for r in rows) == ["", "-2", "0", "1", "2"]  # numbers stay numbers (null empty)
    text = [value for row in rows for column, value in row.items() if column != stance and value]
    assert not [v for v in text if v[0] in "=+-@"], "a text cell a spreadsheet would run as a formula"
    assert {"'=1+1", "'@mention", "'+role", "'-speaker"} <= set(text)


HOSTILE_FILES = {  # a few of tests/unit/test_hostile_files.py, through the app
    "billion laughs": ("alias bomb (billion laughs)", "too-many-aliases"),
    "deep nesting": ("block nesting, 200,000 levels", "too-deep"),
    "binary": ("binary data", "binary-file"),
    "utf-16": ("UTF-16 with BOM", "not-utf8"),
    "empty": ("empty file", "empty-file"),
    "list": ("top-level list", "not-a-mapping"),
    "python tag": ("custom tag !!python/object", "unsupported-tag"),
    "problem flood": ("180,000 problems", "too-many-problems"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_file_is_a_clear_problem_in_the_app(tmp_path: Path, use_dataset, case: str) -> None:
    from tests.unit.test_hostile_files import CASES  # the same generators as the CLI test

    name, kind = HOSTILE_FILES[case]
    path = tmp_path / "positions.yaml"
    path.write_bytes(CASES[name][0]())
    use_dataset(path)
    open_page("pages/overview_page.py")  # fails on any exception
    health = open_page("pages/health_page.py")
    [table] = health.dataframe[:1]
    assert kind in table.value["type"].tolist()


@settings(max_examples=4, deadline=None)
@given(cut=st.integers(200, 4000), junk=st.sampled_from(["\t", ":", "- ", "<script>", "{", "'", "\x00", "é"]))
def test_edited_hostile_files_never_break_a_page(tmp_path_factory, monkeypatch_session, cut: int, junk: str) -> None:
    text = HOSTILE.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("edit") / "positions.yaml"
    path.write_text(text[:cut] + junk + text[cut:], encoding="utf-8")
    monkeypatch_session.setenv("POSITIONS_FILE", str(path))
    for page in ("pages/overview_page.py", "pages/quotes_page.py", "pages/health_page.py"):
        at = open_page(page)  # fails on any exception
        for body in markdown_bodies(at):
            assert not LIVE_MARKUP.search(body), f"{page}: {body[:200]!r}"


@pytest.fixture(scope="module")
def monkeypatch_session():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
