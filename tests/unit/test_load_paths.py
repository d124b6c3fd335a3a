"""The fast load path (stances.fastload, yaml-rs) and the reference path (PyYAML's node walker)
give identical datasets: the same records with the same lines and columns, the same problems.

The fast path may step aside (return None) whenever it is not sure; it must never return
anything but what the reference returns. Every YAML fixture under tests/data is compared, so
fixtures other helpers add are covered too, plus generated files and targeted quirks.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from stances import fastload, salvage
from stances.generate import generate
from stances.load import decode_text, parse_dataset
from stances.model import Dataset

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
TODAY = dt.date(2026, 1, 1)
FIXTURES = sorted(p for p in DATA.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())

pytestmark = pytest.mark.skipif(not fastload.available(), reason="yaml-rs is not installed: no fast path to compare")


@pytest.fixture(autouse=True, params=["whole", "chunked"])
def chunking(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every comparison twice: yaml-rs reading the whole text, and reading the positions a few
    records at a time (what the fast path does past fastload.CHUNK_RECORDS positions); records
    validated a few at a time either way (fastload._BATCH)."""
    monkeypatch.setattr(fastload, "_BATCH", 5)
    if request.param == "chunked":
        monkeypatch.setattr(fastload, "CHUNK_RECORDS", 7)
    return request.param


def snapshot(dataset: Dataset) -> dict[str, Any]:
    """Everything a caller can see of a dataset, records with their marks, problems in full."""
    records = {
        section: [(r.model_dump(), r.line, r.column) for r in getattr(dataset, section)]
        for section in ("actors", "issues", "sources", "positions")
    }
    return {
        "path": dataset.path,
        "title": dataset.title,
        "scale": dataset.scale.labels,
        "records": records,
        "problems": [p.to_dict() for p in dataset.problems],
        "hash": dataset.content_hash,
    }


def both_paths(data: bytes, label: str = "t.yaml") -> tuple[Dataset, Dataset | None]:
    """(reference dataset, fast dataset or None where the fast path steps aside), as each path
    reads the text (a syntax error stops both: the recovery behind them is compared apart)."""
    reference = parse_dataset(data, label=label, today=TODAY, fast=False, recover=False)
    text, problem = decode_text(data, label)
    if problem is not None:
        return reference, None
    fast = fastload.fast_dataset(text, label=label, content_hash=reference.content_hash, today=TODAY)
    return reference, fast


def assert_same(data: bytes, label: str = "t.yaml") -> Dataset | None:
    reference, fast = both_paths(data, label)
    if fast is not None:
        assert snapshot(fast) == snapshot(reference)
    # and through the public entry point, whichever path it takes; after a syntax error, the
    # records read one by one (stances.salvage) are the same whichever path found the error
    if salvage.stopped(reference):
        reference = parse_dataset(data, label=label, today=TODAY, fast=False)
    assert snapshot(parse_dataset(data, label=label, today=TODAY)) == snapshot(reference)
    return fast


def test_fixtures_found() -> None:
    assert len(FIXTURES) >= 20, FIXTURES


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(DATA)))
def test_fixture_same_on_both_paths(path: Path) -> None:
    assert_same(path.read_bytes(), label=str(path))


def test_bundled_dataset_same_and_fast() -> None:
    path = ROOT / "positions.yaml"
    assert assert_same(path.read_bytes(), label=str(path)) is not None, "the fast path refused positions.yaml"


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_file_same_and_fast(seed: int) -> None:
    data = generate(300, seed).encode("utf-8")
    fast = assert_same(data)
    assert fast is not None, "the fast path refused a clean generated file"
    assert len(fast.positions) == 300 and fast.problems == []


SMALL = generate(30, 7)

