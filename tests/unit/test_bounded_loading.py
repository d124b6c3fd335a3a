"""Any file under the caps is read in bounded time and memory (issue 18): the reference reading
composes at most MAX_REFERENCE_NODES values, whole or of the records the fast path doubts; a file
over MAX_NODES is refused before any parser builds it; Windows line ends take the fast path.

The limits are made small here so that each case takes milliseconds; the full-size files and
their times and peaks are in ``python tests/unit/test_hostile_files.py`` and docs/security.md.
"""

from __future__ import annotations

import pytest

from stances import compose, fastload, load, textscan
from stances.generate import generate
from stances.load import parse_dataset
from stances.problems import MAX_PROBLEMS

pytestmark = pytest.mark.skipif(not fastload.available(), reason="needs yaml-rs for the fast path")


@pytest.fixture
def reference_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size (characters) of every text the reference composes."""
    sizes: list[int] = []
    real = compose.compose_yaml

    def spy(text: str, label: str, **kwargs: object):
        sizes.append(len(text))
        return real(text, label, **kwargs)

    monkeypatch.setattr(load, "compose_yaml", spy)
    monkeypatch.setattr(fastload, "compose_yaml", spy)
    return sizes


def small_budget(monkeypatch: pytest.MonkeyPatch, values: int) -> None:
    monkeypatch.setattr(load, "MAX_REFERENCE_NODES", values)
    monkeypatch.setattr(fastload, "MAX_REFERENCE_NODES", values)


def test_a_file_that_needs_the_reference_for_more_than_its_budget_is_refused(monkeypatch) -> None:
    text = generate(60, 3).replace('quote: "', 'quote: "\t', 1)  # a tab: the fast path steps aside
    assert not parse_dataset(text).problems  # read whole by the reference
    small_budget(monkeypatch, 1000)  # 60 positions are about 1,300 values
    [problem] = parse_dataset(text).problems
    assert problem.type == "file-too-large"
    # where the tab is, so that a tab typed into one quote of a large file is found at once
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "\t" in row)
    column = text.splitlines()[line - 1].index("\t") + 1
    assert (problem.line, problem.column) == (line, column)
    assert problem.message.startswith(f"line {line} holds a tab (column {column}), so the whole file needs")
    assert "more than 1,000 values need the careful reading" in problem.message
    assert problem.hint.startswith(f"replace the tab at line {line} with spaces; or ")
    assert "validate a part of the file" in problem.hint


def test_a_refusal_without_a_tab_or_control_character_names_no_line(monkeypatch) -> None:
    text = generate(60, 3).replace("- id:", "- &a id:", 1)  # an anchor: careful reading, no tab to point at
    small_budget(monkeypatch, 1000)
    [problem] = parse_dataset(text).problems
    assert problem.type == "file-too-large" and problem.line is None
    assert problem.message.startswith("more than 1,000 values need the careful reading")


def test_another_character_that_needs_the_careful_reading_is_named_by_its_code_point(monkeypatch) -> None:
    text = generate(60, 3).replace('quote: "', 'quote: "\u2028', 1)
    small_budget(monkeypatch, 1000)
    [problem] = parse_dataset(text).problems
    assert "holds the character U+2028" in problem.message and problem.hint.startswith("remove the character U+2028")


def test_the_records_the_fast_path_doubts_count_against_the_budget(monkeypatch, reference_reads) -> None:
    """1.3 million one-key records took 50 s and 3.8 GB: the fast path read them all, then the
    reference composed every one of them on the masked copy."""
    text = "positions:\n" + "- a: 1\n" * 3000
    small_budget(monkeypatch, 1000)
    [problem] = parse_dataset(text).problems
    assert problem.type == "file-too-large"
    assert reference_reads == [len(text)]  # never a masked copy: the fast path stopped counting first


def test_a_few_doubtful_records_are_still_read_by_the_reference(monkeypatch) -> None:
    text = generate(3000, 5).replace("voice: official", "voice: oficial", 3)
    small_budget(monkeypatch, 1000)  # far less than the file, more than three records and their neighbours
    problems = parse_dataset(text).problems
    assert [p.type for p in problems] == ["invalid-value"] * 3


def test_more_values_than_the_file_cap_are_refused_before_yaml_rs_builds_them(monkeypatch) -> None:
    """A 62 MB text of ``1,`` (31 million values) took 1.6 GB in yaml-rs's tree before its size
    was checked; 7 million records in braces 20 s of scanning for their depth."""
    monkeypatch.setattr(fastload, "MAX_NODES", 1000)
    monkeypatch.setattr(load, "MAX_NODES", 1000)
    small_budget(monkeypatch, 500)
    whole: list[int] = []
    real = fastload._yaml_rs_loads
    monkeypatch.setattr(fastload, "_yaml_rs_loads", lambda text, **kw: whole.append(len(text)) or real(text, **kw))
    dense = "positions: [" + "1," * 2000 + "1]\n"
    [problem] = parse_dataset(dense).problems
    assert problem.type == "file-too-large" and whole == []
    braces = "positions:\n" + "- {a: 1}\n" * 1500  # 1,500 brackets: the depth needs a pass of events
    [problem] = parse_dataset(braces).problems
    assert problem.type == "file-too-large"
    assert problem.message == "the YAML holds more than 1,000 values; the loader reads at most that many"


def test_the_record_scan_refuses_a_section_longer_than_the_values_allow() -> None:
    text = "positions:\n" + "- a: 1\n" * 50
    assert len(textscan.section_records(text, "positions", limit=50).spans) == 50
    with pytest.raises(textscan.Doubt):
        textscan.section_records(text, "positions", limit=49)


def test_windows_line_ends_take_the_fast_path(reference_reads: list[int]) -> None:
    """A 100,000-position file with CRLF line ends took the reference reading: 23 s and 1.5 GB."""
    text = generate(300, 7)
    crlf = parse_dataset(text.replace("\n", "\r\n").encode())
    assert reference_reads == []
    lf = parse_dataset(text.encode())
    assert crlf.positions == lf.positions
    assert [(p.line, p.column) for p in crlf.positions] == [(p.line, p.column) for p in lf.positions]
    assert crlf.content_hash != lf.content_hash  # the hash is of the bytes as saved


def test_windows_line_ends_keep_problem_places() -> None:
    text = generate(50, 2).replace("voice: official", "voice: oficial", 1).replace("stance: 1\n", "stance: x\n", 1)
    crlf = parse_dataset(text.replace("\n", "\r\n"), fast=False)
    lf = parse_dataset(text, fast=False)
    assert [(p.type, p.line, p.column, p.message) for p in crlf.problems] == [
        (p.type, p.line, p.column, p.message) for p in lf.problems
    ]
    assert crlf.problems


def test_past_the_listing_limit_problems_are_only_counted() -> None:
    text = "positions:\n" + "  - {actor: RUS}\n" * (MAX_PROBLEMS // 2)
    dataset = parse_dataset(text)
    assert len(dataset.problems) == MAX_PROBLEMS + 1
    assert "more problems were found" in dataset.problems[-1].message
