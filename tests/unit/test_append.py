"""Appending records to a positions file: only new lines, never a changed byte of the old ones."""

from __future__ import annotations

import codecs
import difflib
import itertools
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stances import append, atomicfile
from stances.append import (
    AppendError,
    CannotAppend,
    FileChanged,
    WritesDisabled,
    clean_records,
    plan_append,
)
from stances.load import load_dataset, parse_dataset
from stances.model import FIELD_ORDER
from stances.positionsfile import append_records, write_plan
from stances.yamltext import quote

FIXTURES = Path(__file__).parent.parent / "data" / "append"
REPO = Path(__file__).parent.parent.parent

POSITION = {
    "actor": "CHN",
    "issue": "bmd",
    "stance": 1,
    "date": "2014-05-20",
    "speaker": "Hong Lei",
    "role": "Foreign Ministry spokesperson",
    "voice": "official",
    "quote": 'We "hope" the parties\u2028concerned: act prudently # not a comment',
    "language": "zh",
    "source": "src",
    "note": "Coded 1: 'hope' is conditional support",
}
INSERTABLE = [
    "basic.yaml",
    "comments.yaml",
    "odd-indent.yaml",
    "flow.yaml",
    "empty-key.yaml",
    "missing-positions.yaml",
    "no-trailing-newline.yaml",
    "block-scalar-last.yaml",
]


def copy(name: str, tmp_path: Path, transform=None) -> Path:
    target = tmp_path / name
    data = (FIXTURES / name).read_bytes()
    target.write_bytes(transform(data) if transform else data)
    return target


def only_insertions(old: bytes, new: bytes) -> bool:
    """The old text is a prefix of the new one, or every difference is an inserted line."""
    if new.startswith(old):
        return True
    matcher = difflib.SequenceMatcher(
        None, old.splitlines(keepends=True), new.splitlines(keepends=True), autojunk=False
    )
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def assert_appended(path: Path, old: bytes, expected: dict) -> None:
    new = path.read_bytes()
    assert only_insertions(old, new), new.decode()
    dataset = load_dataset(path)
    assert dataset.errors == [], [p.format() for p in dataset.errors]
    last = dataset.positions[-1]
    for key, value in expected.items():
        assert getattr(last, key) == value, key


@pytest.mark.parametrize("name", INSERTABLE)
def test_append_only_inserts_lines_and_the_record_reads_back(name, tmp_path):
    path = copy(name, tmp_path)
    old = path.read_bytes()
    before = len(load_dataset(path).positions)

    plan = append_records(path, clean_records(POSITION))

    assert plan.valid, [p.format() for p in plan.problems]
    assert plan.changed == ()
    assert_appended(path, old, POSITION)
    assert len(load_dataset(path).positions) == before + 1


@pytest.mark.parametrize("name", ["basic.yaml", "comments.yaml", "flow.yaml", "block-scalar-last.yaml"])
def test_crlf_line_endings_are_kept(name, tmp_path):
    path = copy(name, tmp_path, lambda data: data.replace(b"\n", b"\r\n"))
    old = path.read_bytes()

    append_records(path, clean_records(POSITION))

    new = path.read_bytes()
    assert_appended(path, old, POSITION)
    assert new.count(b"\n") == new.count(b"\r\n"), "every line ends with CRLF"


def test_a_byte_order_mark_is_kept(tmp_path):
    path = copy("basic.yaml", tmp_path, lambda data: codecs.BOM_UTF8 + data)
    old = path.read_bytes()
    append_records(path, clean_records(POSITION))
    assert path.read_bytes().startswith(old)
    assert_appended(path, old, POSITION)


def test_appending_to_a_copy_of_the_bundled_positions_file(tmp_path):
    path = tmp_path / "positions.yaml"
    shutil.copyfile(REPO / "positions.yaml", path)
    old = path.read_bytes()
    before = load_dataset(path)
    assert before.positions, "the bundled dataset has positions"
    record = dict(
        POSITION,
        actor=before.actors[-1].id,
        issue=before.issues[0].id,
        source=before.sources[0].id,
        date="2001",
    )

    plan = append_records(path, clean_records(record))

    assert plan.valid, [p.format() for p in plan.problems]
    assert path.read_bytes().startswith(old)
    after = load_dataset(path)
    assert len(after.errors) == len(before.errors)
    assert after.positions[-1].quote == record["quote"]
    assert len(after.positions) == len(before.positions) + 1