# Each edit keeps the file valid YAML or breaks it in a way the two parsers may read differently.
QUIRKS: dict[str, tuple[str, str]] = {
    "bool-speaker": ("    speaker: ", "    speaker: NO #"),
    "on-role": ("    role: ", "    role: on #"),
    "octal-stance": ("    stance: 1\n", "    stance: 01\n"),
    "hex-stance": ("    stance: 1\n", "    stance: 0x1\n"),
    "0o-stance": ("    stance: 1\n", "    stance: 0o1\n"),
    "signed-stance": ("    stance: 1\n", "    stance: +1\n"),
    "underscore-stance": ("    stance: 1\n", "    stance: 1_0\n"),
    "float-stance": ("    stance: 1\n", "    stance: 1.0\n"),
    "exp-stance": ("    stance: 1\n", "    stance: 1e0\n"),
    "quoted-stance": ("    stance: 1\n", '    stance: "1"\n'),
    "stance-next-line": ("    stance: 1\n", "    stance:\n      01\n"),
    "octal-year": ("    date: 20", "    date: 020"),
    "sexagesimal-title": ("title: ", "title: 1:20 #"),
    "custom-tag": ("    role: ", "    role: !custom "),
    "str-tag": ("    stance: 1\n", "    stance: !!str 1\n"),
    "anchor-alias": ("    voice: official\n", "    voice: &v official\n    note: *v\n"),
    "merge-key": ("  - actor: ", "  - <<: {note: x}\n    actor: "),
    "duplicate-key": ("    voice: official\n", "    voice: official\n    voice: expert\n"),
    "tab": ("    voice: official\n", "    voice:\tofficial\n"),
    "tab-indent": ("    voice: official\n", "\tvoice: official\n"),
    "crlf": ("\n", "\r\n"),
    "line-separator": ("    role: ", "    role: A\u2028B "),
    "nel": ("    role: ", "    role: A\x85B "),
    "control": ("    role: ", "    role: \x07"),
    "bom-inside": ("    role: ", "    role: \ufeff"),
    "escapes-safe": ('    quote: "', '    quote: "\\"a\\" \\\\ \\n \\t \\u00e9 \\/ '),
    "escapes-other": ('    quote: "', '    quote: "\\x41\\N\\_\\e\\L '),
    "surrogate-escape": ('    quote: "', '    quote: "\\ud83d\\ude00 '),
    "line-continuation": ('    quote: "', '    quote: "a\\\n      b '),
    "multiline-quote": ('    quote: "', '    quote: "first\n\n      second\n      '),
    "multiline-plain": ("    role: ", "    role: Deputy\n      Minister\n      "),
    "single-quoted": ("    role: ", "    role: 'it''s' #"),
    "literal-block": ("    role: ", "    note: |\n      one\n      two\n    role: "),
    "folded-block": ("    role: ", "    note: >-\n      one\n\n      two\n    role: "),
    "document-start": ("title: ", "---\ntitle: "),
    "second-document": ("positions:\n", "---\npositions:\n"),
    "directive": ("title: ", "%YAML 1.1\n---\ntitle: "),
    "flow-record": ("  - actor: ", "  - {note: x}\n  - actor: "),
    "dash-alone": ("  - actor: ", "  -\n    actor: "),
    "comment-after-dash": ("  - actor: ", "  - # c\n    actor: "),
    "quoted-first-key": ("  - actor: ", '  - "actor": '),
    "json-key": ("    stance: 1\n", '    "stance":01\n'),
    "indent-change": ("  - actor: ", "  -   actor: "),
    "bad-indent": ("    issue: ", "     issue: "),
    "colon-in-plain": ("    role: ", "    role: a: b "),
    "hash-in-quote": ('    quote: "', '    quote: "# not a comment '),
    "empty-note": ("    voice: official\n", "    voice: official\n    note:\n"),
    "null-note": ("    voice: official\n", "    voice: official\n    note: ~\n"),
    "yes-note": ("    voice: official\n", "    voice: official\n    note: yes\n"),
    "equals-note": ("    voice: official\n", "    voice: official\n    note: =\n"),
    "null-title": ('title: "', 'title: null\nx: "'),
    "scale": ("actors:\n", "scale:\n  -1: no\n  0: unsure\n  1: yes\nactors:\n"),
    "scale-text": ("actors:\n", "scale:\n  -1: against\n  0: unsure\n  +1: for\nactors:\n"),
    "scale-octal": ("actors:\n", "scale:\n  -1: against\n  00: unsure\n  1: for\nactors:\n"),
    "members-block": ("    kind: bloc\n", "    kind: bloc\n    note: x\n"),
    "unknown-top": ("actors:\n", "extra: 1\nactors:\n"),
    "unknown-key": ("    voice: official\n", "    voice: official\n    speeker: x\n"),
}


