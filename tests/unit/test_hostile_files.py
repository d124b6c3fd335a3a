"""Hostile files: each one is a clear problem (exit 1, or 0 for a BOM), never a traceback or a crash.

Files are generated at test time in tmp_path (the 200 MB one is sparse: the loader refuses it by
its size without reading it). Time and memory are not asserted here (tests do not time things);
``python tests/unit/test_hostile_files.py`` runs every case in a subprocess with a 4 GB address
space limit and prints the table in docs/security.md.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

if __name__ == "__main__":  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).parents[2]))

from stances.cli import main
from stances.load import MAX_ALIAS_NODES, MAX_NODES, load_dataset
from stances.problems import MAX_PROBLEMS

VALID = (Path(__file__).parents[1] / "data" / "valid.yaml").read_bytes()
MB = 1_000_000


def billion_laughs() -> bytes:
    """The classic: ten levels of ten aliases each, 10^10 strings once expanded."""
    lines = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return ("\n".join(lines) + "\ntitle: *l9\npositions: [*l9, *l9]\n").encode()


def record_alias_flood() -> bytes:
    """One record, then 200,000 aliases of it: 1.6 MB that would be 200,000 records."""
    return b"positions:\n  - &p {actor: RUS}\n" + b"  - *p\n" * 200_000


def deep_flow() -> bytes:
    return b"[" * 200_000 + b"]" * 200_000


def deep_block() -> bytes:
    """Compact block sequences, ``- - - ... x``: 200,000 levels on one line."""
    return b"- " * 200_000 + b"x\n"


def deep_mixed() -> bytes:
    return b"- " * 50_000 + b"{a: " * 50_000 + b"[" * 50_000


def deep_indented() -> bytes:
    """Block mappings, one more space per level: 11,000 levels in 60 MB."""
    return b"".join(b" " * i + b"a:\n" for i in range(11_000))


def dense_values() -> bytes:
    """8 MB of ``1,``: 4 million values, gigabytes once composed into nodes."""
    return b"positions: [" + b"1," * (MAX_NODES + 10) + b"1]\n"


def problem_flood() -> bytes:
    """20,000 empty records: 180,000 missing keys."""
    return b"positions:\n" + b"  - {}\n" * 20_000


def long_line() -> bytes:
    """A valid dataset whose title is a single line of 1 MB."""
    return VALID.replace(b"title: ", b'title: "' + b"x" * MB + b'" #', 1)


def long_key() -> bytes:
    return b"positions:\n  - " + b"k" * MB + b": 1\n"


def binary() -> bytes:
    return random.Random(9).randbytes(64 * 1024)


def aliased_value(field: str, size: int, count: int) -> bytes:
    """A dataset whose positions repeat one invalid ``field`` value of ``size`` characters by
    ``count - 1`` aliases (each problem used to quote it whole and compare it with difflib)."""
    head = VALID.split(b"positions:\n")[0]
    record = (
        "  - {actor: RUS, issue: bmd, stance: 1, date: 2013, speaker: S, role: R, voice: official, "
        "quote: q, source: src, FIELD: %s}\n".replace("FIELD", field).replace(f", {field}: official", "")
    ).encode()
    first = record % (b'&v "' + b"x" * size + b'"')
    return head + b"positions:\n" + first + (record % b"*v") * (count - 1)


def long_values() -> bytes:
    """A 100,000-character value (or key, or tag) wherever the loader may quote one."""
    long = "x" * 100_000
    digits = "1" * 5_000  # int() refuses past 4,300 digits
    return f"""title: {digits}
? {long}
: 1
actors:
  - {{id: "{long}", name: A}}
  - {{id: "{long}", name: B}}
  - {{id: RUS, name: "{long}", kind: country}}
issues:
  - {{id: bmd, title: T, question: Q}}
sources:
  - {{id: src, publisher: P, title: T, date: "{long}", url: "https://example.org"}}
positions:
  - {{actor: RUS, issue: bmd, stance: "{long}", date: "{long}", speaker: S, role: R, voice: "{long}", quote: q,
      source: src, language: "{long}", ? "{long}" : 1}}
  - {{actor: RUS, issue: bmd, stance: !{long} 1, date: 2013, speaker: S, role: R, voice: official, quote: q,
      source: src, note: 0_{digits}}}
  - {{actor: RUS, issue: bmd, stance: {digits}, date: 2013, speaker: S, role: R, voice: official, quote: q,
      source: src}}
