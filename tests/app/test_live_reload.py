"""Live reload on the server side: the watcher thread parses a saved edit before any session asks,
the sessions reuse that parse and its positions frame, and the disk cache is still filled."""

from __future__ import annotations

import gc
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from apphelpers import DATASETS

import ui
from stances import analysis, fastload, livefile
from stances import cache as disk_cache
from stances.generate import generate
from stances.load import load_dataset, parse_dataset

DEADLINE = 60.0  # seconds to wait for the watcher thread before failing (it polls every 0.1 s)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of a small dataset, with a private disk cache."""
    monkeypatch.setenv("STANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STANCES_NO_CACHE", raising=False)
    path = tmp_path / "positions.yaml"
    shutil.copyfile(DATASETS / "orphan_issue.yaml", path)
    return path


def save(path: Path, text: str) -> None:
    """Write ``text`` with an mtime in the past: a new stamp that is not "still being written"."""
    before = os.stat(path).st_mtime_ns
    path.write_text(text, encoding="utf-8")
    past = min(before, time.time_ns()) - 5_000_000_000
    os.utime(path, ns=(past, past))


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the watcher thread did not pick up the saved file")
        time.sleep(0.02)


def test_the_watcher_parses_a_save_and_sessions_reuse_it(data: Path, monkeypatch: pytest.MonkeyPatch):
    first = ui.load(str(data)).dataset
    assert first is not None and any(p.stance == -1 for p in first.positions)
    save(data, data.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"))
    edited = load_dataset(data, cache=False)
    watch = ui._watch_of(str(data))
    wait_until(lambda: watch.current is not None and watch.current.content_hash == edited.content_hash)

    def no_parse(*args, **kwargs):
        raise AssertionError("a session parsed the file again")

    monkeypatch.setattr("stances.load.parse_dataset", no_parse)
    loaded = ui.load(str(data))  # what a session's rerun does: the watcher's parse, not a new one
    assert loaded.dataset is watch.current
    assert not loaded.stale
    assert [p.stance for p in loaded.dataset.positions] == [p.stance for p in edited.positions]
    frame = ui.positions_frame(loaded.dataset)
    assert frame is watch.frames[edited.content_hash]  # built once, with the parse
    pd.testing.assert_frame_equal(frame, analysis.positions_frame(edited))


def test_a_broken_save_keeps_the_last_valid_version_and_its_frame(data: Path):
    good = ui.load(str(data)).dataset
    frame = ui.positions_frame(good)
    save(data, "actors: [\n  - id: RUS\n")  # a YAML syntax error
    loaded = ui.load(str(data))
    assert loaded.stale and loaded.dataset is good
    assert loaded.current is not None and loaded.current.errors
    assert ui.positions_frame(loaded.dataset) is frame


def test_a_parse_still_fills_the_disk_cache_for_the_next_start(data: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(disk_cache, "MIN_BYTES", 0)
    monkeypatch.setattr(livefile, "CACHE_WRITE_DELAY", 0.0)
    dataset = ui.load(str(data)).dataset
    entry = disk_cache.entry_path(str(data), dataset.content_hash)
    wait_until(entry.is_file)  # written from a timer thread, after the sessions' redraw

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again despite the dashboard's cache entry")

    monkeypatch.setattr("stances.load.parse_dataset", no_parse)
    assert load_dataset(data).content_hash == dataset.content_hash


def test_a_file_changed_just_now_is_left_to_settle():
    now = time.time_ns()
    assert 0 < livefile.settling((now, 10)) <= livefile.WRITE_SETTLE_SECONDS
    assert livefile.settling((now - 1_000_000_000, 10)) == 0.0
    assert livefile.settling((now + 60_000_000_000, 10)) == 0.0  # an mtime in the future: nothing to wait for
    assert livefile.settling(None) == 0.0


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_frozen_cyclic_garbage_is_collected_at_the_next_freeze():
    # a freeze an earlier test scheduled would unfreeze and collect in the middle of this one
    for thread in threading.enumerate():
        if thread.name == livefile.FREEZER_THREAD and isinstance(thread, threading.Timer):
            thread.cancel()
            thread.join(timeout=10)
    try:
        node = Node()
        alive = weakref.ref(node)
        livefile.freeze_long_lived()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert alive() is not None  # frozen: out of the collector's reach
        livefile.freeze_long_lived()  # after the next reload: unfreeze, collect, freeze
        assert alive() is None
    finally:
        gc.unfreeze()


def test_a_save_reads_again_only_the_positions_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The watch keeps the fast path's reads of the last parse (fastload.ChunkMemo) for the next.
    monkeypatch.setenv("STANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fastload, "CHUNK_RECORDS", 50)
    path = tmp_path / "positions.yaml"
    path.write_text(generate(400, 4), encoding="utf-8")
    first = ui.load(str(path)).dataset
    assert first is not None and not first.problems
    text = path.read_text(encoding="utf-8")
    middle = text.index("    stance: 1\n", len(text) // 2)
    text = text[:middle] + "    stance: -1\n" + text[middle + len("    stance: 1\n") :]
    edited = parse_dataset(text.encode("utf-8"), label=str(path))
    chunks: list[str] = []
    original = fastload._yaml_rs_loads

    def spy(text: str, **kwargs):
        if text.startswith("positions:\n"):
            chunks.append(text)
        return original(text, **kwargs)

    monkeypatch.setattr(fastload, "_yaml_rs_loads", spy)
    save(path, text)
    watch = ui._watch_of(str(path))
    wait_until(lambda: watch.current is not None and watch.current.content_hash == edited.content_hash)
    assert len(chunks) == 1  # of 8
    assert watch.current.positions == edited.positions


def test_the_poller_stops_when_nobody_wants_the_file_and_starts_again(data: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(livefile, "WATCH_IDLE_SECONDS", 0.3)
    ui.load(str(data))
    watch = ui._watch_of(str(data))
    poller = watch.poller
    assert poller is not None and poller.is_alive()
    poller.join(timeout=DEADLINE)
    assert not poller.is_alive()  # no session asked for 0.3 s: no more stat calls
    ui.load(str(data))  # a session's rerun wants it again
    assert watch.poller is not poller and watch.poller.is_alive()
    save(data, data.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"))
    edited = load_dataset(data, cache=False)
    wait_until(lambda: watch.current is not None and watch.current.content_hash == edited.content_hash)


def test_the_poller_ends_with_its_watch(data: Path, monkeypatch: pytest.MonkeyPatch):
    # A cleared cache (Streamlit's "Clear caches") drops the watch: its thread must not outlive it
    # (the scheduled freeze holds it until it runs: sooner here).
    monkeypatch.setattr(livefile, "CACHE_WRITE_DELAY", 0.2)
    ui.load(str(data))
    poller = ui._watch_of(str(data)).poller
    ui._watch_of.clear()
    gc.collect()
    poller.join(timeout=DEADLINE)
    assert not poller.is_alive()
    assert ui.load(str(data)).dataset is not None  # a new watch, with its own poller
    assert ui._watch_of(str(data)).poller is not poller


def test_a_load_hashes_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import hashlib

    monkeypatch.setenv("STANCES_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "positions.yaml"
    path.write_text(generate(400, 5), encoding="utf-8")
    size, original, hashed = path.stat().st_size, hashlib.sha256, []

    def counting(data=b"", *args, **kwargs):
        if len(data) == size:
            hashed.append(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counting)
    loaded = ui.load(str(path))
    assert len(hashed) == 1  # the watch's change check; the cache and the parse take its result
    assert loaded.dataset.content_hash == original(path.read_bytes()).hexdigest()
