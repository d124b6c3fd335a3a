"""The disk cache: exact round trip, corrupt entries ignored, invalidated by content and code."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stances import cache
from stances.generate import generate
from stances.load import load_dataset, parse_dataset

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("STANCES_CACHE_DIR", str(folder))
    monkeypatch.delenv("STANCES_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    return folder


def snapshot(dataset) -> dict:
    return {
        "path": dataset.path,
        "title": dataset.title,
        "scale": dataset.scale.labels,
        "records": [
            (type(r).__name__, r.model_dump(), r.model_fields_set, r.line, r.column)
            for section in ("actors", "issues", "sources", "positions")
            for r in getattr(dataset, section)
        ],
        "problems": [p.to_dict() for p in dataset.problems],
        "hash": dataset.content_hash,
    }


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "positions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def entry_name(number: int) -> str:
    """A cache entry's file name (a sha256 in hex), in the order of ``number``."""
    return f"{number:064x}.jsonl"


def test_round_trip_is_exact_and_skips_parsing(tmp_path: Path, cache_dir: Path, monkeypatch) -> None:
    path = write(tmp_path, generate(120, 4))
    first = load_dataset(path, today=TODAY)
    assert len(entries(cache_dir)) == 1

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again despite a cache entry")

    monkeypatch.setattr("stances.load.parse_dataset", no_parse)
    second = load_dataset(path, today=TODAY)
    assert snapshot(second) == snapshot(first)
    assert snapshot(second) == snapshot(parse_dataset(path.read_bytes(), label=str(path), today=TODAY))


def test_problems_round_trip(tmp_path: Path, cache_dir: Path, data_dir: Path) -> None:
    for fixture in sorted((data_dir / "problems").glob("*.yaml")):
        path = write(tmp_path, fixture.read_text(encoding="utf-8"))
        fresh = load_dataset(path, today=TODAY, cache=False)
        load_dataset(path, today=TODAY)  # stores
        assert snapshot(load_dataset(path, today=TODAY)) == snapshot(fresh), fixture.name


def test_corrupt_entry_is_ignored_and_replaced(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path, generate(60, 1))
    expected = snapshot(load_dataset(path, today=TODAY))
    (entry,) = entries(cache_dir)
    for damage in (b"", b"not json\n", entry.read_bytes()[:200], b'{"format": 1}\n[]\n', b"\xff\xfe\x00"):
        entry.write_bytes(damage)
        assert snapshot(load_dataset(path, today=TODAY)) == expected
        assert entry.read_bytes() != damage  # rewritten with a good entry


def test_unreadable_cache_folder_does_not_fail_a_load(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("STANCES_CACHE_DIR", str(blocker / "cache"))
    path = write(tmp_path, generate(20, 1))
    assert len(load_dataset(path, today=TODAY).positions) == 20


def test_changed_content_is_parsed_again(tmp_path: Path, cache_dir: Path) -> None:
    path = write(tmp_path, generate(30, 1))
    load_dataset(path, today=TODAY)
    path.write_text(generate(31, 1), encoding="utf-8")
    assert len(load_dataset(path, today=TODAY).positions) == 31
    assert len(entries(cache_dir)) == 2


def test_code_change_invalidates(tmp_path: Path, cache_dir: Path, monkeypatch) -> None:
    path = write(tmp_path, generate(30, 1))
    load_dataset(path, today=TODAY)
    before = cache.entry_path(str(path), parse_dataset(path.read_bytes()).content_hash)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "other code")
    assert cache.entry_path(str(path), parse_dataset(path.read_bytes()).content_hash) != before


def test_future_date_is_rechecked_on_another_day(tmp_path: Path, cache_dir: Path) -> None:
    text = generate(30, 1)
    newest = max(p.date for p in parse_dataset(text, today=TODAY).positions)
    path = write(tmp_path, text)
    early = dt.date(int(newest[:4]) - 1, 1, 1)
    assert any(p.type == "future-date" for p in load_dataset(path, today=early).problems)
    assert not any(p.type == "future-date" for p in load_dataset(path, today=TODAY).problems)  # not served stale
    assert load_dataset(path, today=TODAY + dt.timedelta(days=3)).problems == []  # clean entry reused later


def test_switched_off(tmp_path: Path, cache_dir: Path, monkeypatch) -> None:
    path = write(tmp_path, generate(20, 1))
    load_dataset(path, today=TODAY, cache=False)
    monkeypatch.setenv("STANCES_NO_CACHE", "1")
    load_dataset(path, today=TODAY)
    assert entries(cache_dir) == []


def test_small_files_are_not_stored(tmp_path: Path, cache_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 10**9)
    load_dataset(write(tmp_path, generate(20, 1)), today=TODAY)
    assert entries(cache_dir) == []


