"""``add`` beside other writers: a program that rewrites the file in place and stalls, an edit
between the last check and the rename, a read-only file, the temporary file of a killed add.

Whatever the timing, the other program's version is never lost: either ``add`` waits until the
file has settled and appends after it (exit 0), or it puts the other version back and says that
nothing was added (exit 2).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_cli_add import FIXTURES, FLAGS, REPO  # the same fixture file and the same record to add

from stances import atomicfile, filestate, positionsfile
from stances.cli import main
from stances.load import load_dataset

ON_LINUX = Path("/proc/self/fd").is_dir()  # where add can see which programs hold the file open for writing


@pytest.fixture(autouse=True)
def short_waits(monkeypatch):
    """A settle interval and a wait limit that keep the tests short (the defaults are for people)."""
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.1)
    monkeypatch.setattr(filestate, "WAIT_SECONDS", 5.0)


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    path = tmp_path / "positions.yaml"
    shutil.copyfile(FIXTURES / "basic.yaml", path)
    settle(path)
    return path


def settle(path: Path) -> None:
    """Date the file a minute back, as a file nobody touched lately."""
    past = time.time() - 60
    os.utime(path, (past, past))


def their_position(n: int) -> str:
    """A position written by the other program (its own speaker, so it can be counted)."""
    return (
        f"  - actor: RUS\n    issue: bmd\n    stance: -1\n    date: 2013-0{n}\n    speaker: Writer {n}\n"
        f'    role: Deputy Foreign Minister\n    voice: official\n    quote: "Said {n}."\n    source: src\n'
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def run_add(path: Path, *extra: str) -> int:
    return main(["add", "--file", str(path), *FLAGS, *extra])


WRITER = textwrap.dedent(
    """
    import sys, time
    path, first, rest, pause = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode(), float(sys.argv[4])
    with open(path, "r+b") as handle:  # as cp from a slow source, or an editor that truncates and writes
        handle.truncate(0)
        handle.write(first)
        handle.flush()
        print("halfway", flush=True)
        time.sleep(pause)
        handle.write(rest)
    """
)


def test_an_in_place_writer_that_stalls_halfway_loses_nothing(dataset_file, capsys):
    theirs = dataset_file.read_text() + "".join(their_position(n) for n in range(1, 7))
    cut = theirs.index(their_position(4))  # the first half is a valid file: the dangerous case
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(dataset_file), theirs[:cut], theirs[cut:], "1.5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "halfway"
        code = run_add(dataset_file)
    finally:
        writer.wait(timeout=30)
    captured = capsys.readouterr()
    data = dataset_file.read_text()
    assert data.startswith(theirs), data  # every byte the other program wrote
    speakers = [p.speaker for p in load_dataset(dataset_file).positions]
    assert [s for s in speakers if s.startswith("Writer")] == [f"Writer {n}" for n in range(1, 7)]
    if code == 0:
        assert speakers.count("Hong Lei") == 1
        assert "is being written by another program; waiting" in captured.err
    else:
        assert code == 2 and "nothing was added" in captured.err
        assert data == theirs
    if ON_LINUX:  # it sees the writer holding the file open, so it waits and then appends
        assert code == 0, captured.out + captured.err
    assert leftovers(dataset_file.parent) == []


def last_check_then(monkeypatch, edit) -> None:
    """Run ``edit`` right after add's last "unchanged" check, just before the rename (a pause there)."""
    real = positionsfile._ensure_unchanged

    def checked_then_edited(target, plan):
        real(target, plan)
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_name != "replace_file":
            frame = frame.f_back
        if frame is not None:  # the check inside the write, not an earlier one
            edit(Path(target))

    monkeypatch.setattr(positionsfile, "_ensure_unchanged", checked_then_edited)


def in_place(path: Path, data: bytes) -> None:
    with open(path, "r+b") as handle:  # truncate and write, as many editors save
        handle.truncate(0)
        handle.write(data)


def by_rename(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".swp")  # write a copy, rename it over: the other way editors save
    temporary.write_bytes(data)
    os.replace(temporary, path)


@pytest.mark.parametrize("save", [in_place, by_rename])
def test_an_edit_during_a_pause_before_the_rename_is_put_back(dataset_file, capsys, monkeypatch, save):
    theirs = (dataset_file.read_text() + their_position(1)).encode()
    last_check_then(monkeypatch, lambda target: save(target, theirs))

    code = run_add(dataset_file)

    captured = capsys.readouterr()
    assert code == 2, captured.out + captured.err
    assert "nothing was added" in captured.err
    assert "Traceback" not in captured.err
    assert dataset_file.read_bytes() == theirs
    assert leftovers(dataset_file.parent) == []


def test_a_writer_that_keeps_writing_after_the_rename_writes_into_the_file_put_back(dataset_file, capsys, monkeypatch):
    """The other program opened the file just before the rename and writes after it: its file, with
    its open handle, is the one put back, so its later bytes land in the file at the path."""
    theirs = (dataset_file.read_text() + their_position(1)).encode()
    handles = []

    def opens_and_starts(target: Path) -> None:
        handle = open(target, "r+b")  # noqa: SIM115 - held across the rename on purpose
        handle.truncate(0)
        handle.write(theirs[:40])
        handle.flush()
        handles.append(handle)

    last_check_then(monkeypatch, opens_and_starts)
    monkeypatch.setattr(filestate, "WAIT_SECONDS", 0.5)  # it never finishes while add waits
    code = run_add(dataset_file)
    handles[0].write(theirs[40:])
    handles[0].close()

    captured = capsys.readouterr()
    assert code == 2, captured.out + captured.err
    assert "nothing was added" in captured.err
    assert dataset_file.read_bytes() == theirs
    assert leftovers(dataset_file.parent) == []