def test_the_block_follows_the_list_indentation_key_order_and_quotes_every_text(tmp_path):
    plan = plan_append((FIXTURES / "odd-indent.yaml").read_bytes(), clean_records(POSITION))
    lines = plan.preview.splitlines()
    assert lines[0] == '    -   actor: "CHN"'
    assert all(line.startswith("        ") for line in lines[1:])
    assert [line.split(":")[0].strip(" -") for line in lines] == [k for k in FIELD_ORDER["positions"] if k in POSITION]
    assert "        stance: 1" in lines
    assert '        date: "2014-05-20"' in lines
    assert r'        quote: "We \"hope\" the parties\u2028concerned: act prudently # not a comment"' in lines


def test_block_numbers_name_the_inserted_lines(tmp_path):
    path = copy("comments.yaml", tmp_path)
    plan = append_records(path, clean_records(POSITION))
    (block,) = plan.blocks
    lines = path.read_text().splitlines()
    inserted = "\n".join(lines[block.first_line - 1 : block.last_line]) + "\n"
    assert inserted == plan.preview
    assert lines[block.first_line - 2] == "    source: src   # see below"
    assert lines[block.last_line] == ""  # the blank line and the draft comment stay below
    assert lines[block.last_line + 1] == "  # a draft, not yet sourced:"
    assert "added lines" in plan.describe()


def test_empty_inline_list_is_the_one_changed_line_and_it_is_reported(tmp_path):
    path = copy("empty-flow.yaml", tmp_path)
    old = path.read_text()

    plan = append_records(path, clean_records(POSITION))

    assert [(c.line, c.before, c.after) for c in plan.changed] == [
        (14, "positions: []   # add the first one below", "positions: # add the first one below")
    ]
    new = path.read_text()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    changed = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert [op[0] for op in changed] in (["replace"], ["replace", "insert"])
    assert sum(op[2] - op[1] for op in changed) == 1, "exactly one old line differs"
    assert "changed line 14" in plan.describe()
    dataset = load_dataset(path)
    assert dataset.errors == []
    assert [p.speaker for p in dataset.positions] == ["Hong Lei"]


