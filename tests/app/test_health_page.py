"""Data health under AppTest: every problem with file:line:column, counts, ties, the clean state."""

from __future__ import annotations

import json
import shutil

from apphelpers import AS_OF, REPO, messages, open_page

from stances import tableviews
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
    assert problems["problem"].tolist()[2].endswith("unknown key 'speeker'; did you mean 'speaker'?")
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
    assert "the one later in the file wins" in ties["problem"].iloc[0]


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


def test_a_long_message_and_its_hint_are_shown_whole(use_dataset, tmp_path):
    """Cut to one line, the hint (what to write instead) was out of view: rows grow to hold it."""
    broken = tmp_path / "slip.yaml"
    text = (REPO / "positions.yaml").read_text(encoding="utf-8")
    start = text.index('    quote: "', text.index("\npositions:"))
    end = text.index("\n", start)
    quote = text[start + len('    quote: "') : end - 1]
    broken.write_text(text[:start] + "    quote: " + quote + ": it goes on" + text[end:], encoding="utf-8")
    use_dataset(broken)
    at = open_page(PAGE, {"asof": AS_OF})
    table = at.dataframe[0]
    problem = table.value.iloc[0]
    assert problem["type"] == "yaml-syntax"
    assert problem["problem"].endswith("double quotes")  # what to write instead, after what is wrong
    assert table.proto.row_height > 40  # taller than one line (35 px): the message wraps whole
    config = json.loads(table.proto.columns)
    assert config["problem"]["width"] == tableviews.PROBLEM_TEXT_WIDTH_PX
    # where and the problem side by side within the main column of a 1024 px window (564 px)
    assert config["where"]["width"] + config["problem"]["width"] <= 564


def test_each_message_names_its_record_as_a_person_counts_it(use_dataset):
    """ "the 3rd position (positions[2].speeker)", as on the command line, not only a line number."""
    path = use_dataset("broken.yaml")
    dataset = load_dataset(path)
    at = open_page(PAGE, {"asof": AS_OF})
    shown = at.dataframe[0].value["problem"].tolist()
    assert shown == [f"{p.named_loc}: {p.message}; {p.hint}" for p in dataset.problems]
    assert shown[2] == "the 3rd position (positions[2].speeker): unknown key 'speeker'; did you mean 'speaker'?"
