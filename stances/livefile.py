"""A positions file watched while the dashboard shows it: the version to show, kept up to date.

One :class:`FileWatch` per file, shared by every session and by its poller thread. The poller
stats the file every ``WATCH_POLL_SECONDS`` and parses a change at once (and builds its positions
frame), so that the sessions' reruns find it parsed, or wait for the parse under way instead of
starting their own. The file goes through stances.load's pipeline (:func:`~stances.load.read_file`,
then :func:`~stances.load.dataset_of`): a save that only touched the file (same sha256) is not
parsed again, and the fast path's reads of the last version (fastload.ChunkMemo) are handed to the
next, so that a save reads again only the positions it changed. A save that breaks the file (a
YAML syntax error, an emptied file) keeps the last valid version on show, marked ``stale``. Once
the sessions have redrawn, a new parse goes to the disk cache and what is alive is frozen out of
the garbage collector's passes (:func:`freeze_long_lived`). While a parse runs (the poller's or a
session's), every other session is answered within PARSE_WAIT_SECONDS with the version on screen (another session
waited 32-85 s for the parse of a hostile file); only a first load, with nothing to show yet, waits.

Pure (no Streamlit): the dashboard keeps the watches (one per path) and asks them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import threading
import time
import weakref
from dataclasses import dataclass, field

import pandas as pd

from stances import analysis, fastload
from stances.load import DatasetFileError, dataset_of, read_file
from stances.model import Dataset

RELOAD_SECONDS = 0.5  # each session's check: a stat, and a rerun only on a change
# A check that finds a parse under way waits this long for its end (then reruns at once), else leaves
# it to the next check; short, so that a click in that session waits little behind the check.
RELOAD_WAIT_SECONDS = 0.25
WATCH_POLL_SECONDS = 0.1  # the poller thread: a stat per watched file
WATCH_IDLE_SECONDS = 30.0  # the poller leaves a file alone when no session asked for it this long
CACHE_WRITE_DELAY = 5.0  # the disk-cache write and the freeze wait until the sessions have redrawn
FREEZER_THREAD = "stances-freeze"  # the timer thread of a scheduled freeze_long_lived
WRITE_SETTLE_SECONDS = 0.05  # a file changed this recently may be half written: read it a little later
# How long a session waits for a parse under way before it shows the version on screen instead:
# a save's parse usually ends first (so the page shows the new data), a long one never holds a page.
PARSE_WAIT_SECONDS = 0.25

Stamp = tuple[int, int]  # (mtime in ns, size)


def file_stamp(path: str) -> Stamp | None:
    """(mtime in ns, size): the cheap test for "the file changed"; None if it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def settling(stamp: Stamp | None) -> float:
    """Seconds until a file with this stamp is WRITE_SETTLE_SECONDS old (0 when it is, or its
    mtime is in the future): an editor may still be writing a file that changed just now."""
    if stamp is None:
        return 0.0
    age = (time.time_ns() - stamp[0]) / 1e9
    return WRITE_SETTLE_SECONDS - age if 0 <= age < WRITE_SETTLE_SECONDS else 0.0


def record_count(dataset: Dataset | None) -> int:
    """How many valid records ``dataset`` holds, of every kind (0 for None)."""
    if dataset is None:
        return 0
    return len(dataset.actors) + len(dataset.issues) + len(dataset.sources) + len(dataset.positions)


def broken(current: Dataset, good: Dataset | None) -> bool:
    """A save that lost everything: no valid record, where an error says why or the last good
    version had some (a YAML syntax error, an emptied file)."""
    if record_count(current) > 0:
        return False
    return bool(current.errors) or record_count(good) > 0


@dataclass
class Loaded:
    """What the pages show, and how it relates to the file as saved now."""

    dataset: Dataset | None  # the version on screen
    current: Dataset | None  # the file as saved now (None: unreadable)
    stale: bool  # the version on screen is the last valid one, not the file as saved
    saved_at: dt.datetime | None  # when the version on screen was saved
    error: str  # why the file cannot be read at all ("" when it can)
    stamp: Stamp | None  # file stamp this result was made from


