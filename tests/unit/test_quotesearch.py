"""The Quotes page's search index: the same answer as the plain search (analysis.search_quotes
through tableviews.quotes_view) for every query, spelling variant and filter, the same fold, and
the row height computed from fewer quotes but equal."""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stances import analysis, quotesearch, tableviews
from stances.generate import generate
from stances.load import load_dataset, parse_dataset
from stances.model import Dataset

ROOT = Path(__file__).parents[2]
DATASETS = ROOT / "tests" / "data" / "datasets"
TODAY = dt.date(2025, 1, 1)
ALL_VOICES = ("official", "expert", "reported")

# Quotes that exercise each rule: spellings, abbreviations, hyphens, apostrophes, accents, letters
# without a decomposition, other scripts, and characters a regular expression would read.
QUOTES = [
    "Missile defence in Europe.",
    "Missile DEFENSE in Europe.",
    "The U.S. plan goes ahead; the UK agrees.",
    "The US plan, the E.U. and the U.N. (USA).",
    "Russia objects. Let us talk. Europe waits.",
    "An anti-missile shield, an antimissile one, an anti missile one.",
    "We organise talks; they organize them: organisation.",
    "Russia\u2019s position and Russia's position.",
    "A US-led programme, a U.S.A. program, a prize, a surprise.",
    "Dmitry Médvédev, Radosław Sikorski, Straße, ØRSTED, Æsir, þing.",
    "Лавров: ПРО в Европе. Захарова.",
    "欧洲的导弹防御系统 and 미사일 방어 체계 and الدفاع الصاروخي.",
    "Regex (a|b) [x] .* ^start$ back\\slash +plus? {1,2}",
    "Tabs\tand\nnew lines\u00a0and non-breaking spaces.",
    "Half-width ﾃｽﾄ and ligature ﬁnal and ² squared.",
]


def dataset_of(quotes: list[str]) -> Dataset:
    """A dataset with one position per quote (every third a joint statement, some with a
    translation or a note, some with an empty field), over several actors, issues and dates."""
    actors = [
        {"id": "RUS", "name": "Russia"},
        {"id": "USA", "name": "United States"},
        {"id": "POL", "name": "Pologne Łódź"},
    ]
    positions = []
    for number, quote in enumerate(quotes):
        position = {
            "actor": actors[number % 3]["id"],
            "issue": ("bmd", "inf")[number % 2],
            "stance": number % 5 - 2,
            "date": ("2011", "2012-06", "2013-07-15")[number % 3],
            "speaker": ("Dmitry Médvédev", "John O'Brien", "Anna Ли")[number % 3],
            "role": ("Defence Minister", "Ambassador to the U.N.", "Spokesperson")[number % 3],
            "voice": ALL_VOICES[number % 3],
            "quote": quote,
            "source": ("src", "other")[number % 2],
        }
        if number % 3 == 0:  # a joint statement: one row per signatory, the same quote
            position["actors"] = [position.pop("actor"), "USA" if number % 2 else "POL"]
        if number % 4 == 1:
            position["translation"] = f"Translated {number}: defense of the US."
        if number % 5 == 2:
            position["note"] = f"Coded from the full statement {number}; see the Organisation's note."
        positions.append(position)
    doc = {
        "title": "Search",
        "actors": actors,
        "issues": [
            {"id": "bmd", "title": "Missile defence", "question": "It should go ahead."},
            {"id": "inf", "title": "INF Treaty", "question": "It should hold."},
        ],
        "sources": [{"id": "src", "publisher": "Le Monde diplomatique"}, {"id": "other", "publisher": "TASS"}],
        "positions": positions,
    }
    dataset = parse_dataset(yaml.safe_dump(doc, allow_unicode=True), label="search.yaml", today=TODAY)
    assert not dataset.errors, [p.format() for p in dataset.errors]
    return dataset


@functools.cache
def loaded(name: str) -> tuple[Dataset, pd.DataFrame, quotesearch.SearchIndex]:
    """A dataset by name, its positions frame and its search index (built once per test run)."""
    if name == "quotes":
        dataset = dataset_of(QUOTES)
    elif name == "generated":
        dataset = parse_dataset(generate(1500, seed=3), label="generated.yaml", today=TODAY)
    elif name == "bundled":
        dataset = load_dataset(ROOT / "positions.yaml", cache=False)
    else:
        dataset = load_dataset(DATASETS / name, cache=False)
    frame = analysis.positions_frame(dataset)
    return dataset, frame, quotesearch.search_index(dataset, frame)