def test_empty_inline_list_on_the_last_line_without_a_break(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes((FIXTURES / "empty-flow.yaml").read_bytes().replace(b"[]   # add the first one below\n", b"[]"))
    plan = append_records(path, clean_records(POSITION))
    assert [c.after for c in plan.changed] == ["positions:"]
    assert path.read_text().endswith('positions:\n  - actor: "CHN"\n' + plan.preview.split("\n", 1)[1])
    assert [p.speaker for p in load_dataset(path).positions] == ["Hong Lei"]


def test_flow_list_closed_on_a_content_line_is_refused_and_the_file_untouched(tmp_path):
    path = copy("flow-one-line.yaml", tmp_path)
    old = path.read_bytes()
    with pytest.raises(CannotAppend, match=r"closing '\]' after other text on line 5.*line of\s+its own"):
        append_records(path, clean_records(POSITION))
    assert path.read_bytes() == old


def test_new_actor_and_source_go_into_their_own_lists_in_the_same_write(tmp_path):
    path = copy("comments.yaml", tmp_path)
    old = path.read_bytes()
    records = clean_records(
        dict(POSITION, actor="FRA", source="elysee-2014"),
        actor={"name": "France", "kind": "country"},
        source={
            "publisher": "Élysée",
            "title": "Press conference",
            "date": "2014-05-21",
            "url": "https://example.org/a?b=1",
        },
    )

    plan = append_records(path, records)

    assert plan.valid, [p.format() for p in plan.problems]
    assert [b.section for b in plan.blocks] == ["actors", "positions", "sources"]  # in file order
    assert plan.blocks[0].text == '  - id: "FRA"\n    name: "France"\n    kind: "country"\n'
    dataset = load_dataset(path)
    assert dataset.errors == []
    assert dataset.actors[-1].id == "FRA" and dataset.actors[-1].name == "France"
    assert dataset.sources_by_id()["elysee-2014"].url == "https://example.org/a?b=1"
    assert dataset.positions[-1].actor == "FRA"
    assert only_insertions(old, path.read_bytes())


def test_missing_section_is_added_as_a_new_key(tmp_path):
    path = copy("missing-positions.yaml", tmp_path)
    old = path.read_bytes()
    plan = append_records(path, clean_records(POSITION))
    assert path.read_bytes().startswith(old)
    assert plan.preview.startswith('positions:\n    - actor: "CHN"\n      issue: "bmd"')


def test_invalid_record_is_reported_and_nothing_written(tmp_path):
    path = copy("basic.yaml", tmp_path)
    old = path.read_bytes()
    record = dict(POSITION, stance=7, actor="CNH", voice="offical", date="2013-02-30")
    del record["speaker"]

    plan = append_records(path, clean_records(record))

    assert not plan.valid
    found = sorted((p.type, p.loc) for p in plan.errors)
    assert found == [
        ("invalid-date", "positions[1].date"),
        ("invalid-value", "positions[1].voice"),
        ("missing-key", "positions[1].speaker"),
        ("out-of-range", "positions[1].stance"),
        ("unknown-reference", "positions[1].actor"),
    ]
    assert all(p.line is None for p in plan.problems), "lines of a file that was not written are not shown"
    hints = {p.type: p.hint for p in plan.errors}
    assert "did you mean CHN (China)?" in hints["unknown-reference"]
    assert "did you mean 'official'?" in hints["invalid-value"]
    assert path.read_bytes() == old
    with pytest.raises(AppendError, match="problem"):
        write_plan(plan, path)
    assert path.read_bytes() == old


def test_a_new_actor_with_an_existing_id_is_a_duplicate(tmp_path):
    plan = plan_append((FIXTURES / "basic.yaml").read_bytes(), clean_records(POSITION, actor={"name": "China again"}))
    assert [(p.type, p.loc) for p in plan.errors] == [("duplicate-id", "actors[2].id")]


def test_blank_text_counts_as_missing_and_null_stance_is_kept():
    records = clean_records(dict(POSITION, speaker="   ", note="", stance=None))
    assert "speaker" not in records["positions"] and "note" not in records["positions"]
    plan = plan_append((FIXTURES / "basic.yaml").read_bytes(), records)
    assert "    stance: null\n" in plan.preview
    assert [(p.type, p.loc) for p in plan.errors] == [("missing-key", "positions[1].speaker")]


def test_concurrent_change_is_detected_and_the_other_edit_kept(tmp_path):
    path = copy("basic.yaml", tmp_path)
    plan = plan_append(path.read_bytes(), clean_records(POSITION), label=str(path))
    edited = path.read_bytes() + b"# edited meanwhile\n"
    path.write_bytes(edited)

    with pytest.raises(FileChanged, match="changed on disk"):
        write_plan(plan, path)
    assert path.read_bytes() == edited
    with pytest.raises(FileChanged):
        append_records(path, clean_records(POSITION), expected_fingerprint=plan.fingerprint)
    assert path.read_bytes() == edited


def test_a_change_between_the_temporary_file_and_the_rename_is_detected(tmp_path, monkeypatch):
    path = copy("basic.yaml", tmp_path)
    plan = plan_append(path.read_bytes(), clean_records(POSITION), label=str(path))
    real_chmod = os.chmod

    def chmod_then_someone_edits(target, mode):
        real_chmod(target, mode)
        path.write_bytes(b"# someone else's edit\n")

    monkeypatch.setattr(atomicfile.os, "chmod", chmod_then_someone_edits)
    with pytest.raises(FileChanged):
        write_plan(plan, path)
    assert path.read_bytes() == b"# someone else's edit\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["basic.yaml"]


def test_read_only_mode_refuses_every_write(tmp_path, monkeypatch):
    path = copy("basic.yaml", tmp_path)
    old = path.read_bytes()
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    with pytest.raises(WritesDisabled, match="STANCES_READ_ONLY"):
        append_records(path, clean_records(POSITION))
    assert path.read_bytes() == old


@pytest.mark.parametrize("failing", ["exchange", "replace", "fsync", "chmod"])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), RuntimeError("injected")])
def test_a_failure_during_the_write_leaves_the_file_intact_and_no_temporary_file(tmp_path, monkeypatch, failing, error):
    path = copy("basic.yaml", tmp_path)
    old = path.read_bytes()

    def fail(*args, **kwargs):
        raise error

    if failing == "replace":  # the rename where the system cannot exchange two files in one step
        monkeypatch.setattr(atomicfile, "exchange", lambda first, second: False)
    monkeypatch.setattr(atomicfile if failing == "exchange" else atomicfile.os, failing, fail)
    with pytest.raises(AppendError if isinstance(error, OSError) else RuntimeError):
        append_records(path, clean_records(POSITION))
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["basic.yaml"]


