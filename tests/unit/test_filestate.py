"""stances.filestate: when a file has settled, which programs hold it open for writing, and
reading it only then."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from stances import filestate
from stances.filestate import NotRegularFile, NotSettled, read_settled, wait_until_settled, writers

ON_LINUX = Path("/proc/self/fd").is_dir()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "positions.yaml"
    file.write_bytes(b"title: x\n")
    past = time.time() - 60
    os.utime(file, (past, past))
    return file


@pytest.mark.skipif(not ON_LINUX, reason="only Linux's /proc tells which programs hold a file open")
def test_a_handle_open_for_writing_is_a_writer_and_one_open_for_reading_is_not(path):
    with open(path, "rb"):
        assert writers(os.stat(path)) == []
    with open(path, "r+b"):
        (found,) = writers(os.stat(path))
    assert found.pid == os.getpid() and found.name
    with open(path, "ab"):
        assert len(writers(os.stat(path))) == 1
    assert writers(os.stat(path)) == []


def test_a_file_untouched_for_the_interval_is_read_at_once(path, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 30.0)
    told: list[str] = []
    started = time.monotonic()
    snapshot = read_settled(path, on_wait=told.append)
    assert time.monotonic() - started < 1.0
    assert snapshot.data == b"title: x\n" and told == []
    assert snapshot.state.size == 9 and snapshot.state.ino == os.stat(path).st_ino


def test_a_file_changed_just_now_is_read_once_it_has_been_quiet_for_the_interval(path, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.3)
    path.write_bytes(b"title: y\n")
    told: list[str] = []
    started = time.monotonic()
    assert read_settled(path, on_wait=told.append).data == b"title: y\n"
    assert 0.25 <= time.monotonic() - started < 3.0
    assert told == []  # a moment's wait after a save, in silence


def test_a_file_that_keeps_changing_is_said_to_be_waited_for(path, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.2)
    stop, started = threading.Event(), threading.Event()

    def keeps_appending() -> None:  # a writer that opens, appends and closes: no handle to see
        for n in range(8):
            with open(path, "ab") as handle:
                handle.write(f"# {n}\n".encode())
            started.set()
            if stop.wait(0.1):
                return

    writer = threading.Thread(target=keeps_appending)
    writer.start()
    started.wait()
    told: list[str] = []
    data = read_settled(path, on_wait=told.append).data
    stop.set()
    writer.join()
    assert data.endswith(b"# 7\n")  # read after its last change
    assert told == ["positions.yaml is being written by another program; waiting up to 10 s for it to finish..."]


@pytest.mark.skipif(not ON_LINUX, reason="only Linux's /proc tells which programs hold a file open")
def test_a_writer_that_stalls_longer_than_the_interval_is_waited_for(path, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.05)
    halfway = threading.Event()

    def slow_copy() -> None:
        with open(path, "r+b") as handle:
            handle.truncate(0)
            handle.write(b"title: half")
            handle.flush()
            halfway.set()
            time.sleep(0.6)  # well past the interval: only its open handle shows it is not done
            handle.write(b" and the rest\n")

    writer = threading.Thread(target=slow_copy)
    writer.start()
    halfway.wait()
    told: list[str] = []
    data = read_settled(path, on_wait=told.append).data
    writer.join()
    assert data == b"title: half and the rest\n"
    assert "held open by" in told[0] and f"pid {os.getpid()}" in told[0]


@pytest.mark.skipif(not ON_LINUX, reason="only Linux's /proc tells which programs hold a file open")
def test_the_wait_is_bounded(path, monkeypatch):
    monkeypatch.setattr(filestate, "WAIT_SECONDS", 0.3)
    with open(path, "r+b"):
        started = time.monotonic()
        with pytest.raises(NotSettled, match=r"still being written by another program after 0.3 s \(held open by"):
            wait_until_settled(path)
    assert time.monotonic() - started < 2.0


def test_a_modification_time_in_the_future_is_not_trusted_the_file_is_watched(path, monkeypatch):
    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.2)
    future = time.time() + 3600  # another machine's clock
    os.utime(path, (future, future))
    started = time.monotonic()
    wait_until_settled(path)
    assert time.monotonic() - started >= 0.2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_not_read(tmp_path):
    fifo = tmp_path / "positions.yaml"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile, match="is a FIFO \\(named pipe\\), not a regular file"):
        read_settled(fifo)


def test_a_folder_is_refused_as_a_folder(tmp_path):
    with pytest.raises(IsADirectoryError):
        read_settled(tmp_path)


def test_the_read_stops_past_the_limit(path):
    path.write_bytes(b"x" * 100)
    os.utime(path, (time.time() - 60,) * 2)
    assert read_settled(path, limit=10).data == b"x" * 11
