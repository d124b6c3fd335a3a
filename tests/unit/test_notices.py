"""What the dashboard says about the data on show and the link that opened it: exact texts, with
file and user text escaped wherever Streamlit reads Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stances import notices
from stances.load import load_dataset, parse_dataset

DATA = Path(__file__).parents[1] / "data"


def test_the_stale_banner_names_the_file_and_when_the_version_on_show_was_saved():
    text = notices.stale_banner("positions.yaml", dt.datetime(2026, 1, 2, 9, 5, 59))
    assert text == "Showing the last valid version of positions\\.yaml (saved 09:05)."
    assert notices.stale_banner("a.yaml", None).endswith("(saved earlier).")


def test_the_problems_banner_counts_them():
    assert notices.problems_banner("positions.yaml", 1) == (
        "positions\\.yaml has 1 error: the records with errors are left out."
    )
    assert notices.problems_banner("p.yaml", 3).startswith("p\\.yaml has 3 errors:")
    assert notices.error_count(2) == "2 errors"


def test_a_file_name_cannot_inject_markdown():
    text = notices.stale_banner("**x**[y](javascript:z).yaml", None)
    assert "**" not in text.replace("\\*", "") and "\\[y\\]\\(javascript\\:z\\)" in text


def test_problem_lines_are_the_cli_lines_up_to_a_limit():
    dataset = parse_dataset(b"title: [\n", label="a.yaml")
    assert notices.problem_lines(dataset) == "\n".join(p.format() for p in dataset.problems)
    assert notices.problem_lines(dataset).startswith("a.yaml:")
    many = load_dataset(DATA / "datasets" / "broken.yaml", cache=False)
    assert len(many.problems) > 2
    lines = notices.problem_lines(many, limit=2).split("\n")
    assert lines[:2] == [p.format() for p in many.problems[:2]]
    assert lines[2:] == [f"... and {len(many.problems) - 2} more (see Data health)"]


def test_a_link_from_another_revision_is_named():
    assert notices.older_link("0000000", "bf6ba15") == (
        "This link was made with an older revision of the data (0000000); "
        "the page shows the current revision (bf6ba15), so values may differ."
    )


def test_an_ignored_part_of_a_link_repeats_at_most_five_values_clipped():
    assert notices.ignored("actors", ["XXX", "YYY"], "not in this dataset") == "actors=XXX, YYY: not in this dataset"
    many = notices.ignored("q", [str(n) for n in range(7)], "why")
    assert many == "q=0, 1, 2, 3, 4 ...: why"
    long = notices.ignored("q", ["x" * 100], "why")
    assert long == f"q={'x' * 39}…: why"


def test_the_ignored_banner_joins_and_escapes_the_parts():
    text = notices.ignored_banner(["issues=**bold**: not in this dataset", "asof=2099-01-01: not a date"])
    assert text.startswith("Part of this link was ignored: issues\\=\\*\\*bold\\*\\*\\: not in this dataset; ")
    assert text.endswith(".")


def test_the_dataset_lines_give_title_revision_and_counts():
    dataset = load_dataset(DATA / "valid.yaml", cache=False)
    assert notices.dataset_lines(dataset) == (
        f"{dataset.title}\nRevision {dataset.revision}\n2 positions · 2 actors · 1 issue · 1 source"
    )