def test_the_file_mode_is_kept_and_a_symlink_stays_a_link(tmp_path):
    path = copy("basic.yaml", tmp_path)
    path.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(path.name)
    append_records(link, clean_records(POSITION))
    assert link.is_symlink()
    assert (path.stat().st_mode & 0o777) == 0o640
    assert load_dataset(path).positions[-1].speaker == "Hong Lei"


def test_a_file_with_a_syntax_error_is_refused_with_its_position():
    with pytest.raises(CannotAppend, match=r":4:1: error\[yaml-syntax\].*fix this first"):
        plan_append(b"title: x\npositions:\n  - actor: RUS\n\tissue: bmd\n", clean_records(POSITION))


def test_a_section_that_is_not_a_list_is_refused():
    with pytest.raises(CannotAppend, match="'positions' holds a single value"):
        plan_append(b"positions: none\n", clean_records(POSITION))


def test_existing_problems_elsewhere_do_not_block_a_valid_record(tmp_path):
    data = (FIXTURES / "basic.yaml").read_bytes().replace(b"stance: -2", b"stance: 9")
    plan = plan_append(data, clean_records(POSITION))
    assert plan.valid
    after = parse_dataset(plan.new)
    assert [p.type for p in after.errors] == ["out-of-range"]
    assert after.positions[-1].speaker == "Hong Lei"


@given(st.text(max_size=60))
def test_quote_reads_back_exactly(text):
    assert yaml.load(f"q: {quote(text)}", Loader=yaml.CSafeLoader)["q"] == text
    assert "\n" not in quote(text) and "\r" not in quote(text)


def test_quote_refuses_a_lone_surrogate():
    with pytest.raises(ValueError, match="surrogate"):
        quote("a\ud800b")


def test_the_read_back_check_catches_an_insertion_that_would_change_old_records(monkeypatch):
    # simulate a bug in locating the end of the list: insert before the last line of the last record
    monkeypatch.setattr(append, "_after", lambda doc, mark, start_line: doc.starts[mark.line])
    with pytest.raises(CannotAppend, match=r"nothing written|please report"):
        plan_append((FIXTURES / "basic.yaml").read_bytes(), clean_records(POSITION))


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip()
)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from([*INSERTABLE, "empty-flow.yaml"]),
    crlf=st.booleans(),
    speaker=TEXT,
    quote_text=TEXT,
    stance=st.sampled_from([-2, -1, 0, 1, 2, None]),
)
def test_any_text_appends_and_reads_back_exactly(name, crlf, speaker, quote_text, stance):
    data = (FIXTURES / name).read_bytes()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    record = dict(POSITION, speaker=speaker, quote=quote_text, stance=stance)
    plan = plan_append(data, clean_records(record))
    assert plan.valid, [p.format() for p in plan.problems]
    assert only_insertions(data, plan.new) or plan.changed
    last = parse_dataset(plan.new).positions[-1]
    assert (last.speaker, last.quote, last.stance) == (speaker, quote_text, stance)