def test_prune_keeps_the_most_recent(tmp_path: Path) -> None:
    for i in range(6):
        entry = tmp_path / entry_name(i)
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (1000 + i, 1000 + i))
    cache.prune(tmp_path, max_entries=3)
    assert [p.name for p in entries(tmp_path)] == [entry_name(i) for i in (3, 4, 5)]
    cache.prune(tmp_path, max_bytes=250)
    assert [p.name for p in entries(tmp_path)] == [entry_name(i) for i in (4, 5)]


def test_prune_deletes_only_files_named_as_its_entries(tmp_path: Path) -> None:
    """STANCES_CACHE_DIR may name a folder that holds the user's own files: only entries go."""
    mine = [tmp_path / "notes.jsonl", tmp_path / f"{'0' * 63}.jsonl", tmp_path / f"{'A' * 64}.jsonl"]
    for i, path in enumerate(mine):
        path.write_bytes(b"x" * 100)
        os.utime(path, (500 + i, 500 + i))
    entry = tmp_path / entry_name(1)
    entry.write_bytes(b"x" * 100)
    cache.prune(tmp_path, max_entries=0)
    assert not entry.exists()
    assert all(path.read_bytes() == b"x" * 100 for path in mine)


def test_background_write_stores_the_same_entry(tmp_path: Path, cache_dir: Path) -> None:
    import threading

    data = generate(40, 2).encode("utf-8")
    before = set(threading.enumerate())
    first = cache.load_or_parse(
        data,
        label="x.yaml",
        today=TODAY,
        parse=lambda: parse_dataset(data, label="x.yaml", today=TODAY),
        background=True,
    )
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=60)
    assert len(entries(cache_dir)) == 1

    def no_parse():
        raise AssertionError("parsed again despite a cache entry")

    second = cache.load_or_parse(data, label="x.yaml", today=TODAY, parse=no_parse)
    assert snapshot(second) == snapshot(first)


def test_load_dataset_hands_its_bytes_over_and_can_store_in_the_background(tmp_path: Path, cache_dir: Path) -> None:
    import threading

    path = write(tmp_path, generate(40, 2))
    before = set(threading.enumerate())
    first = load_dataset(path, today=TODAY, background=True)
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=60)
    assert len(entries(cache_dir)) == 1
    assert snapshot(load_dataset(path, today=TODAY)) == snapshot(first)
    assert snapshot(load_dataset(path, today=TODAY, cache=False)) == snapshot(first)
    # bytes in a one-item box (what load_dataset passes): found under the same entry
    box = [path.read_bytes()]
    boxed = cache.load_or_parse(
        box, label=str(path), today=TODAY, parse=lambda: parse_dataset(box.pop(), label=str(path), today=TODAY)
    )
    assert snapshot(boxed) == snapshot(first) and len(box) == 1  # a hit: no parse


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_load_hashes_the_file_once(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, use_cache):
    import hashlib

    path = write(tmp_path, generate(400, 2))
    size = path.stat().st_size
    original, hashed = hashlib.sha256, []

    def counting(data=b"", *args, **kwargs):
        if len(data) == size:
            hashed.append(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counting)
    dataset = load_dataset(path, today=TODAY, cache=use_cache)
    assert len(hashed) == 1 and dataset.content_hash == original(path.read_bytes()).hexdigest()
    assert dataset.positions


