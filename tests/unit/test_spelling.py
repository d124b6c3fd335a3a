"""Spelling variants the quote search finds together: each rule, what it must not find, and the
search itself (Arrow and plain Python), against hand-picked quotes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from stances import analysis, spelling
from stances.load import parse_dataset

QUOTES = [
    "Missile defence in Europe.",  # 0
    "Missile defense in Europe.",  # 1
    "The U.S. plan goes ahead.",  # 2
    "The US plan goes ahead.",  # 3
    "Russia objects.",  # 4
    "Let us talk.",  # 5
    "An anti-missile shield.",  # 6
    "An antimissile shield.",  # 7
    "An anti missile shield.",  # 8
    "We organise talks.",  # 9
    "We organize talks.",  # 10
    "Russia\u2019s position.",  # 11
    "Russia's position.",  # 12
    "A US-led programme.",  # 13
    "A U.S.A. program.",  # 14
    "The EU agrees; Europe waits.",  # 15
    "A prize, and a surprise.",  # 16
]


def frame() -> pd.DataFrame:
    """The positions frame of one position per quote above."""
    doc = {
        "title": "Spelling",
        "actors": [{"id": "RUS", "name": "Russia"}],
        "issues": [{"id": "bmd", "title": "Missile defence", "question": "It should go ahead."}],
        "sources": [{"id": "src", "publisher": "Example"}],
        "positions": [
            {"actor": "RUS", "issue": "bmd", "stance": 0, "date": "2013", "speaker": "S", "role": "R"}
            | {"voice": "official", "quote": quote, "source": "src"}
            for quote in QUOTES
        ],
    }
    dataset = parse_dataset(yaml.safe_dump(doc, allow_unicode=True), label="spelling.yaml", today=dt.date(2025, 1, 1))
    assert not dataset.errors, [p.format() for p in dataset.errors]
    return analysis.positions_frame(dataset)


def found(query: str) -> list[int]:
    """Which of QUOTES a query finds (by index), searching the quote only."""
    rows = frame()
    for column in analysis.SEARCH_FIELDS:
        if column != "quote":
            rows[column] = "x"  # keep the hits to the quotes
    return [QUOTES.index(q) for q in analysis.search_quotes(rows, query)["quote"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("defence", [0, 1]),
        ("DEFENSE", [0, 1]),
        ("us", [2, 3, 13, 14]),  # not "Russia", not "let us"
        ("U.S.", [2, 3, 13, 14]),
        ("usa", [2, 3, 13, 14]),
        ("eu", [15]),  # not "Europe"
        ("anti-missile", [6, 7, 8]),
        ("antimissile", [6, 7, 8]),
        ("anti missile", [6, 7, 8]),  # two words, each found
        ("organise", [9, 10]),
        ("organize", [9, 10]),
        ("prize", [16]),  # not "surprise": -ise/-ize needs four letters before it
        ("russia's", [11, 12]),
        ("russia\u2019s", [11, 12]),
        ("programme", [13, 14]),
        ("program", [13, 14]),
        ("russia", [4, 11, 12]),
    ],
)
def test_search_finds_spelling_variants_together(query: str, expected: list[int]) -> None:
    assert found(query) == expected


def test_search_without_arrow_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    queries = ["defence", "us", "u.s.", "eu", "anti-missile", "organise", "russia's", "prize", "program"]
    with_arrow = {q: found(q) for q in queries}
    monkeypatch.setattr(analysis, "pc", None)
    assert {q: found(q) for q in queries} == with_arrow
    assert with_arrow["us"] == [2, 3, 13, 14]


@pytest.mark.parametrize(
    ("word", "spellings"),
    [
        ("defences", ("defences", "defenses")),
        ("programmes", ("programmes", "programs")),  # not "programmeme"
        ("organisation", ("organisation", "organization")),
        ("realised", ("realised", "realized")),
        ("size", ("size",)),
        ("un-", ("un-",)),  # a hyphen at the end joins nothing
        ("counter-force", ("counter-force", "counter force", "counterforce")),
        ("nonproliferation", ("nonproliferation", "non-proliferation", "non proliferation")),
        ("none", ("none",)),  # a prefix needs four letters after it
    ],
)
def test_variants_of_a_word(word: str, spellings: tuple[str, ...]) -> None:
    assert spelling.variants(word) == spelling.Variants(spellings)


def test_abbreviations_are_words_in_capitals() -> None:
    import re

    pattern = spelling.variants("u.k.").abbreviation
    assert pattern is not None
    assert [bool(re.search(pattern, t)) for t in ("UK", "the U.K.", "UK-wide", "UKRAINE", "uk", "a UKx")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_many_hyphens_stay_a_few_searches() -> None:
    assert len(spelling.variants("-".join(["anti"] * 30) + "'s defence").spellings) <= spelling.MAX_VARIANTS


def test_the_page_text_names_every_rule() -> None:
    text = spelling.summary()
    for british, american in spelling.SPELLINGS:
        assert f"{british}/{american}" in text
    for forms in spelling.ABBREVIATIONS.values():
        assert ", ".join(forms) in text
    for prefix in spelling.PREFIXES:
        assert f"{prefix}-" in text
    assert "-ise/-ize" in text and "accents" in text and "apostrophes" in text