# The form's live preview checks only the new records; the append itself parses the whole new
# file back. Both must show the same problems for the same input.
PREVIEW_CASES = {
    "valid": {},
    "missing-fields": {"speaker": "", "quote": ""},
    "unknown-actor": {"actor": "XXX"},
    "unknown-issue-close-match": {"issue": "bdm"},
    "off-scale": {"stance": 7},
    "null-stance": {"stance": None},
    "bad-date": {"date": "2014-02-30"},
    "future-date": {"date": "2999"},
    "bad-language": {"language": "zho"},
    "bad-voice": {"voice": "official-ish"},
    "unknown-translation-source": {"translation": "x", "translation_source": "nope"},
    "tie-with-an-old-position": "tie",
}


def preview_records(name: str, data: bytes) -> dict:
    dataset = parse_dataset(data)
    if PREVIEW_CASES[name] == "tie":
        if not dataset.positions:
            pytest.skip("no position to tie with")
        old = dataset.positions[0]
        changes = {"actor": old.actor, "issue": old.issue, "date": old.date, "voice": old.voice}
        changes["stance"] = 2 if old.stance != 2 else 1
        return clean_records({**POSITION, **changes})
    return clean_records({**POSITION, **PREVIEW_CASES[name]})


@pytest.mark.parametrize("fixture", [*INSERTABLE, "empty-flow.yaml"])
@pytest.mark.parametrize("name", sorted(PREVIEW_CASES))
def test_the_preview_shows_what_the_full_parse_back_shows(fixture, name):
    data = (FIXTURES / fixture).read_bytes()
    records = preview_records(name, data)
    full = plan_append(data, records)
    layout = append.prepare(data)
    quick = append.preview_plan(layout, records, parse_dataset(data))
    assert quick.new == full.new and quick.blocks == full.blocks and quick.changed == full.changed
    assert quick.problems == full.problems
    if name == "valid":
        assert quick.valid
    if name == "tie-with-an-old-position":
        assert [p.type for p in quick.problems] == ["tie"]


@pytest.mark.parametrize("extra", ["actor", "source", "both", "existing-actor-id"])
def test_the_preview_of_new_actors_and_sources_matches_the_full_check(extra):
    data = (FIXTURES / "basic.yaml").read_bytes()
    position = {**POSITION, "actor": "NEW", "source": "new-src"}
    actor = {"name": "Newland", "kind": "country"} if extra in ("actor", "both") else None
    source = {"publisher": "Pub", "url": "ftp://x"} if extra in ("source", "both") else None
    if extra == "existing-actor-id":
        position, actor = {**POSITION}, {"name": "China again"}
    records = clean_records(position, actor=actor, source=source)
    full = plan_append(data, records)
    quick = append.preview_plan(append.prepare(data), records, parse_dataset(data))
    assert quick.new == full.new and quick.problems == full.problems
    assert full.problems, "each case has a problem (an unknown id, a bad url or a duplicate)"


def test_the_preview_knows_the_id_of_a_record_that_has_a_problem_of_its_own():
    data = (
        (FIXTURES / "basic.yaml")
        .read_bytes()
        .replace(b"  - id: CHN\n    name: China\n", b"  - id: CHN\n    nam: China\n")
    )
    dataset = parse_dataset(data)
    assert "CHN" not in dataset.actor_names() and dataset.errors
    records = clean_records(POSITION)
    full = plan_append(data, records)
    quick = append.preview_plan(append.prepare(data), records, dataset)
    assert quick.problems == full.problems == ()


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("name", [*INSERTABLE, "empty-flow.yaml"])
def test_block_line_numbers_match_the_new_text(name, crlf):
    data = (FIXTURES / name).read_bytes()
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    records = clean_records(POSITION, actor={"name": "Newland"}, source={"publisher": "Pub"})
    records["positions"]["actor"], records["actors"]["id"] = "NEW", "NEW"
    try:
        plan = plan_append(data, records)
    except CannotAppend:  # a list written inline on one line cannot take items: the position alone
        plan = plan_append(data, clean_records(POSITION))
    lines = append._Text.of(plan.new.decode("utf-8").removeprefix("\ufeff"))
    for block in plan.blocks:
        text = "".join(lines.line_text(n) + "\n" for n in range(block.first_line - 1, block.last_line))
        assert text == block.text.replace("\r\n", "\n"), (name, block.section)


