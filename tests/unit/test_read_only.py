"""``STANCES_READ_ONLY=1``: no command changes a dataset or its evidence archive, and every place
the project writes is listed in docs/security.md with what read-only does there."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from stances import evidence
from stances.cli import main
from stances.load import load_dataset

ROOT = Path(__file__).parents[2]
BASIC = ROOT / "tests" / "data" / "append" / "basic.yaml"
QUOTE = "We hope so."
ADD = [
    "--actor", "CHN", "--issue", "bmd", "--stance", "1", "--date", "2014-05-20", "--speaker", "Hong Lei",
    "--role", "Foreign Ministry spokesperson", "--voice", "official", "--quote", QUOTE, "--source", "src",
]  # fmt: skip


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and inode (a file replaced by a rename has a new inode)."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_ino)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A dataset with an evidence archive beside it."""
    shutil.copyfile(BASIC, tmp_path / "positions.yaml")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "src.txt").write_text(
        "source: src\nurl: none\npublisher: Example Publisher\ntitle: none given\n---\nSomething else.\n",
        encoding="utf-8",
    )
    return tmp_path


def test_no_command_changes_the_dataset_or_its_archive(project: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    before = snapshot(project)
    data = str(project / "positions.yaml")
    commands = [
        ["add", "--file", data, *ADD, "--context", f"Asked about it, he said: {QUOTE}"],
        ["generate", "--positions", "5", "--out", data, "--force"],
        ["generate", "--positions", "5", "--out", str(project / "evidence" / "src.txt"), "--force"],
        ["export", "--format", "csv", "--out", str(project), "--file", data, "--force"],
        ["export", "--format", "csv", "--out", str(project / "evidence"), "--file", data, "--force"],
    ]
    codes = [main(command) for command in commands]
    err = capsys.readouterr().err
    assert "Traceback" not in err and "please report" not in err
    assert codes[:3] == [2, 2, 2], err
    assert codes[3:] == [0, 0], err  # new files only: the tables, beside the dataset (docs/security.md)
    after = snapshot(project)
    assert {name: after[name] for name in before} == before  # not one byte, not one file replaced
    assert load_dataset(data).positions == load_dataset(BASIC).positions


def test_the_archive_refuses_under_read_only(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    source = load_dataset(project / "positions.yaml").sources_by_id()["src"]
    with pytest.raises(evidence.WriteRefused, match="STANCES_READ_ONLY=1"):
        evidence.append_context(project / "evidence", source, QUOTE)
    with pytest.raises(evidence.WriteRefused, match="STANCES_READ_ONLY=1"):
        evidence.append_context(project / "new-evidence", source, QUOTE)
    assert not (project / "new-evidence").exists()  # not even its folder


# --- every write path, listed ----------------------------------------------------------------------

# A call that writes a file or changes a folder entry.
WRITES = re.compile(
    r"\.write_text\(|\.write_bytes\(|\bopen\([^)]*['\"][wax]b?\+?['\"]|os\.replace\(|os\.rename\(|replace_file\("
    r"|shutil\.(?:copy|move|rmtree)|\.mkdir\(|\.unlink\(|os\.unlink\(|os\.O_CREAT|\.touch\(|mkstemp\("
)
SOURCES = [*sorted((ROOT / "stances").glob("*.py")), ROOT / "app.py", ROOT / "ui.py", ROOT / "serve.py"]
SOURCES += sorted((ROOT / "pages").glob("*.py"))


def writing_modules() -> set[str]:
    """The modules of the project (not tests or benchmarks) with a call that writes."""
    found = set()
    for path in SOURCES:
        code = "\n".join(line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
        if WRITES.search(code):
            found.add(str(path.relative_to(ROOT)))
    return found


def test_every_module_that_writes_is_in_the_security_docs() -> None:
    found = writing_modules()
    assert {"stances/atomicfile.py", "stances/evidence.py", "stances/outputfolder.py", "stances/cache.py"} <= found
    section = (ROOT / "docs" / "security.md").read_text(encoding="utf-8").split("## Where the project writes", 1)
    assert len(section) == 2, "docs/security.md has no section 'Where the project writes'"
    table = section[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`((?:stances/|pages/)?[a-z_]+\.py)`", table))
    assert found - listed == set(), "writes without a row in docs/security.md"