def test_a_read_only_file_is_refused_and_left_as_it_is(dataset_file, capsys):
    dataset_file.chmod(0o444)
    old = dataset_file.read_bytes()
    before = dataset_file.stat()

    code = run_add(dataset_file)

    captured = capsys.readouterr()
    assert code == 2
    assert "read-only" in captured.err and "nothing was written" in captured.err
    after = dataset_file.stat()
    assert dataset_file.read_bytes() == old
    assert (after.st_ino, after.st_mode, after.st_uid) == (before.st_ino, before.st_mode, before.st_uid)
    assert run_add(dataset_file, "--dry-run") == 0  # a dry run writes nothing: allowed


NOBODY = 65534


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_someone_elses_read_only_file_is_refused_and_a_writable_one_keeps_its_owner(dataset_file, capsys):
    os.chown(dataset_file, NOBODY, NOBODY)
    dataset_file.chmod(0o444)
    old = dataset_file.read_bytes()
    assert run_add(dataset_file) == 2
    assert "read-only" in capsys.readouterr().err
    assert dataset_file.read_bytes() == old

    dataset_file.chmod(0o664)
    assert run_add(dataset_file) == 0, capsys.readouterr()
    after = dataset_file.stat()
    assert (after.st_uid, after.st_gid, after.st_mode & 0o7777) == (NOBODY, NOBODY, 0o664)
    assert load_dataset(dataset_file).positions[-1].speaker == "Hong Lei"


STALLED_ADD = textwrap.dedent(
    """
    import sys, time
    from stances import positionsfile
    from stances.cli import main

    real = positionsfile._ensure_unchanged

    def stall(target, plan):  # the temporary file is written; stop just before the rename
        real(target, plan)
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_name != "replace_file":
            frame = frame.f_back
        if frame is not None:
            print("stalled", flush=True)
            time.sleep(60)

    positionsfile._ensure_unchanged = stall
    sys.exit(main(["add", "--file", sys.argv[1], *sys.argv[2:]]))
    """
)


def stalled_add(path: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", STALLED_ADD, str(path), *FLAGS], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    lines = iter(process.stdout.readline, "")  # it prints the block first
    assert "stalled" in (line.strip() for line in lines)
    return process


def test_the_temporary_file_of_a_killed_add_is_removed_by_the_next_and_a_live_ones_kept(dataset_file, monkeypatch):
    folder = dataset_file.parent
    killed = stalled_add(dataset_file)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    (stale,) = leftovers(folder)
    live = stalled_add(dataset_file)
    try:
        (live_temp,) = set(leftovers(folder)) - {stale}
        monkeypatch.setattr(atomicfile, "STALE_SECONDS", 0.0)  # "older than a short age", without waiting for it

        assert run_add(dataset_file) == 0

        assert leftovers(folder) == [live_temp]  # the killed add's file is gone, the live one's kept
    finally:
        live.kill()
        live.wait(timeout=30)
    assert load_dataset(dataset_file).positions[-1].speaker == "Hong Lei"


def test_a_writer_that_never_lets_go_is_waited_for_then_refused(dataset_file, capsys, monkeypatch):
    monkeypatch.setattr(filestate, "WAIT_SECONDS", 0.5)
    old = dataset_file.read_bytes()
    with open(dataset_file, "r+b"):  # open for writing in "another program" for the whole add
        code = run_add(dataset_file)
    captured = capsys.readouterr()
    if not ON_LINUX:
        pytest.skip("only Linux tells which programs hold a file open")
    assert code == 2
    assert "is being written by another program; waiting" in captured.err
    assert "still being written" in captured.err and "nothing was written" in captured.err
    assert dataset_file.read_bytes() == old


def test_a_file_saved_a_moment_ago_is_read_once_it_has_settled(dataset_file, capsys, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.3)
    os.utime(dataset_file)  # saved just now
    started = time.monotonic()
    assert run_add(dataset_file) == 0
    assert time.monotonic() - started >= 0.25
    assert load_dataset(dataset_file).positions[-1].speaker == "Hong Lei"


def test_a_file_nobody_touched_lately_is_not_waited_for(dataset_file, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 5.0)
    started = time.monotonic()
    assert run_add(dataset_file) == 0
    assert time.monotonic() - started < 4.0


def speaking(speaker: str) -> list[str]:
    return [speaker if flag == "Hong Lei" else flag for flag in FLAGS]


def test_concurrent_adds_each_write_once_or_are_refused_cleanly(dataset_file):
    count = 8
    commands = [
        [sys.executable, "-m", "stances", "add", "--file", str(dataset_file), *speaking(f"Speaker {n}")]
        for n in range(count)
    ]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "stdin": subprocess.DEVNULL}
    processes = [subprocess.Popen(command, cwd=REPO, text=True, **pipes) for command in commands]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    written = [n for n, (code, _, _) in enumerate(results) if code == 0]
    for code, out, err in results:
        assert code in (0, 2), out + err
        assert "Traceback" not in err
        if code == 2:
            assert "nothing was" in err, err
    dataset = load_dataset(dataset_file)
    assert dataset.errors == []
    speakers = [p.speaker for p in dataset.positions]
    assert sorted(s for s in speakers if s.startswith("Speaker")) == sorted(f"Speaker {n}" for n in written)
    assert speakers[0] == "Sergei Ryabkov" and written
    assert leftovers(dataset_file.parent) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "positions.yaml"
    os.mkfifo(fifo)
    assert run_add(fifo) == 2  # before: it waited for a writer on the FIFO for ever
    # said as the loader says it (stances.regularfiles.read_failure)
    assert f"error: {fifo} is a FIFO (named pipe), not a regular file: name the positions file itself" in (
        capsys.readouterr().err
    )
