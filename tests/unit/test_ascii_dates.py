"""Dates are written in ASCII digits: Python's int() and the \\d of its regular expressions accept
any Unicode decimal digit, so ``٢٠٢٠-٠١-٠٥`` (Arabic-Indic) and ``２０２０`` (full width) were read as
dates; the JSON Schema refuses them, and so does the loader now, saying which digits to write."""

from __future__ import annotations

import pytest

from stances.hints import propose_date
from stances.load import parse_dataset
from stances.model import normalise_partial_date
from stances.schema import schema_dict

ARABIC_INDIC = "٢٠٢٠-٠١-٠٥"  # 2020-01-05
FULL_WIDTH = "２０２０"  # 2020
DEVANAGARI_MONTH = "२०२०-०१"  # 2020-01
MIXED = "2020-٠١-05"


@pytest.mark.parametrize("text", [ARABIC_INDIC, FULL_WIDTH, DEVANAGARI_MONTH, MIXED])
def test_the_model_refuses_dates_in_other_digits(text: str) -> None:
    with pytest.raises(ValueError, match="digits other than 0-9"):
        normalise_partial_date(text)


def test_ascii_dates_are_still_read() -> None:
    assert [normalise_partial_date(t) for t in ("2020", "2020-01", "2020-01-05", 2020)] == [
        "2020",
        "2020-01",
        "2020-01-05",
        "2020",
    ]


@pytest.mark.parametrize(
    ("text", "proposal"),
    [(ARABIC_INDIC, "2020-01-05"), (FULL_WIDTH, "2020"), (DEVANAGARI_MONTH, "2020-01"), (MIXED, "2020-01-05")],
)
def test_the_hint_proposes_the_date_in_ascii_digits(text: str, proposal: str) -> None:
    assert propose_date(text) == proposal


def dataset_with(date: str, source_date: str = "2013-04-05") -> bytes:
    return f"""
actors:
  - {{id: RUS, name: Russia}}
issues:
  - {{id: bmd, title: Missile defence, question: Should it go ahead?}}
sources:
  - {{id: src, publisher: P, title: T, date: "{source_date}", url: "https://example.org"}}
positions:
  - actor: RUS
    issue: bmd
    stance: 1
    date: "{date}"
    speaker: S
    role: R
    voice: official
    quote: Q
    source: src
""".encode()


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "reference path"])
@pytest.mark.parametrize(("text", "proposal"), [(ARABIC_INDIC, "2020-01-05"), (FULL_WIDTH, "2020")])
def test_the_loader_reports_other_digits_with_the_ascii_date(text: str, proposal: str, fast: bool) -> None:
    dataset = parse_dataset(dataset_with(text), fast=fast)
    assert dataset.positions == []
    [problem] = dataset.problems
    assert (problem.type, problem.loc, problem.line) == ("invalid-date", "positions[0].date", 12)
    assert problem.message == f"'{text}' is written with digits other than 0-9"
    assert problem.hint.endswith(f"write the digits 0-9; did you mean {proposal}?")


def test_a_source_date_in_other_digits_is_refused_too() -> None:
    dataset = parse_dataset(dataset_with("2020", source_date=FULL_WIDTH + "-01"))
    assert [(p.type, p.loc) for p in dataset.problems] == [("invalid-date", "sources[0].date")]


def test_the_schema_pattern_is_ascii_for_every_validator() -> None:
    """JSON Schema's \\d is ASCII (ECMA-262) but Python's is not: the pattern says [0-9]."""
    jsonschema = pytest.importorskip("jsonschema")
    [date_schema] = [
        option
        for option in schema_dict()["$defs"]["Position"]["properties"]["date"]["anyOf"]
        if option.get("type") == "string"
    ]
    for text, valid in ((ARABIC_INDIC, False), (FULL_WIDTH, False), ("2020-01-05", True)):
        assert jsonschema.Draft202012Validator(date_schema).is_valid(text) is valid, text
