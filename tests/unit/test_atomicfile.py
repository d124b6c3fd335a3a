"""stances.atomicfile: the replace, the check of the file replaced (and putting it back), the
fallbacks where two files cannot be exchanged in one step, permissions and owners, and which
temporary files count as a killed write's."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest

from stances import atomicfile
from stances.atomicfile import NotWritable, TargetChanged, remove_stale_temps, replace_file, write_refusal
from stances.filestate import FileState, read_settled

OLD, NEW, THEIRS = b"old content\n", b"new content\n", b"their content, written meanwhile\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "positions.yaml"
    path.write_bytes(OLD)
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def expected_of(path: Path) -> FileState:
    return read_settled(path).state


# exchanged in one step (renameat2), a hard link kept before os.replace, or only an open file
FALLBACKS = ["exchange", "hard link", "open file only"]


@pytest.fixture(params=FALLBACKS)
def fallback(request, monkeypatch) -> str:
    if request.param != "exchange":
        monkeypatch.setattr(atomicfile, "exchange", lambda first, second: False)
    if request.param == "open file only":

        def no_links(*args, **kwargs):
            raise OSError(1, "Operation not permitted")

        monkeypatch.setattr(atomicfile.os, "link", no_links)
    return request.param


def test_an_unchanged_file_is_replaced_and_nothing_is_left_beside_it(target, fallback):
    replace_file(target, NEW, mode=0o640, expected=expected_of(target))
    assert target.read_bytes() == NEW
    assert target.stat().st_mode & 0o777 == 0o640
    assert temporaries(target.parent) == []


def test_a_file_written_in_place_just_before_the_rename_is_put_back(target, fallback):
    expected = expected_of(target)

    def someone_saves() -> None:
        with open(target, "r+b") as handle:
            handle.write(THEIRS)

    with pytest.raises(TargetChanged, match="back in place") as raised:
        replace_file(target, NEW, mode=0o644, expected=expected, check=someone_saves)
    assert raised.value.restored
    assert target.read_bytes() == THEIRS
    assert temporaries(target.parent) == []


def test_a_handle_still_open_on_the_file_replaced_writes_into_the_file_put_back(target, fallback):
    expected = expected_of(target)
    handles = []

    def someone_opens() -> None:
        handles.append(open(target, "r+b"))  # noqa: SIM115 - held across the rename on purpose

    with pytest.raises(TargetChanged):
        replace_file(target, NEW, mode=0o644, expected=expected, check=someone_opens)
    handles[0].write(THEIRS)
    handles[0].close()
    if fallback == "open file only":  # a copy was put back: what is written later cannot reach it
        assert target.read_bytes() == OLD
    else:
        assert target.read_bytes() == THEIRS


def test_a_change_seen_before_the_rename_calls_it_off(target):
    expected = expected_of(target)
    target.write_bytes(THEIRS)
    with pytest.raises(TargetChanged, match="changed on disk since it was read") as raised:
        replace_file(target, NEW, mode=0o644, expected=expected)
    assert not raised.value.restored
    assert target.read_bytes() == THEIRS
    assert temporaries(target.parent) == []


def test_a_file_that_must_be_new_is_not_put_over_one_that_appeared(tmp_path, fallback):
    path = tmp_path / "new.txt"

    def appears() -> None:
        path.write_bytes(THEIRS)

    with pytest.raises(TargetChanged, match="appeared"):
        replace_file(path, NEW, mode=0o644, must_not_exist=True, check=appears)
    assert path.read_bytes() == THEIRS
    replace_file(tmp_path / "other.txt", NEW, mode=0o644, must_not_exist=True)
    assert (tmp_path / "other.txt").read_bytes() == NEW
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_file_without_write_permission_is_refused_untouched(target, mode):
    target.chmod(mode)
    with pytest.raises(NotWritable, match=rf"read-only \(mode {mode:04o}\)"):
        replace_file(target, NEW, mode=0o644)
    assert target.read_bytes() == OLD
    assert write_refusal(target) == f"positions.yaml is read-only (mode {mode:04o})"
    target.chmod(0o644)
    assert write_refusal(target) is None


def test_another_users_file_is_named_as_read_only_for_you(target, monkeypatch):
    monkeypatch.setattr(atomicfile.os, "access", lambda *args, **kwargs: False)
    assert write_refusal(target).startswith("positions.yaml is read-only for you (mode 0644, owned by ")


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_the_owner_and_group_are_kept(target, fallback):
    os.chown(target, 65534, 65534)
    replace_file(target, NEW, mode=0o664, expected=expected_of(target))
    after = target.stat()
    assert (after.st_uid, after.st_gid, after.st_mode & 0o777) == (65534, 65534, 0o664)


def make_temporary(target: Path, middle: str, age: float = 120) -> Path:
    path = target.parent / f".{target.name}.{middle}.tmp"
    path.write_bytes(b"half a file")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_only_a_killed_writes_old_unlocked_temporary_files_are_removed(target, monkeypatch):
    monkeypatch.setattr(atomicfile, "STALE_SECONDS", 0.0)  # every one is old enough: the other rules decide
    killed = make_temporary(target, f"{dead_pid()}.0a1b2c3d")
    from_mkstemp = make_temporary(target, "k3j_9xq2")  # the name earlier versions used
    live = make_temporary(target, f"{os.getpid()}.0a1b2c3d")  # this process is alive
    locked = make_temporary(target, f"{dead_pid()}.ffffffff")
    lock = os.open(locked, os.O_RDONLY)
    fcntl.flock(lock, fcntl.LOCK_EX)
    someone_elses = target.parent / ".positions.yaml.backup.tmp"  # not our pattern
    someone_elses.write_bytes(b"keep me")
    other_target = make_temporary(target.parent / "other.yaml", f"{dead_pid()}.0a1b2c3d")
    try:
        removed = remove_stale_temps(target)
    finally:
        os.close(lock)
    assert sorted(removed) == sorted([killed, from_mkstemp])
    assert all(p.exists() for p in (live, locked, someone_elses, other_target))


def test_a_temporary_file_changed_a_moment_ago_is_kept(target):
    young = make_temporary(target, f"{dead_pid()}.0a1b2c3d", age=0)
    assert remove_stale_temps(target) == []
    assert young.exists()


def test_a_stale_temporary_file_goes_with_the_next_write(target, monkeypatch):
    stale = make_temporary(target, f"{dead_pid()}.0a1b2c3d")
    monkeypatch.setattr(atomicfile, "STALE_SECONDS", 0.0)
    replace_file(target, NEW, mode=0o644, expected=expected_of(target))
    assert not stale.exists()
    assert temporaries(target.parent) == []