def test_the_code_fingerprint_covers_every_module_a_parse_runs_through() -> None:
    # a module the loader imports but the fingerprint leaves out (its messages, its checks) would
    # let a code change be served a stale parse
    import ast

    folder = Path(cache.__file__).parent
    reached, todo = set(), ["load"]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        for node in ast.walk(ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stances"):
                names = [node.module.split(".")[1]] if "." in node.module else [a.name for a in node.names]
                todo += [n for n in names if (folder / f"{n}.py").exists()]
    assert len(reached) > 8, reached
    unread = {"settings"}  # where the cache lives and whether it is on: not what a parse gives
    assert sorted(f"{n}.py" for n in reached - unread if f"{n}.py" not in cache._CODE_FILES) == []


# --- bounded: an entry is read only as a regular file within a size bound; pruning deletes only
# what it must (issue 18)


def stored_entry(tmp_path: Path) -> tuple[Path, bytes]:
    """A positions file whose entry is in the cache: (the positions file, the entry's path)."""
    path = write(tmp_path, generate(60, 3))
    load_dataset(path, today=TODAY)
    [entry] = entries(Path(cache.settings.cache_dir()))
    return path, entry


def read_in_a_subprocess(entry: Path, label: str, content_hash: str) -> subprocess.CompletedProcess[str]:
    """cache.read of ``entry`` in a fresh process limited to 1 GB and 20 s, printing whether it
    missed, how long it took and its peak memory: a read through a link to /dev/zero grows without
    end (it reached 9 GB in 20 s; here the limit stops it at 1 GB), a FIFO blocks."""
    code = (
        "import resource, sys, datetime as dt, time\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from stances import cache\n"
        "from pathlib import Path\n"
        "started = time.perf_counter()\n"
        "day = dt.date(2026, 1, 1)\n"
        "found = cache.read(Path(sys.argv[1]), label=sys.argv[2], content_hash=sys.argv[3], today=day)\n"
        "peak = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024\n"
        "print(found is None, round(time.perf_counter() - started, 3), peak)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    return subprocess.run(
        [sys.executable, "-c", code, str(entry), label, content_hash],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs FIFOs and /dev/zero")
@pytest.mark.parametrize("replacement", ["fifo", "link to /dev/zero"])
def test_an_entry_replaced_by_a_fifo_or_a_device_link_is_a_quick_miss(tmp_path: Path, replacement: str) -> None:
    path, entry = stored_entry(tmp_path)
    content_hash = load_dataset(path, today=TODAY).content_hash
    entry.unlink()
    if replacement == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero")
    done = read_in_a_subprocess(entry, str(path), content_hash)
    assert done.returncode == 0, done.stderr[-2000:]
    missed, seconds, peak_mb = done.stdout.split()
    assert missed == "True"
    assert float(seconds) < 1.0
    assert int(peak_mb) < 300  # not a gigabyte of zeros read into one line


def test_an_entry_is_never_read_through_a_link(tmp_path: Path, monkeypatch) -> None:
    path, entry = stored_entry(tmp_path)
    elsewhere = tmp_path / "elsewhere.jsonl"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)  # a valid entry, but behind a link someone else put there
    parsed: list[bool] = []
    monkeypatch.setattr("stances.load.parse_dataset", lambda *a, **k: parsed.append(True) or parse_dataset(*a, **k))
    load_dataset(path, today=TODAY)
    assert parsed == [True]  # a miss: parsed again
    assert not entry.is_symlink()  # and the link replaced by a real entry
    assert elsewhere.exists()  # the link's target is left alone


def test_an_entry_over_the_size_bound_is_a_miss_and_is_not_stored(tmp_path: Path, monkeypatch) -> None:
    path, entry = stored_entry(tmp_path)
    size = entry.stat().st_size
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", size - 1)
    dataset = load_dataset(path, today=TODAY)
    assert cache.read(entry, label=str(path), content_hash=dataset.content_hash, today=TODAY) is None
    entry.unlink()
    load_dataset(path, today=TODAY)
    assert entries(entry.parent) == []  # too large alone: not stored


def test_an_entry_larger_than_the_cache_deletes_nothing_else(tmp_path: Path, cache_dir: Path, monkeypatch) -> None:
    """A 1.1 GB entry over the 512 MB cap emptied the whole cache folder: the other entries stay."""
    cache_dir.mkdir(parents=True)
    others = []
    for i in range(3):
        other = cache_dir / f"other{i}.jsonl"
        other.write_bytes(b"x" * 100)
        others.append(other)
    monkeypatch.setattr(cache, "MAX_BYTES", 1000)  # this file's entry alone is larger
    load_dataset(write(tmp_path, generate(60, 3)), today=TODAY)
    assert entries(cache_dir) == others


def test_prune_removes_the_oldest_only_until_under_the_cap(tmp_path: Path) -> None:
    for i in range(6):
        entry = tmp_path / entry_name(i)
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (1000 + i, 1000 + i))
    newest = tmp_path / entry_name(10)
    newest.write_bytes(b"x" * 300)
    os.utime(newest, (2000, 2000))
    cache.prune(tmp_path, max_bytes=600)
    assert [p.name for p in entries(tmp_path)] == [entry_name(i) for i in (3, 4, 5, 10)]
    huge = tmp_path / entry_name(11)  # alone over the cap (written by an older version): it goes, alone
    huge.write_bytes(b"x" * 700)
    os.utime(huge, (3000, 3000))
    cache.prune(tmp_path, max_bytes=600)
    assert [p.name for p in entries(tmp_path)] == [entry_name(i) for i in (3, 4, 5, 10)]


def test_prune_does_not_follow_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    kept = outside / "precious.txt"
    kept.write_bytes(b"x" * 1000)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / entry_name(1)).symlink_to(kept)
    cache.prune(folder, max_bytes=10)
    assert kept.read_bytes() == b"x" * 1000