""".encode()


def dense_list(values: int) -> bytes:
    """``positions: [1,1,1,...]``: one value per record, every record not a mapping."""
    return b"positions: [" + b"1," * (values - 1) + b"1]\n"


def braced_records(count: int) -> bytes:
    """One-key records written in braces (``- {a: 1}``): the fast path steps aside on them."""
    return b"positions:\n" + b"- {a: 1}\n" * count


def line_records(count: int) -> bytes:
    """One-key records written as lines (``- a: 1``): the fast path reads them, and doubts each."""
    return b"positions:\n" + b"- a: 1\n" * count


def real_positions(count: int, change: str = "") -> Callable[[], bytes]:
    """A generated dataset of ``count`` positions; ``change``: ``crlf`` (Windows line ends) or
    ``tab`` (a tab in the first quote: the fast path steps aside on the whole file)."""

    def make() -> bytes:
        from stances.generate import generate

        text = generate(count, 1)
        if change == "crlf":
            text = text.replace("\n", "\r\n")
        elif change == "tab":
            at = text.index('quote: "') + len('quote: "')
            text = text[:at] + "\t" + text[at:]
        return text.encode()

    return make


def python_object() -> bytes:
    return VALID.replace(b"title: ", b'title: !!python/object/apply:os.system ["echo pwned"]\nx: ', 1)


# name -> (content, expected exit code, the problem type that must be reported)
CASES: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "alias bomb (billion laughs)": (billion_laughs, 1, "too-many-aliases"),
    "alias flood of one record": (record_alias_flood, 1, "too-many-aliases"),
    "flow nesting, 200,000 levels": (deep_flow, 1, "too-deep"),
    "block nesting, 200,000 levels": (deep_block, 1, "too-deep"),
    "mixed nesting, 150,000 levels": (deep_mixed, 1, "too-deep"),
    "indented nesting, 11,000 levels (60 MB)": (deep_indented, 1, "too-deep"),
    "4 million values in 8 MB": (dense_values, 1, "file-too-large"),
    "180,000 problems": (problem_flood, 1, "too-many-problems"),
    "1 MB single line (valid)": (long_line, 0, ""),
    "1 MB key": (long_key, 1, "yaml-syntax"),  # YAML keys are at most 1024 characters
    "binary data": (binary, 1, "binary-file"),
    "UTF-16 with BOM": (lambda: VALID.decode().encode("utf-16"), 1, "not-utf8"),
    "UTF-16 without BOM": (lambda: VALID.decode().encode("utf-16-le"), 1, "not-utf8"),
    "UTF-32": (lambda: VALID.decode().encode("utf-32"), 1, "not-utf8"),
    "Latin-1": (lambda: VALID.replace(b"title: ", "title: Genève ".encode("latin-1"), 1), 1, "not-utf8"),
    "empty file": (lambda: b"", 1, "empty-file"),
    "only comments": (lambda: b"# a comment\n\n   # another\n", 1, "empty-file"),
    "top-level list": (lambda: b"- actors: []\n- positions: []\n", 1, "not-a-mapping"),
    "several documents": (lambda: VALID + b"---\n" + VALID, 1, "multiple-documents"),
    "custom tag !!python/object": (python_object, 1, "unsupported-tag"),
    "custom tag on the document": (lambda: b"--- !custom\n" + VALID, 1, "unsupported-tag"),
    "NUL byte in text": (lambda: VALID.replace(b"title: ", b"title: \x00", 1), 1, "binary-file"),
    "control character in text": (lambda: VALID.replace(b"title: ", b'title: "\x1b[2J"\nx: ', 1), 1, "yaml-syntax"),
    "1 MB invalid voice x 2,000 aliases": (lambda: aliased_value("voice", MB, 2_000), 1, "invalid-value"),
    "6 MB invalid voice x 9,000 aliases": (lambda: aliased_value("voice", 6 * MB, 9_000), 1, "invalid-value"),
    "100,000-character values, keys and tags": (long_values, 1, "wrong-type"),
    "3.9 million values near the value cap": (lambda: dense_list(3_900_000), 1, "file-too-large"),
    "1.3 million one-key records in braces": (lambda: braced_records(1_300_000), 1, "file-too-large"),
    "1.3 million one-key records as lines": (lambda: line_records(1_300_000), 1, "file-too-large"),
}
# Measured by the script only (each takes seconds, some need 60 MB): the largest files under the
# caps, and real data. name -> (content, expected exit code, first problem type)
MEASURED: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "749,990 values in one list (just under the reference's bound)": (
        lambda: dense_list(749_990),
        1,
        "not-a-mapping",
    ),
    "249,990 one-key records in braces (just under)": (lambda: braced_records(249_990), 1, "missing-key"),
    "249,990 one-key records as lines (just under)": (lambda: line_records(249_990), 1, "missing-key"),
    "62 MB of `1,` (31 million values)": (lambda: dense_list(31_000_000), 1, "file-too-large"),
    "63 MB: 7 million one-key records in braces": (lambda: braced_records(7_000_000), 1, "file-too-large"),
    "63 MB: 9 million one-key records as lines": (lambda: line_records(9_000_000), 1, "file-too-large"),
    "real: 35,000 positions with a tab (723,000 values)": (real_positions(35_000, "tab"), 0, ""),
    "real: 100,000 positions (2.1 million values)": (real_positions(100_000), 0, ""),
    "real: 100,000 positions, Windows line ends": (real_positions(100_000, "crlf"), 0, ""),
    "real: 100,000 positions with a tab": (real_positions(100_000, "tab"), 1, "file-too-large"),
}
MAX_OUTPUT = MB  # validate prints at most this much for any file under the caps
MAX_LINE = 2_000  # and no line longer than this (the file's own path aside)


def write(tmp_path: Path, name: str) -> Path:
    content, _, _ = CASES[name] if name in CASES else MEASURED[name]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content())
    return path


def big_file(tmp_path: Path) -> Path:
    """200 MB, sparse: a header then zeros that never touch the disk."""
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.write(VALID)
        handle.truncate(200 * MB)
    return path


def run_validate(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_a_clear_problem_in_the_cli(tmp_path: Path, name: str) -> None:
    _, expected_code, kind = CASES[name]
    code, out, err = run_validate(write(tmp_path, name))
    assert (code, err) == (expected_code, ""), out[-2000:] + err
    assert f"error[{kind}]" in out if kind else "error[" not in out, out[:2000]
    assert "Traceback" not in out
    assert len(out.encode()) <= MAX_OUTPUT  # bounded output: at most MAX_PROBLEMS lines, none of them huge
    assert max(len(line) for line in out.splitlines()) <= MAX_LINE + len(str(tmp_path))


def test_200_mb_file_is_refused_by_its_size(tmp_path: Path) -> None:
    code, out, err = run_validate(big_file(tmp_path))
    assert (code, err) == (1, "")
    assert "error[file-too-large]" in out and "200 MB" in out


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID)
    assert run_validate(path)[0] == 0
    assert len(load_dataset(path).positions) == 2


def test_alias_bomb_is_refused_after_the_alias_budget(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, "alias bomb (billion laughs)"))
    [problem] = [p for p in dataset.problems if p.type == "too-many-aliases"]
    assert f"{MAX_ALIAS_NODES:,}" in problem.message
    assert problem.line is not None


def test_aliases_of_a_whole_record_stop_at_the_budget(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, "alias flood of one record"))
    assert sum(p.type == "too-many-aliases" for p in dataset.problems) == 1  # listed past the limit too
    assert len(dataset.problems) <= MAX_PROBLEMS + 2


def test_problems_are_listed_up_to_the_limit_then_counted(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, "180,000 problems"))
    assert len(dataset.problems) == MAX_PROBLEMS + 1
    assert dataset.problems[-1].type == "too-many-problems"
    assert [p.type for p in dataset.problems[:-1]] == ["missing-key"] * MAX_PROBLEMS
    assert dataset.problems[0].line == 2  # the first records, in file order


def test_valid_records_past_the_problem_limit_are_kept(tmp_path: Path) -> None:
    """The limit only shortens the list: a valid record after the listed problems still loads."""
    broken = b"  - {actor: RUS}\n" * (MAX_PROBLEMS // 5)
    head, positions = VALID.split(b"positions:\n")
    path = tmp_path / "late.yaml"
    path.write_bytes(head + b"positions:\n" + broken + positions)
    dataset = load_dataset(path)
    assert dataset.problems[-1].type == "too-many-problems"
    assert len(dataset.positions) == 2


def test_deep_nesting_is_refused_before_composing(tmp_path: Path) -> None:
    for name in ("flow nesting, 200,000 levels", "block nesting, 200,000 levels", "mixed nesting, 150,000 levels"):
        [problem] = load_dataset(write(tmp_path, name)).problems
        assert problem.type == "too-deep" and problem.line is not None, name


def test_custom_tag_is_never_constructed(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    dataset = load_dataset(write(tmp_path, "custom tag !!python/object"))
    [problem] = [p for p in dataset.problems if p.type == "unsupported-tag"]
    assert "python/object/apply:os.system" in problem.message
    assert "pwned" not in capfd.readouterr().out
    assert len(dataset.positions) == 2  # the rest of the file still loads


def test_several_documents_keep_the_first(tmp_path: Path) -> None:
    dataset = load_dataset(write(tmp_path, "several documents"))
    assert [p.type for p in dataset.errors] == ["multiple-documents"]
    assert len(dataset.positions) == 2


def test_a_syntax_error_in_a_later_document_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_bytes(VALID + b"---\nkey: [unclosed\n")
    types = [p.type for p in load_dataset(path).problems]
    assert types == ["multiple-documents", "yaml-syntax"]


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    """An ESC or a bidi override in the data is printed as an escape, one problem per line."""
    path = tmp_path / "esc.yaml"
    path.write_bytes(b'"\\e]0;owned\\a\\u202e": 1\n"two\\nlines": 2\n')
    code, out, _ = run_validate(path)
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\u001b]0;owned\\u0007\\u202e" in out
    assert "two\\nlines" in out


def test_json_output_escapes_control_characters_and_stays_json(tmp_path: Path) -> None:
    import json

    path = tmp_path / "esc.yaml"
    path.write_bytes(b'"\\x9b\\u202e": 1\n')
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["validate", str(path), "--format", "json"]) == 1
    assert "\x9b" not in out.getvalue() and "\u202e" not in out.getvalue()
    report = json.loads(out.getvalue())
    assert report["problems"][0]["loc"] == "\x9b\u202e"


# --- measurement: python tests/unit/test_hostile_files.py ----------------------------------------

MEASURE = """
import contextlib, io, re, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (8 * 1024**3, 8 * 1024**3))
from stances.cli import main

