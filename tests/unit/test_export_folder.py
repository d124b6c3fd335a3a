"""``export --out DIR`` writes only where asked: never through a link, never onto the positions
file, never over a file it did not write unless ``--force``, and a folder in the way is named."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from stances import export
from stances.cli import main
from stances.outputfolder import MANIFEST, FolderRefused, OutputFolder

ROOT = Path(__file__).parents[2]
JOINT = ROOT / "tests" / "data" / "joint" / "valid.yaml"
VALID = ROOT / "tests" / "data" / "valid.yaml"
CSV_FILES = ["actors.csv", "bloc_members.csv", "issues.csv", "sources.csv", "scale.csv", "positions.csv"]


@pytest.fixture(autouse=True)
def writable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes allowed unless a test turns read-only on (the environment running the tests may have it)."""
    monkeypatch.delenv("STANCES_READ_ONLY", raising=False)


def dataset_copy(folder: Path, name: str = "positions.yaml", source: Path = JOINT) -> tuple[Path, bytes]:
    """A copy of a dataset at ``folder/name`` and its bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copyfile(source, path)
    return path, path.read_bytes()


def export_csv(out: Path, data: Path, *flags: str) -> int:
    return main(["export", "--format", "csv", "--out", str(out), "--file", str(data), *flags])


def needs_chromium() -> None:
    """Skip (or fail under REQUIRE_BROWSER=1) when no Chromium is there (the png export checks first)."""
    if export.chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but no Chromium was found")
    pytest.skip("no Chromium on PATH: image export refuses to start without one")


# --- a link in DIR ---------------------------------------------------------------------------------


def test_csv_export_never_writes_through_a_link_to_the_dataset(tmp_path: Path, capsys) -> None:
    data, before = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    (out / "datapackage.json").symlink_to(data)
    for flags in ([], ["--force"]):
        code = export_csv(out, data, *flags)
        err = capsys.readouterr().err
        assert code == 2, err
        assert f"error: {out / 'datapackage.json'} is a link to the positions file {data}" in err
        assert "nothing was written" in err and "Traceback" not in err
        assert data.read_bytes() == before
        assert sorted(p.name for p in out.iterdir()) == ["datapackage.json"]  # nothing else written


@pytest.mark.browser
def test_image_export_never_writes_through_a_link_index_html(tmp_path: Path, capsys) -> None:
    needs_chromium()
    data, before = dataset_copy(tmp_path / "data", source=VALID)
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").symlink_to(data)
    code = main(["export", "--out", str(out), "--file", str(data), "--as-of", "2025-01-01"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {out / 'index.html'} is a link to the positions file {data}" in err
    assert data.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_a_link_elsewhere_is_refused_and_with_force_replaced_not_followed(tmp_path: Path, capsys) -> None:
    data, _ = dataset_copy(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("keep me\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "actors.csv").symlink_to(elsewhere)
    assert export_csv(out, data) == 2
    err = capsys.readouterr().err
    assert f"{out / 'actors.csv'} is a link" in err and "--force" in err
    assert export_csv(out, data, "--force") == 0, capsys.readouterr().err
    assert not (out / "actors.csv").is_symlink() and (out / "actors.csv").read_text(encoding="utf-8-sig").startswith(
        "id,"
    )
    assert elsewhere.read_text(encoding="utf-8") == "keep me\n"


# --- the positions file itself ---------------------------------------------------------------------


def test_csv_export_into_the_datasets_folder_never_replaces_the_dataset(tmp_path: Path, capsys) -> None:
    # a dataset named like one of the files export writes, and --out its own folder
    folder = tmp_path / "project"
    data, before = dataset_copy(folder, "positions.csv")
    for flags in ([], ["--force"]):
        code = export_csv(folder, data, *flags)
        err = capsys.readouterr().err
        assert code == 2, err
        assert f"error: {data} is the positions file: export never writes over it" in err
        assert data.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["positions.csv"]


def test_a_hard_link_to_the_dataset_is_the_dataset(tmp_path: Path, capsys) -> None:
    # compared by device and inode, not by name
    data, before = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    os.link(data, out / "issues.csv")
    code = export_csv(out, data, "--force")
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {out / 'issues.csv'} is the positions file: export never writes over it" in err
    assert data.read_bytes() == before


@pytest.mark.browser
def test_image_export_into_the_datasets_folder_never_replaces_the_dataset(tmp_path: Path, capsys) -> None:
    needs_chromium()
    folder = tmp_path / "project"
    data, before = dataset_copy(folder, "index.json", source=VALID)
    code = main(["export", "--out", str(folder), "--file", str(data), "--as-of", "2025-01-01", "--force"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {data} is the positions file: export never writes over it" in err
    assert data.read_bytes() == before


def test_out_naming_the_dataset_itself_is_refused(tmp_path: Path, capsys) -> None:
    data, before = dataset_copy(tmp_path)
    code = export_csv(data, data, "--force")
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {data} is a file, not a folder" in err
    assert data.read_bytes() == before


# --- a folder in the way ---------------------------------------------------------------------------


def test_a_folder_in_the_way_is_named(tmp_path: Path, capsys) -> None:
    data, _ = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    (out / "datapackage.json").mkdir(parents=True)
    for flags in ([], ["--force"]):
        code = export_csv(out, data, *flags)
        err = capsys.readouterr().err
        assert code == 2, err
        assert err.startswith(f"error: {out / 'datapackage.json'} is a folder: export writes a file there")
        assert "please report" not in err and "unexpected failure" not in err
        assert sorted(p.name for p in out.iterdir()) == ["datapackage.json"]


@pytest.mark.browser
def test_image_export_names_a_folder_in_the_way(tmp_path: Path, capsys) -> None:
    needs_chromium()
    data, _ = dataset_copy(tmp_path / "data", source=VALID)
    out = tmp_path / "out"
    (out / "index.json").mkdir(parents=True)
    code = main(["export", "--out", str(out), "--file", str(data), "--as-of", "2025-01-01"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"error: {out / 'index.json'} is a folder: export writes a file there" in err
    assert "please report" not in err and "unexpected failure" not in err


# --- files export did not write --------------------------------------------------------------------


def test_files_export_did_not_write_are_refused_without_force(tmp_path: Path, capsys) -> None:
    data, _ = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    (out / "positions.csv").write_text("my own table\n", encoding="utf-8")
    (out / "notes.txt").write_text("not in the way\n", encoding="utf-8")
    code = export_csv(out, data)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err == (
        f"error: {out} holds 1 file export did not write: positions.csv; nothing was written. "
        "Choose a new or empty folder, or pass --force to replace it.\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "positions.csv"]
    assert (out / "positions.csv").read_text(encoding="utf-8") == "my own table\n"
    assert export_csv(out, data, "--force") == 0, capsys.readouterr().err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "not in the way\n"  # other files stay
    assert (out / "positions.csv").read_text(encoding="utf-8-sig").startswith("position,")


def test_export_replaces_its_own_files_but_not_an_edited_one(tmp_path: Path, capsys) -> None:
    data, _ = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    assert export_csv(out, data) == 0
    assert export_csv(out, data) == 0, capsys.readouterr().err  # its own files: no --force needed
    capsys.readouterr()
    (out / "issues.csv").write_text("edited by hand\n", encoding="utf-8")
    code = export_csv(out, data)
    err = capsys.readouterr().err
    assert code == 2 and "1 file export did not write: issues.csv" in err, err
    assert (out / "issues.csv").read_text(encoding="utf-8") == "edited by hand\n"


def test_read_only_never_replaces_a_file_export_did_not_write(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    data, _ = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    assert export_csv(out, data) == 0, capsys.readouterr().err  # a new folder: allowed
    assert export_csv(out, data) == 0, capsys.readouterr().err  # its own files again: allowed
    (out / "issues.csv").write_text("edited by hand\n", encoding="utf-8")
    code = export_csv(out, data, "--force")
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Writing over files is turned off (STANCES_READ_ONLY=1)" in err
    assert (out / "issues.csv").read_text(encoding="utf-8") == "edited by hand\n"


def test_the_manifest_lists_what_export_wrote(tmp_path: Path, capsys) -> None:
    data, _ = dataset_copy(tmp_path / "data")
    out = tmp_path / "out"
    assert export_csv(out, data) == 0, capsys.readouterr().err
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted([*CSV_FILES, "datapackage.json"])


# --- the folder itself (stances.outputfolder) ------------------------------------------------------


def test_a_name_that_leaves_the_folder_is_refused(tmp_path: Path) -> None:
    for name in ("../escape.csv", "sub/x.csv", "..", "", "a\0b", MANIFEST):
        with pytest.raises(FolderRefused, match="not a plain file name"):
            OutputFolder.open(tmp_path / "out", [name])
    assert not (tmp_path / "escape.csv").exists()


def test_out_a_link_to_nothing_is_named(tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(tmp_path / "gone")
    with pytest.raises(FolderRefused, match=r"out is a link to nothing; nothing was written"):
        OutputFolder.open(tmp_path / "out", ["a.csv"])
    assert not (tmp_path / "gone").exists()


def test_a_fifo_in_the_way_is_named_and_never_opened(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "a.csv")
    with pytest.raises(FolderRefused, match=r"a\.csv is not a regular file \(a FIFO"):
        OutputFolder.open(out, ["a.csv"], force=True)


def test_a_link_put_there_after_the_check_is_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n", encoding="utf-8")
    out = tmp_path / "out"
    with OutputFolder.open(out, ["a.csv", "b.csv"]) as folder:
        folder.write("a.csv", b"a\n")
        (out / "b.csv").symlink_to(victim)  # a race: the name was free when checked
        with pytest.raises(FolderRefused, match=r"b\.csv changed while export was writing"):
            folder.write("b.csv", b"b\n")
    assert victim.read_text(encoding="utf-8") == "untouched\n"
    assert (out / "b.csv").is_symlink()
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "a.csv", "b.csv"]  # no temporary file left


def test_the_folder_swapped_for_a_link_halfway_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    with OutputFolder.open(out, ["a.csv", "b.csv"]) as folder:
        folder.write("a.csv", b"a\n")
        out.rename(tmp_path / "moved")
        out.symlink_to(elsewhere)
        folder.write("b.csv", b"b\n")  # into the folder opened, wherever it is now
    assert list(elsewhere.iterdir()) == []
    assert (tmp_path / "moved" / "b.csv").read_bytes() == b"b\n"


def test_a_hand_edited_manifest_claims_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputFolder.open(out, ["a.csv"]) as folder:
        folder.write("a.csv", b"a\n")
    (out / "b.csv").write_bytes(b"mine\n")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["b.csv"] = hashlib.sha256(b"mine\n").hexdigest()
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(FolderRefused, match=rf"holds 2 files export did not write: b\.csv, {re.escape(MANIFEST)};"):
        OutputFolder.open(out, ["b.csv"])


def test_files_written_keep_the_umask_and_the_folder_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "other.txt").write_bytes(b"x")
    with OutputFolder.open(out, ["a.csv"]) as folder:
        assert folder.write("a.csv", b"a\n") == out / "a.csv"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((out / "a.csv").stat().st_mode) == 0o666 & ~mask
    assert (out / "other.txt").read_bytes() == b"x"


@pytest.mark.browser
def test_image_export_twice_into_one_folder_and_nothing_fetched_from_outside(tmp_path: Path, capsys) -> None:
    needs_chromium()
    data, _ = dataset_copy(tmp_path / "data", source=VALID)
    out = tmp_path / "out"
    for _ in range(2):  # the second run replaces its own files without --force
        code = main(["export", "--out", str(out), "--file", str(data), "--format", "svg", "--as-of", "2025-01-01"])
        assert code == 0, capsys.readouterr().err
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    files = [entry["file"] for entry in index["charts"]]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert external_references(page) == [] and re.findall(r"<(?:link|script|iframe)\b", page) == []
    assert sorted(re.findall(r'src="([^"]*)"', page)) == sorted(files)  # images from the folder only
    for name in files:
        assert external_references((out / name).read_text(encoding="utf-8")) == [], name


def external_references(text: str) -> list[str]:
    """What a browser would fetch from another machine to show ``text`` (HTML or SVG): src and
    non-link href attributes, CSS url() and @import with an http(s) or protocol-relative address."""
    found = re.findall(r"""(?<!<a )\b(?:src|xlink:href|href)\s*=\s*["']\s*((?:https?:)?//[^"']*)""", text)
    found += re.findall(r"""url\(\s*["']?\s*((?:https?:)?//[^"')]*)""", text)
    found += re.findall(r"@import[^;]*", text)
    return found
