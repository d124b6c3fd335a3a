"""Only regular files are read: a FIFO, a device or a socket given as the positions file is refused
at once with a clear message (the CLI's validate and add, the dashboard's file watch), never
waited on; the cache's entries are read only when they are regular files within a size bound."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from stances import load, regularfiles
from stances.livefile import FileWatch
from stances.load import DatasetFileError, load_dataset
from stances.regularfiles import FileTooLarge, NotRegularFile, read_regular

REPO = Path(__file__).parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and unix sockets")
TIMEOUT = 20  # seconds: a refusal takes a fraction of one; the old code blocked for ever


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "positions.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        server.listen(1)  # a listening socket: a reader could connect and wait for ever
        yield path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m stances ...`` in a fresh process, killed after TIMEOUT (a blocked read fails the test)."""
    env = dict(os.environ, STANCES_NO_CACHE="1", PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "stances", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=TIMEOUT
    )


def in_a_thread(function, *args):
    """``function(*args)`` in a thread that must finish within TIMEOUT (a FIFO would block it)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(function(*args))
        except Exception as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), f"{function.__name__} blocked"
    return outcome[0]


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_validate_refuses_what_is_not_a_regular_file(kind: str, fifo: Path, unix_socket: Path) -> None:
    path = {"fifo": fifo, "device": Path("/dev/zero"), "socket": unix_socket}[kind]
    if not path.exists():
        pytest.skip(f"no {path}")
    done = cli("validate", str(path))
    expected = {"fifo": "is a FIFO (named pipe), not a regular file", "device": "is a device", "socket": "is a socket"}
    assert done.returncode == 2, done.stdout + done.stderr
    assert expected[kind] in done.stderr and "Traceback" not in done.stderr
    assert "name the positions file" in done.stderr.lower()  # says what to do


def test_add_refuses_a_fifo_at_once(fifo: Path) -> None:
    done = cli(
        "add", "--file", str(fifo), "--actor", "RUS", "--issue", "bmd", "--stance", "1", "--date", "2020",
        "--speaker", "S", "--role", "R", "--voice", "official", "--quote", "Q", "--source", "src", "--yes",
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "FIFO" in done.stderr and "Traceback" not in done.stderr


def test_the_dashboard_watch_reports_a_fifo_without_blocking(fifo: Path) -> None:
    loaded = in_a_thread(FileWatch(str(fifo)).load)
    assert loaded.dataset is None
    assert "FIFO" in loaded.error


def test_a_file_swapped_for_a_fifo_keeps_the_last_good_version(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "positions.yaml"
    path.write_bytes((data_dir / "valid.yaml").read_bytes())
    watch = FileWatch(str(path))
    assert len(watch.load().dataset.positions) == 2
    path.unlink()
    os.mkfifo(path)
    loaded = in_a_thread(watch.load)
    assert loaded.stale and len(loaded.dataset.positions) == 2
    assert "FIFO" in loaded.error


def test_load_dataset_raises_a_clear_error_for_a_fifo(fifo: Path) -> None:
    error = in_a_thread(load_dataset, fifo)
    assert isinstance(error, DatasetFileError)
    assert str(error) == (
        f"{fifo} is a FIFO (named pipe), not a regular file: name the positions file itself "
        "(a pipe, a device or a socket cannot be read as one)"
    )


def test_read_regular_refuses_each_kind(fifo: Path, unix_socket: Path, tmp_path: Path) -> None:
    for path, kind in ((fifo, "a FIFO (named pipe)"), (unix_socket, "a socket"), (tmp_path, "a folder")):
        with pytest.raises(NotRegularFile) as refused:
            _raise(in_a_thread(lambda p=path: read_regular(p, limit=10)))
        assert refused.value.kind == kind
    if Path("/dev/zero").exists():
        with pytest.raises(NotRegularFile, match="is a device"):
            read_regular("/dev/zero", limit=10)


def _raise(result: object) -> object:
    if isinstance(result, Exception):
        raise result
    return result


def test_read_regular_bounds_the_size_and_can_refuse_links(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_bytes(b"12345")
    assert read_regular(target, limit=5) == b"12345"
    with pytest.raises(FileTooLarge) as large:
        read_regular(target, limit=4)
    assert large.value.size == 5
    link = tmp_path / "link"
    link.symlink_to(target)
    assert read_regular(link, limit=5) == b"12345"  # the positions file may be a link
    with pytest.raises(NotRegularFile, match="symbolic link"):
        read_regular(link, limit=5, follow_links=False)


def test_a_path_swapped_after_the_stat_is_checked_again(fifo: Path, tmp_path: Path, monkeypatch) -> None:
    """The descriptor is stat'ed once opened: a regular file swapped for a FIFO between the stat and
    the open is refused, not read (O_NONBLOCK: the open itself does not wait for a writer)."""
    regular = tmp_path / "regular"
    regular.write_bytes(b"x")
    real_stat = os.stat
    # the first look sees a regular file; what is opened is the FIFO
    monkeypatch.setattr(os, "stat", lambda path, **kw: real_stat(regular if path == fifo else path, **kw))
    with pytest.raises(NotRegularFile, match="FIFO"):
        _raise(in_a_thread(lambda: read_regular(fifo, limit=10)))


def test_a_file_longer_than_its_reported_size_is_read_only_up_to_the_bound(tmp_path: Path, monkeypatch) -> None:
    """A file that grows while it is read (or reports a wrong size, as /proc files do) is read only
    up to ``limit + 1`` bytes, and the loader says the file is too large."""
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"x" * 2000)
    real_fstat = os.fstat
    monkeypatch.setattr(
        regularfiles.os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 0, *real_fstat(fd)[7:]))
    )
    with pytest.raises(FileTooLarge) as large:
        read_regular(path, limit=1000)
    assert large.value.size is None
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 1000)
    [problem] = load_dataset(path).problems
    assert problem.type == "file-too-large" and "holds more than" in problem.message


def test_the_loader_and_the_writer_say_the_same_of_a_file_they_cannot_read(
    fifo: Path, unix_socket: Path, tmp_path: Path
) -> None:
    from stances import positionsfile
    from stances.append import CannotAppend

    locked = tmp_path / "locked.yaml"
    locked.write_text("title: x\n", encoding="utf-8")
    locked.chmod(0)
    cases = [fifo, unix_socket, tmp_path, tmp_path / "missing.yaml"]
    if os.geteuid() != 0:  # root reads a file whatever its mode
        cases.append(locked)
    for path in cases:
        with pytest.raises(DatasetFileError) as loading:
            _raise(in_a_thread(lambda p=path: load.read_file(p)))
        with pytest.raises(CannotAppend) as appending:
            _raise(in_a_thread(lambda p=path: positionsfile.read_for_append(p)))
        assert str(appending.value) == str(loading.value), path
        assert str(path) in str(loading.value)
