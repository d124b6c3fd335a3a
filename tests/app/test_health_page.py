"""Data health under AppTest: every problem with file:line:column, counts, ties, the clean state."""

from __future__ import annotations

import shutil

from apphelpers import AS_OF, REPO, messages, open_page

from stances.load import load_dataset

PAGE = "pages/health_page.py"


def test_every_problem_is_listed_with_its_position(use_dataset):
    path = use_dataset("broken.yaml")
    dataset = load_dataset(path)
    at = open_page(PAGE, {"asof": AS_OF})
    problems = at.dataframe[0].value
    assert problems["where"].tolist() == [p.where for p in dataset.problems]
    assert problems["where"].tolist()[0] == f"{path}:29:13"
    assert problems["type"].tolist() == ["out-of-range", "invalid-date", "unknown-key"]
    assert problems["hint"].tolist()[2] == "did you mean 'speaker'?"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Valid positions"] == "2"
    assert metrics["Problems"] == "3"


def test_a_clean_file_says_so(use_dataset):
    use_dataset("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    assert any("No problems" in m for m in messages(at, "success"))
    assert len(at.dataframe) == 0


def test_ties_are_listed(use_dataset, tmp_path):
    tie = tmp_path / "tie.yaml"
    shutil.copyfile(REPO / "tests" / "data" / "problems" / "tie.yaml", tie)
    use_dataset(tie)
    at = open_page(PAGE, {"asof": AS_OF})
    ties = at.dataframe[1].value
    assert len(ties) == 1
    assert "the one later in the file wins" in ties["message"].iloc[0]


def test_shows_the_file_as_saved_while_pages_keep_the_last_valid_version(temp_copy):
    path = temp_copy("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    path.write_text("actors: [\n", encoding="utf-8")
    import os

    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))
    at.run()
    problems = at.dataframe[0].value
    assert problems["type"].tolist() == ["yaml-syntax"]
    assert any(w.startswith("Showing the last valid version") for w in messages(at, "warning"))
