"""What a file holds and whether it has settled: the state a writer checks before and after it
replaces a file, and the wait until no other program is writing it.

A file has *settled* when no program holds it open for writing and it has not changed for
``SETTLE_SECONDS``: by its modification time (a file saved a minute ago is read at once) or, when
that time cannot be trusted (it lies in the future: another machine's clock), by watching it for
that long. Its bytes are then read between two identical ``stat`` calls, so a write during the
read is seen. A program that rewrites the file in place (``cp`` from a slow source, an editor that
truncates and writes) holds it open until it has finished: on Linux, ``/proc`` tells which
programs do (:func:`writers`), so a writer that stalls halfway for longer than the interval is
still waited for. Where the system cannot tell (another user's programs, no ``/proc``), only the
interval protects.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stances.regularfiles import NotRegularFile, kind_of

# Unchanged this long, and open for writing in no program: settled. Long enough for the pauses
# between the chunks of a program writing steadily (an editor's save, a copy from a disk), short
# enough not to be noticed when a file was saved just before `add`; a file not touched for this
# long is not waited for at all.
SETTLE_SECONDS = 0.5
WAIT_SECONDS = 10.0  # the longest wait for another program to finish writing, then a refusal
POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class FileState:
    """A file's content (size and sha256) and, when it was read from disk, which file it was
    (device and inode) and when it was last modified. Two states match when every field both
    know is equal."""

    size: int
    sha256: str
    mtime_ns: int | None = None
    dev: int | None = None
    ino: int | None = None

    @classmethod
    def of_bytes(cls, data: bytes) -> FileState:
        """The state of a content alone (which file held it unknown)."""
        return cls(len(data), hashlib.sha256(data).hexdigest())

    def same_file(self, other: os.stat_result) -> bool:
        """Whether ``other`` is the file this state was read from (True when that is unknown)."""
        return self.ino is None or (other.st_dev, other.st_ino) == (self.dev, self.ino)

    def same_stat(self, other: os.stat_result) -> bool:
        """The same file, size and modification time as ``other`` (the content is not read)."""
        same_time = self.mtime_ns is None or other.st_mtime_ns == self.mtime_ns
        return self.same_file(other) and other.st_size == self.size and same_time


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file's bytes and its state when they were read."""

    data: bytes
    state: FileState


@dataclass(frozen=True, slots=True)
class Writer:
    """A program that holds a file open for writing."""

    pid: int
    name: str

    def describe(self) -> str:
        """``cp, pid 4242``."""
        return f"{self.name}, pid {self.pid}"


class NotSettled(OSError):
    """The file was still being written when the wait ran out; the message says by whom, if known."""


# The last files this process wrote itself (device, inode, size, mtime): settled as soon as written.
_OWN_WRITES: deque[tuple[int, int, int, int]] = deque(maxlen=16)


def note_own_write(written: os.stat_result) -> None:
    """Remember a file this process has just put in place: reading it back need not wait."""
    _OWN_WRITES.append(_key(written))


def _key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def writers(st: os.stat_result) -> list[Writer]:
    """The programs that hold the file ``st`` describes open for writing, as far as this system
    tells (Linux's ``/proc``, this user's programs; everyone's for root). Empty elsewhere."""
    found: list[Writer] = []
    try:
        processes = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return found
    for pid in processes:
        try:
            descriptors = [e.name for e in os.scandir(f"/proc/{pid}/fd")]
        except OSError:  # gone, or another user's
            continue
        for fd in descriptors:
            try:
                target = os.stat(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if (target.st_ino, target.st_dev) == (st.st_ino, st.st_dev) and _opened_for_writing(pid, fd):
                found.append(Writer(int(pid), _program_name(pid)))
                break
    return found


def _opened_for_writing(pid: str, fd: str) -> bool:
    try:
        with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("flags:"):
                    return int(line.split()[1], 8) & os.O_ACCMODE in (os.O_WRONLY, os.O_RDWR)
    except (OSError, ValueError, IndexError):
        pass
    return False


def _program_name(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as handle:
            return handle.read().strip() or "a program"
    except OSError:
        return "a program"


def held_by(holders: list[Writer]) -> str:
    """`` (held open by cp, pid 4242)``, or nothing when no program is known to hold it."""
    return f" (held open by {'; '.join(w.describe() for w in holders)})" if holders else ""


def busy_message(name: str, holders: list[Writer]) -> str:
    """``positions.yaml is being written by another program; waiting...`` (naming it when known)."""
    return (
        f"{name} is being written by another program; waiting up to {WAIT_SECONDS:g} s for it to finish"
        f"{held_by(holders)}..."
    )


def wait_until_settled(path: str | Path, *, on_wait: Callable[[str], None] | None = None) -> os.stat_result:
    """Wait until the file at ``path`` has settled (see the module's docstring); its ``stat``.

    ``on_wait`` is told once, with :func:`busy_message`, when a program holds the file open for
    writing or it is still changing after SETTLE_SECONDS.
    Raises NotSettled after ``WAIT_SECONDS``, NotRegularFile for what is not a regular file, and
    the OSError of a file that cannot be found or read.
    """
    path = Path(path)
    begun = time.monotonic()
    deadline = begun + WAIT_SECONDS
    told = False
    seen: tuple[tuple[int, int, int, int], float] | None = None  # the stat last seen, since when
    while True:
        current = os.stat(path)
        if stat.S_ISDIR(current.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        kind = kind_of(current.st_mode)
        if kind is not None:  # a FIFO, a device, a socket: nothing to wait for or replace
            raise NotRegularFile(path.name, kind)
        if seen is None or seen[0] != _key(current):
            seen = (_key(current), time.monotonic())
        holders = writers(current)
        if not holders and _quiet(current, since=seen[1]):
            return current
        # a file saved a moment ago is waited for in silence; one held open, or still changing, is said
        if not told and on_wait is not None and (holders or time.monotonic() - begun >= SETTLE_SECONDS):
            on_wait(busy_message(path.name, holders))
            told = True
        if time.monotonic() >= deadline:
            still = f"{path.name} was still being written by another program after {WAIT_SECONDS:g} s"
            raise NotSettled(still + held_by(holders))
        time.sleep(POLL_SECONDS)


def _quiet(current: os.stat_result, *, since: float) -> bool:
    """Unchanged for SETTLE_SECONDS: written by this process just now, or modified long enough
    ago, or (a modification time in the future) watched unchanged for that long."""
    if _key(current) in _OWN_WRITES:
        return True
    age = time.time() - current.st_mtime_ns / 1e9
    return age >= SETTLE_SECONDS or (age < 0 and time.monotonic() - since >= SETTLE_SECONDS)


def read_settled(
    path: str | Path, *, on_wait: Callable[[str], None] | None = None, limit: int | None = None
) -> Snapshot:
    """The bytes of the file at ``path`` once it has settled (:func:`wait_until_settled`), read
    between two identical ``stat`` calls, and their state. With ``limit``, at most that many bytes
    plus one are read (the caller refuses a longer file). Raises as wait_until_settled."""
    while True:
        before = wait_until_settled(path, on_wait=on_wait)
        with open(path, "rb") as handle:
            opened = os.fstat(handle.fileno())
            data = handle.read() if limit is None else handle.read(limit + 1)
            after = os.fstat(handle.fileno())
        if _key(before) == _key(opened) == _key(after) and (limit is not None or len(data) == after.st_size):
            state = FileState(
                len(data), hashlib.sha256(data).hexdigest(), after.st_mtime_ns, after.st_dev, after.st_ino
            )
            return Snapshot(data, state)
        # it changed while it was read: wait for it again
