"""Open data: the dataset as tidy CSV tables and a Data Package that the frictionless library
validates, with the real content (counts, joint statements, keys, formulas, dates)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from frictionless import validate

from stances import opendata
from stances.cli import main
from stances.load import load_dataset
from stances.outputfolder import MANIFEST

ROOT = Path(__file__).parents[2]
BUNDLED = ROOT / "positions.yaml"
JOINT = ROOT / "tests" / "data" / "joint" / "valid.yaml"
HOSTILE = ROOT / "tests" / "data" / "hostile" / "hostile_text.yaml"
TABLES = ["actors", "bloc_members", "issues", "sources", "scale", "positions"]


def written(path: Path, out: Path) -> opendata.OpenData:
    """The package of ``path`` written into ``out``."""
    data = opendata.open_data(load_dataset(path))
    out.mkdir(exist_ok=True)
    opendata.write_package(data, out)
    return data


def rows(out: Path, table: str) -> list[dict[str, str]]:
    """A written CSV as a spreadsheet or csv module reads it."""
    return list(csv.DictReader(io.StringIO((out / f"{table}.csv").read_text(encoding="utf-8-sig"))))


def valid_report(out: Path) -> dict[str, int]:
    """frictionless' verdict on the written package: rows per table, failing with every error."""
    report = validate(out / opendata.PACKAGE_FILE)
    assert report.valid, [(t.name, e.type, e.message) for t in report.tasks for e in t.errors]
    return {task.name: task.stats.get("rows", 0) for task in report.tasks}  # no "rows" when empty