# --- aliases and anchors at the end of a list ----------------------------------------------

BASIC = (FIXTURES / "basic.yaml").read_text()
SOURCES = "sources:\n  - id: src\n    publisher: Example Publisher\n    date: 2013-04-05\n"
POSITIONS_LAST = BASIC  # positions is the last section of basic.yaml
SOURCES_LAST = BASIC.replace(SOURCES, "") + SOURCES  # a section follows the positions
ANCHORED_ITEM = ("positions:\n  - actor: RUS", "positions:\n  - &p\n    actor: RUS")
ANCHORED_LIST = ("positions:\n", "positions: &ps\n")
ANCHORED_KEY = ("positions:\n", "&k positions:\n")


def variant(text: str, edit: tuple[str, str], after_positions: str = "") -> str:
    """``text`` with ``edit`` made, and ``after_positions`` at the end of the positions list."""
    text = text.replace(*edit)
    if after_positions:
        end = text.index("sources:") if text.index("sources:") > text.index("positions") else len(text)
        text = text[:end] + after_positions + text[end:]
    return text


ALIAS_AND_ANCHOR_CASES = {
    "alias last item": variant(POSITIONS_LAST, ANCHORED_ITEM, "  - *p\n"),
    "alias last item, then sources": variant(SOURCES_LAST, ANCHORED_ITEM, "  - *p\n"),
    "alias last item, a comment after it": variant(
        SOURCES_LAST, ANCHORED_ITEM, "  - *p   # the same again\n\n# next\n"
    ),
    "two aliases last": variant(POSITIONS_LAST, ANCHORED_ITEM, "  - *p\n  - *p\n"),
    "anchored last item": variant(POSITIONS_LAST, ANCHORED_ITEM),
    "anchor on the list": variant(POSITIONS_LAST, ANCHORED_LIST),
    "anchor on the list, then sources": variant(SOURCES_LAST, ANCHORED_LIST),
    "anchor on the key": variant(POSITIONS_LAST, ANCHORED_KEY),
    "anchor on the key and the list": variant(SOURCES_LAST, ("positions:\n", "&k positions: &ps\n")),
    "alias value on a line of its own": BASIC.replace("  - id: src", "  - id: &s src").replace(
        "    source: src\n", "    source:\n      *s\n"
    ),
    "alias last item of a flow list": (FIXTURES / "flow.yaml")
    .read_text()
    .replace("positions: [\n  {", "positions: [\n  &p {")
    .replace("source: src}\n]", "source: src},\n  *p\n]"),
    "alias last item of a flow list, a trailing comma": (FIXTURES / "flow.yaml")
    .read_text()
    .replace("positions: [\n  {", "positions: [\n  &p {")
    .replace("source: src}\n]", "source: src},\n  *p,  # again\n]"),
}


@pytest.mark.parametrize("case", ALIAS_AND_ANCHOR_CASES)
def test_after_an_alias_or_an_anchor_the_record_goes_at_the_end_of_the_list(case):
    old = ALIAS_AND_ANCHOR_CASES[case].encode()
    before = parse_dataset(old)
    assert before.errors == [], [p.format() for p in before.errors]

    plan = plan_append(old, clean_records(POSITION))

    assert plan.valid, [p.format() for p in plan.problems]
    assert only_insertions(old, plan.new), plan.new.decode()
    after = parse_dataset(plan.new)
    assert after.errors == []
    assert [p.model_dump() for p in after.positions[:-1]] == [p.model_dump() for p in before.positions]
    assert after.positions[-1].speaker == POSITION["speaker"]
    # nothing of the old list after the new lines (up to the next key): they are its end
    (block,) = plan.blocks
    rest = itertools.takewhile(
        lambda line: not re.match(r"[^\s#]", line), plan.new.decode().splitlines()[block.last_line :]
    )
    assert not [line for line in rest if line.strip() and not line.strip().startswith(("#", "]"))]