class Counted(io.TextIOBase):
    # what validate prints: its size in bytes, its first line and its number of lines
    size = lines = 0
    first = ""
    def write(self, text):
        self.size += len(text.encode("utf-8", "surrogatepass"))
        self.lines += text.count("\\n")
        self.first = self.first or text
        return len(text)

out = Counted()
started = time.perf_counter()
with contextlib.redirect_stdout(out):
    code = main(["validate", sys.argv[1]])
elapsed = time.perf_counter() - started
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
kind = re.search(r"(error|warning)\\[([a-z0-9-]+)\\]", out.first)
print(f"{elapsed:.2f}|{peak:.0f}|{kind.group(2) if kind else 'valid'}|{out.lines - 1}|{out.size}|{code}")
"""


def measure(names: list[str], *, timeout: float = 600) -> None:
    """Time, peak memory and output of ``validate`` on each file, in a fresh process each (no
    disk cache, address space limited to 8 GB); ``--before DIR`` runs another copy of the code
    (such as ``git archive HEAD``, unpacked) on the same files."""
    import os
    import subprocess
    import tempfile

    root = Path(__file__).parents[2]
    code_root = Path(sys.argv[sys.argv.index("--before") + 1]) if "--before" in sys.argv else root
    env = dict(os.environ, STANCES_NO_CACHE="1", PYTHONPATH=str(code_root))
    print(f"code: {code_root}")
    print("| file | size | first problem | problems | exit | time | peak memory | output |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            path = big_file(Path(folder)) if name == "200 MB file" else write(Path(folder), name)
            size = path.stat().st_size
            command = [sys.executable, "-c", MEASURE, str(path)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, cwd=code_root, env=env, timeout=timeout)
            except subprocess.TimeoutExpired:
                print(f"| {name} | {size / MB:.2f} MB | (stopped after {timeout:.0f} s) | | | > {timeout:.0f} s | | |")
                continue
            if done.returncode != 0:
                print(f"| {name} | {size / MB:.2f} MB | CRASH rc={done.returncode} {done.stderr[-200:]!r} | | | | | |")
                continue
            elapsed, peak, first, count, output, code = done.stdout.strip().split("|")
            print(
                f"| {name} | {size / MB:.2f} MB | {first} | {count} | {code} | {elapsed} s | {peak} MB "
                f"| {int(output) / 1000:,.1f} kB |"
            )
            path.unlink()


if __name__ == "__main__":
    wanted = [a for a in sys.argv[1:] if not a.startswith("--") and not Path(a).is_dir()]
    everything = [*CASES, "200 MB file", *MEASURED]
    measure([n for n in everything if not wanted or any(w in n for w in wanted)])
