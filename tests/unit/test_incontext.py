"""A quote in its source's context: the choices under a chart and the paragraph around the quote."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from stances import analysis, incontext
from stances.load import load_dataset
from stances.model import Dataset

JOINT = Path(__file__).parents[1] / "data" / "joint" / "valid.yaml"
ARCHIVE = """source: s1
url: https://example.org/a
publisher: Example
retrieved: test
---
First paragraph, about something else.

Moscow and Beijing said the plan is “deeply destabilizing” in a joint statement.
[...]
Later, the President spoke of a shield for the country.
"""


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    path = tmp_path / "positions.yaml"
    shutil.copyfile(JOINT, path)
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "s1.txt").write_text(ARCHIVE, encoding="utf-8")
    return load_dataset(path, today=dt.date(2026, 1, 1))


def test_choices_list_each_position_once_newest_first(dataset: Dataset) -> None:
    frame = analysis.positions_frame(dataset)
    options = incontext.choices(frame)
    assert list(options) == [1, 0, 2]  # 2025-05-20, 2025-05-08, 2024; the joint rows once each
    assert options[0] == "Russia, China (joint statement) · Golden Dome · 2025-05-08: “deeply destabilizing”"
    assert options[1] == "United States · Golden Dome · 2025-05-20: “a shield”"
    assert list(incontext.choices(frame, limit=2)) == [1, 0]
    assert incontext.choices(frame.iloc[0:0]) == {} and incontext.choices(None) == {}


def test_long_quotes_are_shortened_in_labels(dataset: Dataset) -> None:
    frame = analysis.positions_frame(dataset)
    frame.loc[2, "quote"] = "word " * 40
    label = incontext.choices(frame)[1]
    assert label.endswith("…”") and len(label) < 120


def test_the_paragraph_is_split_around_the_quote(dataset: Dataset) -> None:
    shown = incontext.in_context(dataset, 0)
    assert shown.missing == ""
    assert (shown.before, shown.quote, shown.after) == (
        "Moscow and Beijing said the plan is “",
        "deeply destabilizing",
        "” in a joint statement.",
    )
    assert shown.heading == "Example" and shown.url is None


def test_a_quote_not_in_the_archive_says_so(dataset: Dataset) -> None:
    shown = incontext.in_context(dataset, 2)  # "three signatories" is not in the text
    assert (shown.before, shown.quote, shown.after) == ("", "", "")
    assert "not found in the archived text" in shown.missing and "verify" in shown.missing


def test_a_source_without_an_archive_says_so(dataset: Dataset, tmp_path: Path) -> None:
    (tmp_path / "evidence" / "s1.txt").unlink()
    shown = incontext.in_context(dataset, 1)
    assert (shown.before, shown.quote, shown.after) == ("", "", "")
    assert shown.missing.startswith("The source's text is not in the evidence archive")


def test_labels_are_distinct_even_for_positions_alike(dataset: Dataset) -> None:
    frame = analysis.positions_frame(dataset)
    twice = pd.concat([frame, frame.assign(order=frame["order"] + 10)], ignore_index=True)
    labels = list(incontext.choices(twice).values())
    assert len(labels) == len(set(labels)) == 6


def test_an_unreadable_archive_says_why(dataset: Dataset, tmp_path: Path) -> None:
    (tmp_path / "evidence" / "s1.txt").write_text("no header line here\n", encoding="utf-8")
    shown = incontext.in_context(dataset, 1)
    assert shown.quote == "" and shown.missing.startswith("The source's archived text cannot be read (")