@dataclass
class FileWatch:
    """The file's last parse and last valid version, with their positions frames; one per path,
    shared by every session and the poller thread (hold ``lock`` around :meth:`refresh`)."""

    path: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    stamp: Stamp | None = None
    sha: str = ""
    checked: bool = False  # refresh ran and did not fail (the poller leaves a failure to load())
    current: Dataset | None = None
    current_saved: dt.datetime | None = None
    error: str = ""
    good: Dataset | None = None
    good_saved: dt.datetime | None = None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # content hash -> frame
    chunks: fastload.ChunkMemo = field(default_factory=fastload.ChunkMemo)  # the last parse's reads
    wanted: float = 0.0  # time.monotonic() of the last session's interest
    poller: threading.Thread | None = None  # runs while sessions want the file (see want)
    poller_lock: threading.Lock = field(default_factory=threading.Lock)  # one poller, whoever starts it
    freeze_due: bool = False  # a freeze_long_lived is scheduled
    shown: Loaded | None = None  # the last result handed out, whole: what a session gets during a parse

    @property
    def busy(self) -> bool:
        """True while a parse (or another look at the file) holds the watch."""
        return self.lock.locked()

    def settled(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a parse under way to end: True once none runs."""
        if not self.lock.acquire(timeout=timeout):
            return False
        self.lock.release()
        return True

    def load(self) -> Loaded:
        """The version to show, re-read first if the file's stamp changed since the last look;
        while another thread re-reads it, the last version handed out once PARSE_WAIT_SECONDS pass."""
        stamp = file_stamp(self.path)
        if self.shown is None:
            self.lock.acquire()  # nothing to show yet: wait for the parse under way, if any
        elif not self.lock.acquire(timeout=PARSE_WAIT_SECONDS):
            return self.shown
        try:
            if not self.checked or stamp != self.stamp:
                self.refresh(stamp)
            self.shown = self.result()
            return self.shown
        finally:
            self.lock.release()

    def refresh(self, stamp: Stamp | None) -> None:
        """Re-read the file (its stamp changed); parse it only if its content (sha256) changed;
        then build the positions frame of the version to show."""
        self.checked, self.stamp = True, stamp
        saved = dt.datetime.fromtimestamp(stamp[0] / 1e9) if stamp else None
        try:
            read = read_file(self.path)
        except DatasetFileError as exc:
            self.current, self.sha, self.error = None, "", str(exc)
            return
        self.error = ""
        if read.content_hash == self.sha and self.current is not None:
            return  # touched, not changed
        # a new cache entry is written CACHE_WRITE_DELAY later, so that the write does not compete
        # with the sessions' redraw for the interpreter
        self.current = dataset_of(read, background=True, write_delay=CACHE_WRITE_DELAY, chunks=self.chunks)
        self.sha, self.current_saved = read.content_hash, saved  # after the parse: a failed one is tried again
        if not broken(self.current, self.good):
            self.good, self.good_saved = self.current, saved
        self._frames()
        self._freeze_later()

    def result(self) -> Loaded:
        """The version to show: the file as saved, or the last valid one if the save broke it."""
        current = None if self.error else self.current
        stale = self.good is not None and (current is None or broken(current, self.good))
        shown = self.good if stale else current
        saved = self.good_saved if stale else self.current_saved
        return Loaded(shown, current, stale, saved, self.error, self.stamp)

    def frame(self, dataset: Dataset) -> pd.DataFrame | None:
        """The positions frame built for ``dataset`` (shared: do not modify it), if this watch
        built one: it keeps those of the file as saved and of the last valid version."""
        return self.frames.get(dataset.content_hash)

    def _frames(self) -> None:
        """Keep the frames of the versions that can be shown: the one on screen now is built here,
        once for every session (a failure is left to the page that needs the frame)."""
        keep = {d.content_hash for d in (self.current, self.good) if d is not None}
        self.frames = {sha: frame for sha, frame in self.frames.items() if sha in keep}
        shown = self.result().dataset
        if shown is not None and shown.content_hash not in self.frames:
            with contextlib.suppress(Exception):  # the page builds it again and reports the error
                self.frames[shown.content_hash] = analysis.positions_frame(shown)

    def want(self) -> None:
        """Mark the file as shown by a session now; start its poller if none runs."""
        self.wanted = time.monotonic()
        with self.poller_lock:
            if self.poller is None or not self.poller.is_alive():
                self.poller = threading.Thread(
                    target=_poll, args=(weakref.ref(self),), name="stances-file-watcher", daemon=True
                )
                self.poller.start()

    def poll(self) -> bool:
        """One look at the file: parse it at once if it changed, so that the sessions' reruns find
        it parsed (or wait for the parse under way). False once no session wanted it for a while."""
        if self.wanted < time.monotonic() - WATCH_IDLE_SECONDS:
            return False
        stamp = file_stamp(self.path)
        if not self.checked or stamp == self.stamp or settling(stamp):
            return True  # failed before (a session's load reports it), unchanged, or maybe half written
        with self.lock:
            if stamp != self.stamp:
                try:
                    self.refresh(stamp)
                    self.shown = self.result()
                except Exception:  # a session's own load() tries again and reports it
                    self.checked = False
        return True

    def _freeze_later(self) -> None:
        """:func:`freeze_long_lived` in CACHE_WRITE_DELAY seconds, unless it is already due (one
        collection for a burst of saves)."""
        if self.freeze_due:
            return
        self.freeze_due = True
        freezer = threading.Timer(CACHE_WRITE_DELAY, self._freeze)
        freezer.daemon = True
        freezer.name = FREEZER_THREAD  # named, so that it can be found (tests wait for it)
        freezer.start()

    def _freeze(self) -> None:
        self.freeze_due = False
        freeze_long_lived()


def freeze_long_lived() -> None:
    """Collect, then move every object alive (modules, the datasets and frames on screen) out of
    the cyclic garbage collector's reach (gc.freeze).

    Streamlit runs a full collection after every script run (runner.postScriptGC), each
    session's file-watching fragment included: with a large dataset in memory each of those
    passes scans the whole dataset (docs/performance.md has the figures), and so do the
    collector's own full passes. Frozen objects are still freed when their last reference goes;
    cyclic garbage among them waits for the next call (after the next reload), which unfreezes
    and collects first.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _poll(watch_ref: weakref.ref[FileWatch]) -> None:
    """A watch's poller thread: stat the file every ``WATCH_POLL_SECONDS`` (FileWatch.poll). It
    ends when no session wanted the file for ``WATCH_IDLE_SECONDS`` (the next one starts it
    again), or when the watch itself is gone (the dashboard dropped it)."""
    while True:
        time.sleep(WATCH_POLL_SECONDS)
        watch = watch_ref()
        if watch is None or not watch.poll():
            return
        del watch  # the dashboard's cache alone keeps it alive between looks