@pytest.mark.parametrize("name", sorted(QUIRKS))
def test_quirk_same_on_both_paths(name: str) -> None:
    old, new = QUIRKS[name]
    assert old in SMALL, f"the generated file no longer holds {old!r}"
    assert_same(SMALL.replace(old, new, 1).encode("utf-8"))


REPORTED = ["bool-speaker", "octal-stance", "hex-stance", "custom-tag", "duplicate-key", "tab-indent"]


@pytest.mark.parametrize("name", REPORTED)
def test_quirk_is_a_problem_on_both_paths(name: str) -> None:
    old, new = QUIRKS[name]
    problems = parse_dataset(SMALL.replace(old, new, 1).encode("utf-8"), label="t.yaml", today=TODAY).problems
    assert problems, f"{name} should be reported"


MUTATIONS = ["delete", "duplicate", "insert"]
PIECES = [
    " ",
    "\n",
    "\t",
    ":",
    ": ",
    "-",
    "- ",
    '"',
    "'",
    "#",
    "0",
    "01",
    "!",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    ">",
    "\\",
    "~",
]


def mutants(text: str, count: int, seed: int) -> list[str]:
    """Deterministic small edits of ``text``: delete, duplicate or insert a YAML-significant piece."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        at = rng.randrange(len(text))
        kind = rng.choice(MUTATIONS)
        if kind == "delete":
            out.append(text[:at] + text[at + rng.randint(1, 3) :])
        elif kind == "duplicate":
            end = text.find("\n", at) + 1 or len(text)
            out.append(text[:end] + text[at:end] + text[end:])
        else:
            out.append(text[:at] + rng.choice(PIECES) + text[at:])
    return out


@pytest.mark.parametrize("chunk", range(4))
def test_random_edits_same_on_both_paths(chunk: int) -> None:
    accepted = 0
    for mutant in mutants(SMALL, 60, seed=chunk):
        accepted += assert_same(mutant.encode("utf-8")) is not None
    assert accepted, "no mutant took the fast path: the comparison tested nothing"


def test_without_yaml_rs_the_reference_path_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastload, "yaml_rs", None)
    assert not fastload.available()
    data = SMALL.encode("utf-8")
    text, _ = decode_text(data, "t.yaml")
    assert fastload.fast_dataset(text, label="t.yaml", content_hash="", today=TODAY) is None
    dataset = parse_dataset(data, label="t.yaml", today=TODAY)
    assert len(dataset.positions) == 30 and dataset.problems == []


def test_future_date_is_judged_against_today() -> None:
    data = SMALL.encode("utf-8")
    text, _ = decode_text(data, "t.yaml")
    newest = max(p.date for p in parse_dataset(data, today=TODAY).positions)
    early = dt.date(int(newest[:4]) - 1, 1, 1)
    reference = parse_dataset(data, today=early, fast=False)
    assert any(p.type == "future-date" for p in reference.problems)
    fast = fastload.fast_dataset(text, label="<input>", content_hash=reference.content_hash, today=early)
    assert fast is not None and snapshot(fast) == snapshot(reference)


# Files with problems in a few records: the fast path reads the rest and the reference path only
# those records (on a copy of the file with every other record's lines blank).
MEDIUM = generate(400, 3)
PROBLEM_EDITS: dict[str, list[tuple[str, str]]] = {
    "misspelt-key": [("    speaker: ", "    speeker: ")],
    "unknown-actor": [("  - actor: ", "  - actor: XXX\n    note: ")],
    "unknown-issue-late": [("    issue: ", "    issue: no-such-issue\n    note: ")] * 3,
    "bool-text": [("    role: ", "    role: NO\n    note: ")],
    "octal-stance": [("    stance: 1\n", "    stance: 012\n")],
    "escape-x": [('    quote: "', '    quote: "\\x41 ')],
    "off-scale": [("    stance: 1\n", "    stance: 7\n")],
    "missing-key": [("    voice: official\n", "")],
    "bad-date": [("    date: 20", "    date: 19x")],
    "two-problems-one-record": [("    speaker: ", "    speeker: "), ("    role: ", "    role: yes\n    note: ")],
    "duplicate-key": [("    voice: official\n", "    voice: official\n    voice: expert\n")],
    "duplicate-actor-id": [("  - id: CHN\n", "  - id: CHN\n    name: China\n  - id: CHN\n")],
    "unknown-top-level": [("actors:\n", "actorz: 1\nactors:\n")],
    "title-bool": [("title: ", "title: yes\nx: ")],
    "syntax-error": [("    role: ", '    role: "unclosed\n    x: ')],
    "syntax-error-bad-indent": [("    issue: ", "     issue: ")],
    "syntax-error-bracket": [("    role: ", "    role: [a, b\n    x: ")],
    "syntax-error-first-actor": [("    name: ", "    name: a: b\n    x: ")],
    "syntax-error-and-misspelt-key": [("    speaker: ", "    speeker: "), ("    role: ", '    role: "a\n    x: ')],
    "syntax-error-after-unknown-actor": [
        ("  - actor: ", "  - actor: XXX\n    note: "),
        ("    role: ", '    role: "a\n    x: '),
    ],
    "syntax-error-after-octal-stance": [
        ("    stance: 1\n", "    stance: 012\n"),
        ("    role: ", '    role: "a\n    x: '),
    ],
    "duplicate-key-twice": [("    voice: official\n", "    voice: official\n    voice: expert\n")] * 2,
    "duplicate-scale-label": [("actors:\n", "scale:\n  -1: against\n  0: unsure\n  0: x\n  1: for\nactors:\n")],
}


def edited(text: str, edits: list[tuple[str, str]]) -> str:
    """Apply each edit once, at a spread of places (the n-th edit at the n-th third of the file)."""
    for n, (old, new) in enumerate(edits):
        at = text.find(old, len(text) * (n % 3) // 3)
        assert at != -1, old
        text = text[:at] + new + text[at + len(old) :]
    return text


@pytest.mark.parametrize("name", sorted(PROBLEM_EDITS))
def test_problem_records_same_on_both_paths(name: str) -> None:
    data = edited(MEDIUM, PROBLEM_EDITS[name]).encode("utf-8")
    reference = parse_dataset(data, label="t.yaml", today=TODAY, fast=False)
    assert reference.problems or name == "escape-x", f"{name}: the edit should make a problem"
    fast = assert_same(data)
    if name != "duplicate-scale-label":  # a problem in the scale: every stance depends on it
        assert fast is not None, f"{name}: the fast path stepped aside for a problem in one record"


@pytest.mark.parametrize("record", range(0, 30, 2))
def test_syntax_error_in_each_record_same_on_both_paths(record: int) -> None:
    # wherever the error is, the start of the file read again behind it (some chunks reused, a
    # last one cut short) gives the reference's error, line and column
    starts = [i for i in range(len(SMALL)) if SMALL.startswith("\n  - actor: ", i)]
    at = SMALL.index("    role: ", starts[record])
    text = SMALL[:at] + '    role: "unclosed\n    x: ' + SMALL[at + len("    role: ") :]
    fast = assert_same(text.encode("utf-8"))
    if record >= 3:  # the text before the record two before the error is read by the fast path
        assert fast is not None and [p.type for p in fast.problems] == ["yaml-syntax"]


@pytest.fixture
def yaml_rs_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text handed to yaml-rs from now on, with 7 positions a chunk."""
    monkeypatch.setattr(fastload, "CHUNK_RECORDS", 7)
    read: list[str] = []
    original = fastload._yaml_rs_loads

    def spy(text: str, **kwargs: Any) -> Any:
        read.append(text)
        return original(text, **kwargs)

    monkeypatch.setattr(fastload, "_yaml_rs_loads", spy)
    return read


