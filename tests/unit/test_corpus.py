"""The YAML test suite (402 cases, MIT) through `validate`: no traceback, exit 1, syntax errors located.

None of the cases is a positions dataset, so every one must exit 1 with at least one problem.
Where libyaml itself rejects the YAML (a scanner, parser or composer error: 78 invalid cases and
53 valid ones, PyYAML speaking YAML 1.1; safe_load's constructor errors make it 79 and 80), the
loader must report a ``yaml-syntax`` problem at the line and column libyaml gives. Where only
PyYAML's safe constructor would fail (custom tags, non-text keys), the loader reports its own
located problem instead of raising.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml

from stances.cli import main
from stances.load import load_dataset

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "yaml-test-suite"
CASES = sorted(CORPUS.glob("*.yaml")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CASES, reason=f"YAML test suite not found at {CORPUS}")


def libyaml_error(path: Path) -> yaml.MarkedYAMLError | None:
    """The error libyaml raises composing every document of the case, or None if it accepts it."""
    try:
        for _ in yaml.compose_all(path.read_bytes(), Loader=yaml.CSafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        return exc
    return None


def run_validate(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    return code, out.getvalue(), err.getvalue()


@needs_corpus
def test_the_corpus_is_complete() -> None:
    invalid = [p for p in CASES if p.name.endswith(".invalid.yaml")]
    assert (len(CASES), len(invalid)) == (402, 94)


@needs_corpus
def test_validate_exits_1_on_every_case_without_a_traceback() -> None:
    codes: dict[str, int] = {}
    for path in CASES:
        code, out, err = run_validate(path)
        codes[path.name] = code
        assert "Traceback" not in out + err, path.name
        assert err == "", f"{path.name}: {err}"  # stderr is for unreadable files and crashes only
        assert "error[" in out, f"{path.name}: no problem listed\n{out}"
    assert set(codes.values()) == {1}, {name: code for name, code in codes.items() if code != 1}


@needs_corpus
def test_every_case_libyaml_rejects_is_a_located_syntax_problem() -> None:
    rejected = {"valid": 0, "invalid": 0}
    for path in CASES:
        exc = libyaml_error(path)
        if exc is None:
            continue
        rejected["invalid" if ".invalid." in path.name else "valid"] += 1
        mark = exc.problem_mark
        syntax = [p for p in load_dataset(path).problems if p.type == "yaml-syntax"]
        assert syntax, f"{path.name}: libyaml says {exc.problem!r}, the loader reports no yaml-syntax problem"
        problem = syntax[0]
        assert problem.line is not None and problem.column is not None, path.name
        if "simple key" in str(exc.context):  # "key:value": the line that holds no key, not the next
            mark = exc.context_mark
        if "end of stream" not in str(exc.problem):  # an unclosed quote points where it opens instead
            assert (problem.line, problem.column) == (mark.line + 1, mark.column + 1), path.name
        assert problem.hint, path.name
    assert rejected == {"valid": 53, "invalid": 78}


@needs_corpus
def test_what_only_the_safe_constructor_refuses_is_a_located_problem() -> None:
    """Custom tags and non-text keys: PyYAML's safe_load raises; the loader locates a problem."""
    checked = 0
    for path in CASES:
        if libyaml_error(path) is not None:
            continue
        try:
            for _ in yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader):
                pass
        except yaml.constructor.ConstructorError:
            checked += 1
            problems = load_dataset(path).problems
            assert any(p.line is not None for p in problems), path.name
    assert checked == 28  # tags such as !foo, keys that are lists or mappings
