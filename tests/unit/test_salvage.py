"""A syntax error hides only its record (stances.salvage): every record that parses is kept.

Each test breaks a file the way a hurried edit does (': ' in unquoted text, a quote left open, a
bracket) and checks what both load paths keep, what they report and where, what ``validate``
counts and that ``add`` refuses to write onto such a file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from stances import fastload, salvage
from stances.cli import main
from stances.generate import generate
from stances.load import parse_dataset
from stances.model import SECTIONS, Dataset

TODAY = dt.date(2026, 1, 1)
COLON_HINT = "text containing ': ' must be put in double quotes"
COLON_MESSAGE = "mapping values are not allowed in this context"


def position(actor: str, stance: int, quote: str, date: str = "2013") -> str:
    return (
        f"  - actor: {actor}\n    issue: bmd\n    stance: {stance}\n    date: {date}\n    speaker: Someone\n"
        f"    role: Minister\n    voice: official\n    quote: {quote}\n    source: src\n"
    )


# three records in every list (a first, a middle and a last), written as people write them
TEXT = (
    'title: "Fixture: three of everything"\n'
    "actors:\n"
    "  - id: RUS\n    name: Russia\n    kind: country\n"
    "  - id: CHN\n    name: China\n    kind: country\n"
    "  - id: USA\n    name: United States\n    kind: country\n"
    "issues:\n"
    "  - id: bmd\n    title: Missile defence in Europe\n    question: The system should go ahead.\n"
    "  - id: thaad\n    title: THAAD in Korea\n    question: THAAD should be deployed.\n"
    "  - id: abm\n    title: ABM withdrawal\n    question: The withdrawal was right.\n"
    "sources:\n"
    "  - id: src\n    publisher: Example Publisher\n"
    "  - id: src2\n    publisher: Second Publisher\n"
    "  - id: src3\n    publisher: Third Publisher\n"
    "positions:\n"
    + position("RUS", -2, '"We feel no euphoria."', "2013-03")
    + position("CHN", 0, "We have noted the reports.", "2013-04")
    + position("USA", 2, '"We will go ahead."', "2013-05")
)
LINES = TEXT.splitlines()


def snapshot(dataset: Dataset) -> dict[str, Any]:
    records = {s: [(r.model_dump(), r.line, r.column) for r in getattr(dataset, s)] for s in SECTIONS}
    return {"title": dataset.title, "records": records, "problems": [p.to_dict() for p in dataset.problems]}


def read(text: str, label: str = "t.yaml") -> Dataset:
    """``text`` read by both load paths, which must agree."""
    fast = parse_dataset(text, label=label, today=TODAY)
    reference = parse_dataset(text, label=label, today=TODAY, fast=False)
    assert snapshot(fast) == snapshot(reference)
    return fast


def broken(line: str, new: str, text: str = TEXT) -> str:
    """``text`` with the first line written exactly ``line`` replaced by ``new``."""
    lines = text.splitlines(keepends=True)
    index = [old.rstrip("\n") for old in lines].index(line)
    lines[index] = new + "\n"
    return "".join(lines)


def line_of(text: str, line: str) -> int:
    return text.splitlines().index(line) + 1


def ids(dataset: Dataset) -> dict[str, list[str]]:
    return {
        "actors": [a.id for a in dataset.actors],
        "issues": [i.id for i in dataset.issues],
        "sources": [s.id for s in dataset.sources],
        "positions": [p.actor for p in dataset.positions],
    }


FULL = {
    "actors": ["RUS", "CHN", "USA"],
    "issues": ["bmd", "thaad", "abm"],
    "sources": ["src", "src2", "src3"],
    "positions": ["RUS", "CHN", "USA"],
}
# per list, the line of each record to break with ': ' in plain text (never the id: see below)
TARGETS = {
    "actors": ["    name: Russia", "    name: China", "    name: United States"],
    "issues": [
        "    question: The system should go ahead.",
        "    question: THAAD should be deployed.",
        "    question: The withdrawal was right.",
    ],
    "sources": [
        "    publisher: Example Publisher",
        "    publisher: Second Publisher",
        "    publisher: Third Publisher",
    ],
    "positions": ["    role: Minister"] * 3,
}


def test_the_fixture_is_valid() -> None:
    dataset = read(TEXT)
    assert dataset.problems == [] and ids(dataset) == FULL


@pytest.mark.parametrize("which", [0, 1, 2], ids=["first", "middle", "last"])
@pytest.mark.parametrize("section", SECTIONS)
def test_a_syntax_error_in_one_record_hides_only_that_record(section: str, which: int) -> None:
    lines = TEXT.splitlines(keepends=True)
    # the target line of the chosen record: the n-th occurrence after the list's key line
    start = lines.index(f"{section}:\n")
    at = [i for i in range(start, len(lines)) if lines[i].rstrip("\n") == TARGETS[section][which]][
        which if section == "positions" else 0
    ]
    before = lines[at].rstrip("\n")
    lines[at] = before + ": said the minister\n"  # an unquoted ': ' in the text
    dataset = read("".join(lines))
    expected = {name: list(found) for name, found in FULL.items()}
    del expected[section][which]
    assert ids(dataset) == expected  # references to the broken record's id still hold (read before the error)
    [problem] = dataset.problems
    assert (problem.type, problem.line, problem.column) == ("yaml-syntax", at + 1, len(before) + 1)
    assert problem.loc == f"{section}[{which}]"
    assert (problem.message, problem.hint) == (COLON_MESSAGE, COLON_HINT)
    assert problem.format().startswith(f"t.yaml:{at + 1}:{len(before) + 1}: error[yaml-syntax] the ")


def test_the_colon_case_gives_its_hint_at_its_place_in_the_whole_file() -> None:
    text = broken("    quote: We have noted the reports.", "    quote: He said: we have noted the reports.")
    [problem] = read(text).problems
    assert problem.format() == (
        f"t.yaml:{line_of(text, '    quote: He said: we have noted the reports.')}:19: error[yaml-syntax] "
        f"the 2nd position (positions[1]): {COLON_MESSAGE}; {COLON_HINT}"
    )


def test_a_broken_title_or_scale_hides_only_itself() -> None:
    title = read(broken('title: "Fixture: three of everything"', "title: Fixture: three of everything"))
    assert ids(title) == FULL and title.title == "t.yaml"  # the file's name, as without a title
    assert [(p.type, p.line, p.loc) for p in title.problems] == [("yaml-syntax", 1, "title")]
    scale = "scale:\n  -1: against: it\n  0: unsure\n  1: for\n"
    dataset = read(TEXT.replace("actors:\n", scale + "actors:\n", 1))
    assert [(p.type, p.line, p.loc) for p in dataset.problems[:1]] == [("yaml-syntax", 3, "scale")]
    # the default scale stands in, as for any unusable scale: a stance off it is reported, not hidden
    assert dataset.scale.labels[2] == "strongly supports" and ids(dataset) == FULL


def test_an_id_that_cannot_be_read_is_reported_where_it_is_used() -> None:
    dataset = read(broken("  - id: CHN", "  - id: CHN: China"))
    assert ids(dataset)["actors"] == ["RUS", "USA"]
    assert [(p.type, p.loc) for p in dataset.problems] == [
        ("yaml-syntax", "actors[1]"),
        ("unknown-reference", "positions[1].actor"),  # said, not lost silently
    ]


def test_an_unclosed_quote_is_reported_where_it_opens_and_the_records_it_swallows_are_kept() -> None:
    # libyaml reads the quote on over the next record and stops in the one after; each record
    # read on its own shows which one is broken
    text = broken('    quote: "We feel no euphoria."', '    quote: "We feel no euphoria.')
    dataset = read(text)
    at = line_of(text, '    quote: "We feel no euphoria.')
    assert ids(dataset)["positions"] == ["CHN", "USA"] and ids(dataset)["actors"] == FULL["actors"]
    [problem] = dataset.problems
    assert (problem.line, problem.column, problem.loc) == (at, 12, "positions[0]")
    assert "a quote is not closed" in problem.hint
    # as libyaml reads the whole file: one error, in the last record, and nothing kept
    unread = parse_dataset(text, label="t.yaml", today=TODAY, recover=False)
    assert unread.positions == [] and unread.problems[0].line > line_of(text, "  - actor: USA")


def test_a_quote_closed_by_the_next_value_of_its_record_is_that_record_only() -> None:
    text = broken("    role: Minister", '    role: "Minister')
    dataset = read(text)
    assert ids(dataset)["positions"] == ["CHN", "USA"]
    [problem] = dataset.problems  # where libyaml stops inside the record: after the quote it closed
    assert problem.loc == "positions[0]" and problem.line == line_of(text, '    quote: "We feel no euphoria."')


def test_an_unclosed_quote_in_the_last_record_runs_to_the_end() -> None:
    text = TEXT.replace('    quote: "We will go ahead."', '    quote: "We will go ahead.')
    dataset = read(text)
    assert ids(dataset)["positions"] == ["RUS", "CHN"]
    assert [(p.loc, p.column) for p in dataset.problems] == [("positions[2]", 12)]


def test_block_scalars_and_multi_line_quotes_stay_within_their_record() -> None:
    folded = "    quote: >-\n      Folded: with a colon\n      - and a dash\n"
    literal = "    quote: |\n      line one: yes\n  - not a record\n".replace("\n  - not", "\n      - not")
    plain = "    quote: A plain quote\n      that runs on\n"
    double = '    quote: "A quoted text\n  - whose second line looks like a record"\n'
    text = TEXT.replace("    quote: We have noted the reports.\n", folded)
    text = text.replace('    quote: "We feel no euphoria."\n', literal).replace(
        '    quote: "We will go ahead."\n', double
    )
    text += position("RUS", 1, "x", "2014").replace("    quote: x\n", plain)
    text += position("CHN", 1, "x", "2015").replace("    role: Minister", "    role: Minister: of defence")
    dataset = read(text)
    assert [p.quote for p in dataset.positions] == [
        "line one: yes\n- not a record\n",
        "Folded: with a colon - and a dash",
        "A quoted text - whose second line looks like a record",
        "A plain quote that runs on",
    ]
    [problem] = dataset.problems
    assert problem.loc == "positions[4]"


def test_an_error_inside_a_record_with_multi_line_quotes_hides_that_record_whole() -> None:
    double = '    quote: "A quoted text\n  - whose second line looks like a record"\n    note: a: b\n'
    text = TEXT.replace("    quote: We have noted the reports.\n", double)
    dataset = read(text)
    assert ids(dataset)["positions"] == ["RUS", "USA"]
    [problem] = dataset.problems
    assert problem.loc == "positions[1]" and problem.line == line_of(text, "    note: a: b")


def test_a_list_in_brackets_is_read_whole() -> None:
    # the chosen behaviour: a list written in brackets is one unit (its items are not cut apart);
    # an error in it leaves all of it out, and the rest of the file is kept
    fields = "issue: bmd, stance: 1, date: 2013, speaker: A, role: B, voice: official, source: src"
    flow = f'positions: [{{actor: RUS, {fields}, quote: "Q"}},\n  {{actor: CHN, {fields}, quote: a: b}}]\n'
    dataset = read(TEXT[: TEXT.index("positions:")] + flow)
    assert ids(dataset) == {**FULL, "positions": []}
    [problem] = dataset.problems
    assert (problem.type, problem.loc, problem.line) == ("yaml-syntax", "positions", 30)


def test_a_record_in_braces_in_a_block_list_is_one_record() -> None:
    record = "  - {actor: CHN, issue: bmd, stance: 1, date: 2013, speaker: A, role: B, voice: official, quote: a: b}\n"
    text = TEXT + record + position("USA", 1, "Later.", "2014")
    dataset = read(text)
    assert ids(dataset)["positions"] == ["RUS", "CHN", "USA", "USA"]
    assert [p.loc for p in dataset.problems] == ["positions[3]"]


def test_records_at_column_zero_are_cut_the_same() -> None:
    text = (
        TEXT[: TEXT.index("positions:")]
        + "positions:\n"
        + "".join(
            position(a, 0, q).replace("\n  ", "\n").removeprefix("  ")
            for a, q in (("RUS", "Ok."), ("CHN", "a: b"), ("USA", "Ok."))
        )
    )
    dataset = read(text)
    assert ids(dataset)["positions"] == ["RUS", "USA"] and [p.loc for p in dataset.problems] == ["positions[1]"]


def test_windows_line_ends_are_read_alike() -> None:
    text = broken("    quote: We have noted the reports.", "    quote: He said: no").replace("\n", "\r\n")
    dataset = read(text)
    assert ids(dataset)["positions"] == ["RUS", "USA"] and [p.column for p in dataset.problems] == [19]


def test_a_control_character_hides_only_its_record_at_its_place() -> None:
    # the first slip is found by the whole file's read, the second by the read on from the first
    text = broken('    quote: "We feel no euphoria."', "    quote: We feel: no euphoria.")
    text = broken('    quote: "We will go ahead."', '    quote: "We will \x1b[2J go ahead."', text)
    dataset = read(text)
    assert ids(dataset)["positions"] == ["CHN"]
    assert [(p.loc, p.line, p.column) for p in dataset.problems] == [
        ("positions[0]", line_of(text, "    quote: We feel: no euphoria."), 19),
        ("positions[2]", line_of(text, '    quote: "We will \x1b[2J go ahead."'), 21),
    ]
    assert dataset.problems[1].message == "the character U+001B is not allowed in YAML text"


def test_a_top_level_that_is_not_intact_keeps_the_file_unread() -> None:
    # a line at column 0 that is no key of the format: nothing is guessed, the one error stands
    text = broken("    role: Minister", "He said no")
    dataset = read(text)
    assert ids(dataset) == {s: [] for s in SECTIONS} and [p.type for p in dataset.problems] == ["yaml-syntax"]
    assert salvage.split_units(text) is None


def test_aliases_that_lose_their_anchor_are_reported_too() -> None:
    # the anchor is after the error in its record, so it goes with the lines cut away
    text = TEXT.replace('    quote: "We feel no euphoria."\n', '    quote: &who "We feel no euphoria."\n', 1)
    text = text.replace("    role: Minister\n", "    role: Minister: of\n", 1)
    text = text.replace("    quote: We have noted the reports.", "    quote: *who")
    dataset = read(text)
    assert ids(dataset)["positions"] == ["USA"]
    assert [(p.type, p.loc) for p in dataset.problems] == [
        ("yaml-syntax", "positions[0]"),
        ("yaml-syntax", "positions[1]"),
    ]


def test_validate_counts_the_valid_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "positions.yaml"
    path.write_text(broken("    quote: We have noted the reports.", "    quote: He said: no"), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"error[yaml-syntax] the 2nd position (positions[1]): {COLON_MESSAGE}; {COLON_HINT}" in lines[0]
    assert lines[-1].startswith(f"{path}: 1 error (3 actors, 3 issues, 3 sources, 2 positions valid; ")


ADD = ["--actor", "RUS", "--issue", "bmd", "--stance", "1", "--date", "2014", "--speaker", "S", "--role", "R"]
ADD += ["--voice", "official", "--quote", "Q", "--source", "src"]


def test_add_refuses_to_append_to_a_file_with_a_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "positions.yaml"
    text = broken("    quote: We have noted the reports.", "    quote: He said: no")
    path.write_text(text, encoding="utf-8")
    at = line_of(text, "    quote: He said: no")
    assert main(["add", "--file", str(path), *ADD]) == 2
    err = capsys.readouterr().err
    refusal = "add never writes onto a file it cannot read whole."
    assert err.startswith(f"error: positions.yaml has a YAML syntax error at line {at}: {refusal}"), err
    assert f"{path}:{at}:19: error[yaml-syntax]" in err and err.rstrip().endswith("fix this first, then add the record")
    assert path.read_text(encoding="utf-8") == text


def test_add_refuses_before_asking_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "positions.yaml"
    path.write_text(broken("    quote: We have noted the reports.", "    quote: He said: no"), encoding="utf-8")
    monkeypatch.setattr("stances.cli_add.interactive", lambda: True)

    def no_prompt(prompt: str = "") -> str:
        raise AssertionError(f"asked {prompt!r} for a record that could not be written")

    monkeypatch.setattr("builtins.input", no_prompt)
    assert main(["add", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert "has a YAML syntax error at line" in err and "the 2nd position (positions[1])" in err


def test_the_add_page_shows_the_refusal_and_the_records_that_parse(tmp_path: Path) -> None:
    from stances import addform

    path = tmp_path / "positions.yaml"
    path.write_text(broken("    quote: We have noted the reports.", "    quote: He said: no"), encoding="utf-8")
    form = addform.read_form_file(str(path))
    assert isinstance(form.layout, str) and "add never writes onto a file it cannot read whole" in form.layout
    assert len(form.dataset.positions) == 2  # its pickers offer what was read
    outcome = addform.append_form(form, {"position": {"actor": "RUS"}})
    assert outcome.kind == "error" and outcome.details == form.layout


# --- the work is bounded: each record is read about once ---------------------------------------------


def test_an_error_near_the_end_of_a_large_file_is_read_past_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = generate(600, 7)
    at = text.rindex("    role: ")
    text = text[:at] + "    role: Minister: of defence\n    x: " + text[at + len("    role: ") :]
    scanned: list[int] = []
    original = salvage.syntax_error

    def counting(stream: object) -> Any:
        exc = original(stream)
        scanned.append(len(stream) if isinstance(stream, str) else stream.served - stream.start)  # type: ignore[attr-defined]
        return exc

    monkeypatch.setattr(salvage, "syntax_error", counting)
    reads: list[str] = []
    fast_dataset = fastload.fast_dataset
    monkeypatch.setattr(fastload, "fast_dataset", lambda text, **kw: reads.append(text) or fast_dataset(text, **kw))
    dataset = parse_dataset(text, label="t.yaml", today=TODAY)
    assert len(dataset.positions) == 599 and [p.type for p in dataset.problems] == ["yaml-syntax"]
    assert sum(scanned) < len(text) // 50, scanned  # libyaml scans the broken record and what follows it
    assert len(reads) == 2  # the file as it is, then once with the broken record left out


def test_many_broken_records_are_found_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    pieces = generate(400, 8).split("\n    voice: ")
    text = "".join(piece + ("\n    voice: x: " if n % 25 == 0 else "\n    voice: ") for n, piece in enumerate(pieces))
    text = text.removesuffix("\n    voice: ")
    broken_count = text.count("\n    voice: x: ")
    assert broken_count > 10
    reads: list[str] = []
    fast_dataset = fastload.fast_dataset
    monkeypatch.setattr(fastload, "fast_dataset", lambda text, **kw: reads.append(text) or fast_dataset(text, **kw))
    dataset = parse_dataset(text, label="t.yaml", today=TODAY)
    assert len(dataset.positions) == 400 - broken_count
    assert [p.type for p in dataset.problems] == ["yaml-syntax"] * broken_count
    assert len(reads) == 2
    reference = parse_dataset(text, label="t.yaml", today=TODAY, fast=False)
    assert snapshot(reference) == snapshot(dataset)