def test_syntax_error_late_in_the_file_reads_each_chunk_once(yaml_rs_reads: list[str]) -> None:
    # the chunks read before yaml-rs stopped are reused to vouch for the text before the error
    read = yaml_rs_reads
    text = edited(MEDIUM, [("    role: ", "    role: ")] * 2 + [("    role: ", '    role: "unclosed\n    x: ')])
    fast = assert_same(text.encode("utf-8"))
    assert fast is not None and [p.type for p in fast.problems] == ["yaml-syntax"]
    # one load as the fast path reads it, then one with the records around the error recovered
    # (stances.salvage): the recovery's read reuses every chunk before the broken record
    for recover in (False, True):
        read.clear()
        dataset = parse_dataset(text, label="t.yaml", today=TODAY, recover=recover)
        chunks = [t for t in read if t.startswith("positions:\n")]
        assert len(chunks) > 20, len(chunks)  # 400 positions, 7 a chunk
        assert len(set(chunks)) == len(chunks), "a chunk was read again within one load"
    assert len(dataset.positions) == 399 and [p.type for p in dataset.problems] == ["yaml-syntax"]


SYNTAX_ERRORS = {
    "unclosed quote": ("    role: ", '    role: "unclosed\n    x: '),
    "colon in plain text": ("    role: ", "    role: Minister: of defence\n    x: "),
    "key out of line": ("    role: ", "      role: "),
    "open bracket": ("    role: ", "    role: [a, b\n    x: "),
    "second document before the error": ("  - actor: ", "---\n  - actor: "),
}