def assert_same_view(name: str, query: str, **filters: object) -> tableviews.QuotesView:
    """The index's view equals the plain view (rows, table and row height) for one query."""
    dataset, frame, index = loaded(name)
    args = (
        query,
        tuple(filters.get("actors", ())),
        tuple(filters.get("issues", ())),
        tuple(filters.get("voices", ALL_VOICES)),
        tuple(filters.get("speakers", ())),
        filters.get("date_from"),
        filters.get("date_to"),
        int(filters.get("shown_max", 1000)),
    )
    plain = tableviews.quotes_view(dataset, frame, *args)
    indexed = index.quotes_view(dataset, frame, *args)
    pd.testing.assert_frame_equal(indexed.rows, plain.rows)
    pd.testing.assert_frame_equal(indexed.table, plain.table)
    assert indexed.row_height == plain.row_height
    return indexed


QUERIES = [
    "",
    "   ",
    "defence",
    "DEFENSE",
    "défense",
    "defences",
    "us",
    "U.S.",
    "usa",
    "U.S.A.",
    "uk",
    "eu",
    "E.U.",
    "un",
    "anti-missile",
    "antimissile",
    "anti missile",
    "organise",
    "organize",
    "organisation",
    "prize",
    "russia's",
    "russia\u2019s",
    "programme",
    "program",
    "Médvédev",
    "medvedev",
    "radoslaw",
    "RADOSŁAW",
    "strasse",
    "straße",
    "orsted",
    "aesir",
    "thing",
    "лавров",
    "ЛАВРОВ",
    "про",
    "导弹",
    "미사일",
    "الدفاع",
    "(a|b)",
    "[x]",
    ".*",
    "^start$",
    "back\\slash",
    "+plus?",
    "{1,2}",
    "|",
    "\\",
    "tabs new",
    "ﾃｽﾄ",
    "テスト",
    "final",
    "2",
    "squared ²",
    "o'brien",
    "le monde",
    "tass",
    "missile defence",
    "ambassador u.n.",
    "translated defense",
    "coded organisation",
    "defence defence",
    "e",
    "a",
    ".",
    "zzzz-not-there",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("name", ["quotes", "nonlatin.yaml", "bundled"])
def test_the_index_finds_what_the_plain_search_finds(name: str, query: str) -> None:
    assert_same_view(name, query)


@pytest.mark.parametrize("query", ["defence", "missile", "us", "Лавров", "sécurité défense", "anti-missile", "a", ""])
def test_a_big_result_shows_the_same_newest_rows(query: str) -> None:
    assert_same_view("generated", query, voices=("official",))
    assert_same_view("generated", query, shown_max=50)


@pytest.mark.parametrize(
    "filters",
    [
        {"actors": ("RUS",)},
        {"actors": ("RUS", "USA"), "issues": ("bmd",)},
        {"voices": ("official",)},
        {"voices": ()},
        {"speakers": ("Dmitry Médvédev",)},
        {"speakers": ("nobody",)},
        {"date_from": dt.date(2012, 6, 30)},
        {"date_to": dt.date(2012, 6, 1)},
        {"date_from": dt.date(2013, 1, 1), "date_to": dt.date(2013, 12, 31), "actors": ("USA", "POL")},
        {"shown_max": 2},
    ],
)
@pytest.mark.parametrize("query", ["", "defence", "us", "missile russia", "zzzz"])
def test_filters_combine_with_the_index_as_with_the_plain_search(query: str, filters: dict) -> None:
    assert_same_view("quotes", query, **filters)
    assert_same_view("many_actors.yaml", query, **filters)


def words_from_the_data() -> list[str]:
    """Pieces of the quotes, speakers and notes of the small dataset, to build queries from."""
    _, frame, _ = loaded("quotes")
    text = " ".join(str(v) for column in analysis.SEARCH_FIELDS for v in frame[column].dropna())
    return sorted(set(text.split()))


@given(
    st.lists(
        st.tuples(st.sampled_from(words_from_the_data()), st.integers(0, 6), st.integers(1, 8), st.booleans()),
        min_size=1,
        max_size=3,
    )
)
def test_pieces_of_the_data_are_found_as_the_plain_search_finds_them(
    pieces: list[tuple[str, int, int, bool]],
) -> None:
    words = [word[start : start + length] or word for word, start, length, _ in pieces]
    words = [word.upper() if upper else word for word, (*_, upper) in zip(words, pieces, strict=True)]
    assert_same_view("quotes", " ".join(words))


@given(st.text(max_size=12))
def test_any_text_is_found_as_the_plain_search_finds_it(query: str) -> None:
    assert_same_view("quotes", query)


def test_the_fold_is_the_plain_searchs_on_every_code_point() -> None:
    # analysis.search_text is the text the plain search looks in: each field folded, joined by "\n"
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    texts = [" ".join(characters[i : i + 1000]) for i in range(0, len(characters), 1000)]
    frame = pd.DataFrame({field: texts if field == "quote" else None for field in analysis.SEARCH_FIELDS})
    expected = analysis.search_text(frame).tolist()
    folded = quotesearch.fold_texts(pa.array(texts, type=pa.large_string())).to_pylist()
    assert [text + "\n" * (len(analysis.SEARCH_FIELDS) - 1) for text in folded] == expected


def test_query_words_are_folded_and_split() -> None:
    assert quotesearch.query_words("  Médvédev\tDEFENCE  Straße\n") == ["medvedev", "defence", "strasse"]
    assert quotesearch.query_words("") == []
    assert quotesearch.query_words("\u00a0") == []


def test_the_index_is_built_from_the_content() -> None:
    # what the dashboard keys it on: the same text gives the same answers, new text new ones
    first = dataset_of(QUOTES)
    edited = dataset_of([*QUOTES[:-1], "An entirely new quokka."])
    for dataset, expected in ((first, 0), (edited, 1)):
        frame = analysis.positions_frame(dataset)
        index = quotesearch.search_index(dataset, frame)
        assert index.rows == len(frame)
        assert int(index.matching(["quokka"]).sum()) == expected


def test_an_empty_frame_has_an_empty_index() -> None:
    dataset = dataset_of(QUOTES)
    frame = analysis.positions_frame(dataset).iloc[:0]
    index = quotesearch.search_index(dataset, frame)
    assert index.matching(["defence"]).tolist() == []
    assert index.quotes_view(dataset, frame, "defence", (), (), ALL_VOICES, (), None, None, 10).rows.empty


def test_another_frame_than_the_indexed_one_is_searched_plainly() -> None:
    dataset, frame, index = loaded("quotes")
    half = frame.iloc[: len(frame) // 2]
    plain = tableviews.quotes_view(dataset, half, "defence", (), (), ALL_VOICES, (), None, None, 1000)
    indexed = index.quotes_view(dataset, half, "defence", (), (), ALL_VOICES, (), None, None, 1000)
    pd.testing.assert_frame_equal(indexed.rows, plain.rows)


def test_a_word_too_long_for_one_regular_expression_is_still_found() -> None:
    # 300,000 characters and three spellings: RE2 refuses the pattern, the literals still work
    word = "antimissile" + "x" * 300_000
    dataset = dataset_of([f"An anti-missile{'x' * 300_000} shield.", "Nothing."])
    frame = analysis.positions_frame(dataset)
    index = quotesearch.search_index(dataset, frame)
    assert index.matching([word]).tolist() == [quote != "Nothing." for quote in frame["quote"]]


# --- the row height from fewer quotes ------------------------------------------------------------

quote_text = st.text(
    st.sampled_from("ab cdefghij\t\n-\u00a0xyz,.'"), max_size=tableviews.QUOTE_CHARS_PER_LINE * 16
) | st.builds(
    " ".join,
    st.lists(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=70), max_size=80),
)


@given(quote_text)
def test_lines_at_most_bounds_the_wrapped_lines(quote: str) -> None:
    assert tableviews.quote_lines(quote) <= quotesearch.lines_at_most(quote)


def test_lines_at_most_holds_for_the_worst_cases() -> None:
    width = tableviews.QUOTE_CHARS_PER_LINE
    # a one-letter word, then a word of a whole line: each line holds one of them
    alternating = " ".join(["a", "b" * width] * 6)
    for quote in (alternating, "\t" * 200, "x" * 2000, ("a " * 400), None, 3, ""):
        assert tableviews.quote_lines(quote) <= quotesearch.lines_at_most(quote)
    assert len(textwrap.wrap(alternating, width, break_long_words=True)) == 12


@given(st.lists(quote_text | st.none(), max_size=30))
def test_the_row_height_is_the_plain_one(quotes: list[str | None]) -> None:
    series = pd.Series(quotes, dtype=object)
    assert quotesearch.row_height(series) == tableviews.quote_row_height(series)