def test_the_bundled_dataset_is_a_valid_package_with_every_record(tmp_path: Path) -> None:
    dataset = load_dataset(BUNDLED)
    written(BUNDLED, tmp_path)
    counted = valid_report(tmp_path)
    signatures = sum(len(p.signatories) for p in dataset.positions)
    assert counted == {
        "actors": len(dataset.actors),
        "bloc_members": sum(len(a.members or []) for a in dataset.actors),
        "issues": len(dataset.issues),
        "sources": len(dataset.sources),
        "scale": len(dataset.scale.labels),
        "positions": signatures,
    }
    assert counted["positions"] > 100 and counted["bloc_members"] > 0  # it checked real rows
    positions = rows(tmp_path, "positions")
    assert len({r["position"] for r in positions}) == len(dataset.positions)
    assert next(r["quote"] for r in positions if r["actor"] == dataset.positions[0].signatories[0]) == (
        dataset.positions[0].quote
    )
    package = json.loads((tmp_path / opendata.PACKAGE_FILE).read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [f"{t}.csv" for t in TABLES]
    assert package["title"] == dataset.title and dataset.content_hash[:7] in package["description"]


def test_a_joint_statement_gives_one_row_per_signatory_and_regroups(tmp_path: Path) -> None:
    dataset = load_dataset(JOINT)
    written(JOINT, tmp_path)
    valid_report(tmp_path)
    positions = rows(tmp_path, "positions")
    three = [r for r in positions if r["position"] == "2"]
    assert [r["actor"] for r in three] == ["CHN", "USA", "RUS"]
    assert {(r["joint"], r["signatories"], r["quote"], r["stance"]) for r in three} == {
        ("True", "CHN USA RUS", "three signatories", "0")
    }
    assert [(r["actor"], r["joint"], r["signatories"]) for r in positions if r["position"] == "1"] == [
        ("USA", "False", "USA")
    ]
    regrouped = {r["position"]: r["signatories"].split(" ") for r in positions}
    assert regrouped == {str(n): list(p.signatories) for n, p in enumerate(dataset.positions)}


def test_foreign_keys_resolve_and_a_broken_one_is_caught(tmp_path: Path) -> None:
    written(BUNDLED, tmp_path)
    ids = {table: {r["id"] for r in rows(tmp_path, table)} for table in ("actors", "issues", "sources")}
    positions = rows(tmp_path, "positions")
    assert {r["actor"] for r in positions} <= ids["actors"]
    assert {r["issue"] for r in positions} <= ids["issues"]
    assert {r["source"] for r in positions} | {r["translation_source"] for r in positions} - {""} <= ids["sources"]
    assert {r["member"] for r in rows(tmp_path, "bloc_members")} <= ids["actors"]
    # the same check by frictionless, which must fail when a key does not resolve
    text = (tmp_path / "positions.csv").read_text(encoding="utf-8-sig")
    first = positions[0]
    (tmp_path / "positions.csv").write_text(
        text.replace(f"{first['position']},{first['actor']},", f"{first['position']},ZZZ,", 1), encoding="utf-8-sig"
    )
    report = validate(tmp_path / opendata.PACKAGE_FILE)
    assert [(task.name, error.type) for task in report.tasks for error in task.errors] == [("positions", "foreign-key")]


def test_hostile_text_cannot_run_as_a_formula_and_numbers_stay_numbers(tmp_path: Path) -> None:
    written(HOSTILE, tmp_path)
    valid_report(tmp_path)
    positions = rows(tmp_path, "positions")
    assert "'=CMD|' /C calc'!A0 and ![x](https://evil.example/pixel.png)" in [r["quote"] for r in positions]
    assert {r["role"] for r in positions} >= {"'=1+1", "'+role"}
    assert sorted(r["stance"] for r in positions) == ["", "-2", "0", "1", "2"]  # null empty, not "None"
    names = [r["name"] for r in rows(tmp_path, "actors")]
    assert names[2].startswith("'=HYPERLINK(")
    for table in TABLES:
        cells = [v for r in rows(tmp_path, table) for k, v in r.items() if k not in ("stance",)]
        assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")], table
        assert "None" not in cells and "nan" not in cells, table


def test_dates_are_text_spreadsheets_keep_and_languages_are_codes(tmp_path: Path) -> None:
    dataset = load_dataset(BUNDLED)
    written(BUNDLED, tmp_path)
    positions = rows(tmp_path, "positions")
    by_precision = {p.date.count("-"): p.date for p in dataset.positions}
    written_dates = {r["date"] for r in positions}
    assert f"{by_precision[0]}-XX-XX" in written_dates  # a year
    assert f"{by_precision[1]}-XX" in written_dates  # a month
    assert by_precision[2] in written_dates  # a day, as it is
    assert all(len(d) == 10 for d in written_dates)
    assert {r["language"] for r in positions} == {p.language for p in dataset.positions}
    assert {len(r["language"]) for r in positions} == {2}
    source_dates = [r["date"] for r in rows(tmp_path, "sources") if r["date"]]
    assert source_dates and all(len(d) == 10 for d in source_dates)


def test_a_position_naming_a_record_left_out_is_left_out_too(tmp_path: Path) -> None:
    path = tmp_path / "partly.yaml"
    text = JOINT.read_text(encoding="utf-8")
    # the only source gets an invalid address: the loader leaves the source out, with a problem
    path.write_text(text.replace("    publisher: Example\n", "    publisher: Example\n    url: ftp://x\n"), "utf-8")
    dataset = load_dataset(path)
    assert dataset.errors and not dataset.sources and dataset.positions
    out = tmp_path / "out"
    data = written(path, out)
    assert data.left_out == len(dataset.positions)
    assert valid_report(out)["positions"] == 0


def test_the_zip_holds_the_same_files(tmp_path: Path) -> None:
    data = opendata.open_data(load_dataset(JOINT))
    with zipfile.ZipFile(io.BytesIO(opendata.zip_bytes(data))) as archive:
        assert archive.namelist() == [f"{t}.csv" for t in TABLES] + [opendata.PACKAGE_FILE]
        archive.extractall(tmp_path)
    assert valid_report(tmp_path)["positions"] == 6
    assert opendata.zip_bytes(data) == opendata.zip_bytes(data)  # the same data, the same bytes


def test_export_csv_writes_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "open"
    code = main(["export", "--format", "csv", "--out", str(out), "--file", str(JOINT)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "6 tables and datapackage.json written" in err and "3 positions in 6 rows" in err
    # and the manifest of what export wrote (stances.outputfolder), so that a second run may replace them
    expected = [f"{t}.csv" for t in TABLES] + [opendata.PACKAGE_FILE, MANIFEST]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    valid_report(out)


def test_export_csv_of_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--format", "csv", "--out", str(tmp_path), "--file", str(tmp_path / "missing.yaml")])
    assert code == 2
    assert "missing.yaml" in capsys.readouterr().err


def test_export_csv_needs_neither_plotly_nor_chromium(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from stances.cli import main\n"
        f"code = main(['export', '--format', 'csv', '--out', {str(tmp_path)!r}, '--file', {str(JOINT)!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('plotly', 'kaleido')))\n"
    )
    env = {"PATH": "/nonexistent", "BROWSER_PATH": "/nonexistent/chromium", "STANCES_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.stdout.strip() == "0 []", done.stderr


def test_export_waits_for_a_file_still_being_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # an editor's save under way (the file open for writing, half of it there): export reads the
    # whole file once the writer has finished, never the half it would otherwise find
    import threading

    data = tmp_path / "positions.yaml"
    whole = BUNDLED.read_bytes()
    handle = data.open("wb")
    handle.write(whole[: len(whole) // 2])
    handle.flush()

    def finish() -> None:
        handle.write(whole[len(whole) // 2 :])
        handle.close()

    writer = threading.Timer(0.5, finish)
    writer.start()
    try:
        code = main(["export", "--format", "csv", "--out", str(tmp_path / "open"), "--file", str(data)])
    finally:
        writer.join()
    err = capsys.readouterr().err
    assert code == 0, err
    assert "positions.yaml is being written by another program; waiting" in err, err
    with (tmp_path / "open" / "positions.csv").open(encoding="utf-8-sig") as table:  # (a BOM, for Excel)
        exported = {row["position"] for row in csv.DictReader(table)}
    assert len(exported) == len(load_dataset(BUNDLED).positions)