@pytest.mark.parametrize("kind", sorted(SYNTAX_ERRORS))
@pytest.mark.parametrize("record", [0, 6, 7, 13, 200, 398])
def test_syntax_errors_in_chunks_same_on_both_paths(kind: str, record: int) -> None:
    # libyaml reads on from the chunk yaml-rs refused: its error, line and column are the
    # reference's wherever the record falls in its chunk (7 a chunk when chunked)
    old, new = SYNTAX_ERRORS[kind]
    starts = [i for i in range(len(MEDIUM)) if MEDIUM.startswith("\n  - actor: ", i)]
    at = MEDIUM.index(old, starts[record])
    text = MEDIUM[:at] + new + MEDIUM[at + len(old) :]
    if kind == "second document before the error":  # and a broken record after it
        at = text.index("    role: ", at + len(new) + 200)
        text = text[:at] + '    role: "unclosed\n    x: ' + text[at + len("    role: ") :]
    assert_same(text.encode("utf-8"))


def test_the_text_before_a_refused_chunk_is_not_read_again(yaml_rs_reads: list[str]) -> None:
    # the records before the refused chunk were read without a doubt: libyaml's own reading from
    # that chunk on gives the error, with no second read of the text before it
    at = MEDIUM.index("    role: ", len(MEDIUM) * 3 // 4)
    text = MEDIUM[:at] + '    role: "unclosed\n    x: ' + MEDIUM[at + len("    role: ") :]
    reference, fast = both_paths(text.encode("utf-8"))
    assert fast is not None and snapshot(fast) == snapshot(reference)
    assert [p.type for p in fast.problems] == ["yaml-syntax"]
    # one skeleton (the text with the positions blank): the text before the error is not read again
    assert len([t for t in yaml_rs_reads if not t.startswith("positions:\n")]) == 1
    assert len(yaml_rs_reads) == len(set(yaml_rs_reads))


def test_a_doubtful_record_before_a_refused_chunk_is_vouched_for_by_the_reference(
    yaml_rs_reads: list[str],
) -> None:
    # an octal-looking stance early on: the text before the error is read again as before
    text = edited(MEDIUM, [("    stance: 1\n", "    stance: 012\n")])
    at = text.index("    role: ", len(text) * 3 // 4)
    text = text[:at] + '    role: "unclosed\n    x: ' + text[at + len("    role: ") :]
    reference, fast = both_paths(text.encode("utf-8"))
    assert fast is not None and snapshot(fast) == snapshot(reference)
    assert not yaml_rs_reads[-1].startswith("positions:\n") or '"unclosed' not in yaml_rs_reads[-1]


def test_many_problems_past_the_listing_limit_same_on_both_paths() -> None:
    text = generate(1200, 5).replace("    speaker: ", "    speeker: ")
    assert_same(text.encode("utf-8"))


def test_a_clean_record_named_by_a_problem_is_read_by_the_reference_too() -> None:
    # the first actor's id is misspelt: positions naming the old id become unknown references,
    # reported at their own lines although their records are clean
    actor = MEDIUM.split("actors:\n  - id: ", 1)[1].split("\n", 1)[0]
    text = MEDIUM.replace(f"actors:\n  - id: {actor}\n", f"actors:\n  - id: {actor}Z\n    nam: x\n", 1)
    fast = assert_same(text.encode("utf-8"))
    assert fast is not None
    assert sum(p.type == "unknown-reference" for p in fast.problems) > 1


THREADS_SCRIPT = """
import sys, threading
sys.path.insert(0, sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
found = []
def run(i):
    from stances.load import parse_dataset  # the first call imports yaml-rs in this thread
    found.append(len(parse_dataset(text.replace("stance: -1", f"stance: {i % 2}")).positions))
for i in range(6):  # each thread exits before the next starts, as Streamlit's script threads do
    thread = threading.Thread(target=run, args=(i,))
    thread.start()
    thread.join()
print(found)
"""


def test_parsing_from_short_lived_threads_does_not_crash() -> None:
    # yaml-rs 0.1.6 crashed the process (SIGSEGV) when called from a new thread after the thread
    # that imported it had exited: the dashboard's live reload did exactly that.
    import subprocess
    import sys

    source = DATA / "datasets" / "orphan_issue.yaml"
    assert "stance: -1" in source.read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", THREADS_SCRIPT, str(ROOT), str(source)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[2, 2, 2, 2, 2, 2]"


def test_each_version_parsed_with_the_previous_versions_reads_is_the_reference() -> None:
    # A live session: every save parsed with the chunks read from the saves before (ChunkMemo).
    # Whatever changed (a value, a line count, a problem, a syntax error and its fix), the result
    # is the reference's.
    versions = [MEDIUM, edited(MEDIUM, [("    stance: 1\n", "    stance: -1\n")])]
    versions.append(edited(versions[-1], [("    role: ", "    role: # a comment line\n      ")]))
    versions += [edited(versions[-1], edits) for edits in PROBLEM_EDITS.values()]
    versions.append(edited(versions[-1], [("    role: ", '    role: "unclosed\n    x: ')]))
    versions += [versions[2], versions[1], *mutants(versions[1], 20, seed=5), versions[1]]
    memo = fastload.ChunkMemo()
    for version in versions:
        data = version.encode("utf-8")
        reference = parse_dataset(data, label="t.yaml", today=TODAY, fast=False)
        assert snapshot(parse_dataset(data, label="t.yaml", today=TODAY, chunks=memo)) == snapshot(reference)


def test_a_save_reads_again_only_the_chunk_it_changed(yaml_rs_reads: list[str]) -> None:
    read = yaml_rs_reads
    memo = fastload.ChunkMemo()
    first = parse_dataset(MEDIUM.encode("utf-8"), label="t.yaml", today=TODAY, chunks=memo)
    chunks = len(memo.reads)
    assert chunks == -(-len(first.positions) // 7) and not first.problems
    read.clear()
    middle = MEDIUM.index("    stance: 1\n", len(MEDIUM) // 2)
    text = MEDIUM[:middle] + "    stance: -1\n" + MEDIUM[middle + len("    stance: 1\n") :]
    second = parse_dataset(text.encode("utf-8"), label="t.yaml", today=TODAY, chunks=memo)
    assert len([t for t in read if t.startswith("positions:\n")]) == 1
    assert len(memo.reads) == chunks  # the memo keeps this version's chunks only
    changed = [n for n, (a, b) in enumerate(zip(first.positions, second.positions, strict=True)) if a != b]
    assert len(changed) == 1 and second.positions[changed[0]].stance == -1
    assert snapshot(second) == snapshot(parse_dataset(text.encode("utf-8"), label="t.yaml", today=TODAY, fast=False))


def test_the_memo_keeps_nothing_from_a_load_the_fast_path_stepped_aside_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastload, "CHUNK_RECORDS", 7)
    memo = fastload.ChunkMemo()
    parse_dataset(MEDIUM.encode("utf-8"), label="t.yaml", today=TODAY, chunks=memo)
    assert memo.reads
    changed = edited(MEDIUM, [("    stance: 1\n", "    stance: -1\n")])

    def doubt(*args: Any) -> None:  # a doubt after the chunks were read (the size check comes next)
        raise fastload.Doubt("too many values")

    with monkeypatch.context() as patch:
        patch.setattr(fastload, "_check_size", doubt)
        assert fastload.fast_dataset(changed, label="t.yaml", content_hash="", today=TODAY, chunks=memo) is None
    assert memo.reads == {}  # the reference path's records are the ones kept: no second copy
    again = parse_dataset(MEDIUM.encode("utf-8"), label="t.yaml", today=TODAY, chunks=memo)
    assert snapshot(again) == snapshot(parse_dataset(MEDIUM.encode("utf-8"), label="t.yaml", today=TODAY, fast=False))
