"""``python -m stances verify``: exit codes, one problem per line at the quote, the summary, JSON,
and the bundled dataset against its own evidence archive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from stances.cli import main
from stances.load import load_dataset

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests" / "data" / "evidence"
BUNDLED = ROOT / "positions.yaml"


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    """Run ``verify`` in process: (exit code, stdout lines, stderr)."""
    code = main(["verify", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A copy of tests/data/evidence (positions file and archive) that a test may change."""
    shutil.copytree(FIXTURE, tmp_path / "data")
    return tmp_path / "data" / "positions.yaml"


def quote_node(path: Path, index: int, field: str = "quote") -> yaml.ScalarNode:
    """The value node of ``positions[index].<field>`` (the pure-Python loader: marks count characters)."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    positions = next(value for key, value in root.value if key.value == "positions")
    return next(value for key, value in positions.value[index].value if key.value == field)


def change_quote(path: Path, index: int, new: str) -> tuple[int, int]:
    """Replace the quote of ``positions[index]`` with ``new``; returns its (line, column), 1-based."""
    text = path.read_text(encoding="utf-8")
    node = quote_node(path, index)
    path.write_text(text[: node.start_mark.index] + json.dumps(new) + text[node.end_mark.index :], encoding="utf-8")
    return node.start_mark.line + 1, node.start_mark.column + 1


def test_every_quote_found_exits_0_with_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURE / "positions.yaml"
    code, lines, err = verify(capsys, path, "--strict")
    assert code == 0, (lines, err)
    assert lines == [
        f"{path}: every quote found (3 quotes checked, 3 found; 1 translation checked, 1 found; "
        "2 of 2 sources archived)"
    ]


def test_a_changed_quote_exits_1_at_the_quote_line(capsys: pytest.CaptureFixture[str], fixture_copy: Path) -> None:
    line, column = change_quote(fixture_copy, 1, "This is a concession to Russia ... our objections also remain.")
    code, lines, err = verify(capsys, fixture_copy)
    assert code == 1, (lines, err)
    archive = fixture_copy.parent / "evidence" / "interview.txt"
    assert lines[0].startswith(
        f"{fixture_copy}:{line}:{column}: error[quote-not-in-evidence] the 2nd position (positions[1].quote): "
        f"(RUS, A. Speaker, 2013-03): the quote is not in {archive}; closest passage: "
    ), lines
    assert lines[1] == (
        f"{fixture_copy}: 1 error (3 quotes checked, 2 found; 1 translation checked, 1 found; 2 of 2 sources archived)"
    )
    assert len(lines) == 2


def test_a_missing_archive_warns_and_fails_only_when_strict(
    capsys: pytest.CaptureFixture[str], fixture_copy: Path
) -> None:
    (fixture_copy.parent / "evidence" / "digest.txt").unlink()
    code, lines, err = verify(capsys, fixture_copy)
    assert code == 0, (lines, err)
    assert "warning[missing-evidence] the 2nd source (sources[1]): no evidence archive for source 'digest'" in lines[0]
    assert lines[-1].endswith("1 warning (3 quotes checked, 3 found; 1 of 2 sources archived)")

    code, lines, err = verify(capsys, fixture_copy, "--strict")
    assert code == 1, (lines, err)
    assert "error[missing-evidence] the 2nd source (sources[1]):" in lines[0]


def test_usage_and_unreadable_files_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, lines, err = verify(capsys, tmp_path / "absent.yaml")
    assert (code, lines) == (2, []), err
    assert "no such file" in err
    code, _, err = verify(capsys, FIXTURE / "positions.yaml", "--format", "xml")
    assert code == 2, err
    not_a_folder = tmp_path / "evidence"
    not_a_folder.write_text("a file")
    code, _, err = verify(capsys, FIXTURE / "positions.yaml", "--evidence", not_a_folder)
    assert code == 2, err
    assert "is not a folder" in err


def test_the_path_defaults_like_validate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fixture_copy: Path
) -> None:
    monkeypatch.setenv("POSITIONS_FILE", str(fixture_copy))
    code, lines, err = verify(capsys)
    assert code == 0, (lines, err)
    assert lines[-1].startswith(f"{fixture_copy}: every quote found (3 quotes checked")


def test_json_is_the_same_report(capsys: pytest.CaptureFixture[str], fixture_copy: Path) -> None:
    change_quote(fixture_copy, 0, "Words nobody said")
    (fixture_copy.parent / "evidence" / "digest.txt").unlink()
    code, lines, err = verify(capsys, fixture_copy, "--format", "json")
    assert code == 1, err
    report = json.loads("\n".join(lines))
    assert report["valid"] is False
    assert (report["errors"], report["warnings"], report["validation_errors"]) == (1, 1, 0)
    assert report["counts"] == {
        "quotes_checked": 3,
        "quotes_found": 2,
        "translations_checked": 0,
        "translations_found": 0,
        "sources_cited": 2,
        "sources_archived": 1,
    }
    assert [(p["type"], p["severity"], p["loc"]) for p in report["problems"]] == [
        ("missing-evidence", "warning", "sources[1]"),
        ("quote-not-in-evidence", "error", "positions[0].quote"),
    ]
    assert report["evidence"] == str(fixture_copy.parent / "evidence")


def test_validation_errors_do_not_stop_verify_but_fail_it(
    capsys: pytest.CaptureFixture[str], fixture_copy: Path
) -> None:
    text = fixture_copy.read_text(encoding="utf-8").replace("stance: 0", "stance: 9")
    fixture_copy.write_text(text, encoding="utf-8")
    code, lines, err = verify(capsys, fixture_copy)
    assert code == 1, (lines, err)
    assert lines == [
        f"{fixture_copy}: the file has 1 validation error: the records with one were not verified "
        f"(see python -m stances validate {fixture_copy})",
        f"{fixture_copy}: every quote found (2 quotes checked, 2 found; 1 of 1 source archived)",
    ]


def test_verify_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "data")
    path = tmp_path / "data" / "positions.yaml"
    archive = tmp_path / "data" / "evidence" / "interview.txt"
    archive.write_bytes(archive.read_bytes().replace(b"retrieved:", b"retrieved\xff:"))
    result = subprocess.run(
        [sys.executable, "-m", "stances", "verify", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "STANCES_NO_CACHE": "1"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(f"{archive}:5: error[invalid-evidence] the evidence archive of source 'interview'")
    assert "Traceback" not in result.stderr


def test_verify_imports_no_dataframe_or_ui_library() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stances", "verify", str(FIXTURE / "positions.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "stances.evidence" in imported, "the import listing did not show the command's own modules"
    assert {"pandas", "plotly", "streamlit"} & imported == set()


# --- the bundled dataset and its archive -------------------------------------------------------


def test_the_bundled_dataset_is_verified_strictly(capsys: pytest.CaptureFixture[str]) -> None:
    # passes once every source of positions.yaml has its archive under evidence/
    positions = len(load_dataset(BUNDLED).positions)
    assert positions > 0
    code, lines, err = verify(capsys, BUNDLED, "--strict", "--format", "json")
    report = json.loads("\n".join(lines))
    problems = [f"{p['path']}:{p['line']}: {p['type']} {p['loc']}: {p['message']}" for p in report["problems"]]
    assert code == 0, problems or err
    assert report["counts"]["quotes_checked"] == report["counts"]["quotes_found"] == positions


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """positions.yaml and evidence/ copied together."""
    shutil.copy(BUNDLED, tmp_path / "positions.yaml")
    shutil.copytree(ROOT / "evidence", tmp_path / "evidence")
    return tmp_path / "positions.yaml"


def test_a_changed_quote_in_the_bundled_data_fails_at_its_line(
    capsys: pytest.CaptureFixture[str], bundled_copy: Path
) -> None:
    quote = quote_node(bundled_copy, 0).value
    line, column = change_quote(bundled_copy, 0, quote + " And that was all.")
    code, lines, err = verify(capsys, bundled_copy)
    assert code == 1, (lines, err)
    prefix = f"{bundled_copy}:{line}:{column}: error[quote-not-in-evidence] the 1st position (positions[0].quote): ("
    assert [x for x in lines if "quote-not-in-evidence" in x] == [x for x in lines if x.startswith(prefix)], lines
    assert any(x.startswith(prefix) for x in lines), lines


def test_deleting_an_archive_of_the_bundled_data_fails_when_strict(
    capsys: pytest.CaptureFixture[str], bundled_copy: Path
) -> None:
    source = load_dataset(bundled_copy).positions[0].source
    archive = bundled_copy.parent / "evidence" / f"{source}.txt"
    assert archive.exists(), f"the bundled evidence has no archive for {source}"
    archive.unlink()
    code, lines, err = verify(capsys, bundled_copy, "--strict")
    assert code == 1, (lines, err)
    assert any("error[missing-evidence]" in x and f"source '{source}'" in x for x in lines), lines
