"""A disk cache of parsed datasets, so a restart with an unchanged file does not parse it again.

Entries are JSON lines (never pickle) in the user's cache directory
(``platformdirs.user_cache_dir("stances")``, or ``$STANCES_CACHE_DIR``), one file per entry,
named by a sha256 of: the cache format, the stances version, a hash of the loader's own source
(so any code change invalidates every entry), the file's label and the file's content hash.
``STANCES_NO_CACHE=1`` turns the cache off.

An entry remembers the day it was checked on. The future-date check depends on today, so an
entry is reused on a later day only if it found no future date then (dates only move into the
past); otherwise, or if the clock went back, the file is parsed again. A corrupt, truncated or
unreadable entry is ignored and replaced; writing never fails a load. Old entries are pruned
(least recently used first, only until the rest fits) beyond MAX_ENTRIES or MAX_BYTES; an entry
larger than MAX_ENTRY_BYTES is neither written nor read. An entry is read only when it is a
regular file, never through a symbolic link (another program may have put a FIFO or a link to
/dev/zero in its place): anything else is a miss, found at once.

Lines of an entry: 1 meta (format, keys, today, title, scale, other dataset fields, the number of
records per section, sha256 of the rest); then per section (actors, issues, sources, positions) one
line per field in the model's order, one line for the fields each record set in the YAML, one line
for the (line, column) of each record; last, the problems. A column is a JSON list with a value per
record, or, where values repeat (ids, dates, speakers), ``{"values": [...], "codes": [...]}`` with
each distinct value once: reading it then makes one str per distinct value, not one per record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import stances
from stances import settings
from stances.model import RECORD_MODELS, SECTIONS, Compactor, Dataset, Record, Scale
from stances.problems import Problem
from stances.regularfiles import open_regular

FORMAT = 3
MAX_ENTRIES = 16
MAX_BYTES = 512 * 1024 * 1024
# One entry at most: half the cache, so that storing one never evicts every other (the entry of the
# 52 MB file of 100,000 positions is 33 MB); also the bound on what reading an entry may take.
MAX_ENTRY_BYTES = MAX_BYTES // 2
MIN_BYTES = 256 * 1024  # smaller files parse in milliseconds: not worth a disk write
# every module a parse runs through: a change in any of them must not be served a stale parse
_CODE_FILES = (
    "cache.py",
    "compose.py",
    "countries.py",
    "fastload.py",
    "filestate.py",
    "hints.py",
    "load.py",
    "model.py",
    "problems.py",
    "record_problems.py",
    "records.py",
    "reference.py",
    "regularfiles.py",
    "salvage.py",
    "syntaxhints.py",
    "syntaxstop.py",
    "textscan.py",
    "textwindows.py",
    "validate.py",
)
_SIMPLE_FIELDS = {f.name for f in dataclasses.fields(Dataset) if f.init} - {"scale", "problems", *SECTIONS}


@cache
def code_fingerprint() -> str:
    """A hash of the loader's source files: a code change must not be served a stale parse."""
    digest = hashlib.sha256(stances.__version__.encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def entry_path(label: str, content_hash: str) -> Path:
    """The file an entry for this label and content lives in."""
    key = json.dumps([FORMAT, stances.__version__, code_fingerprint(), label, content_hash])
    return settings.cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()}.jsonl"


def load_or_parse(
    data: bytes | list[bytes],
    *,
    label: str,
    today: dt.date | None,
    parse: Callable[[], Dataset],
    background: bool = False,
    write_delay: float = 0.0,
    content_hash: str | None = None,
) -> Dataset:
    """The cached dataset for ``data`` if a valid entry exists, else ``parse()`` (then stored).

    ``data`` may come as a one-item list that ``parse`` empties: then nothing here keeps the bytes
    while the parse runs (stances.load.load_dataset; 52 MB at 100,000 positions, next to the
    decoded text). ``background`` stores the new entry from a thread, so the caller does not wait
    for the write (the dashboard after a save: about 0.1 s at 10,000 positions, 1.5 s at 100,000),
    ``write_delay`` seconds later. ``content_hash``: the sha256 of ``data`` if the caller has it.
    """
    if not settings.cache_enabled():
        return parse()
    day = today or dt.date.today()
    size = len(data[0]) if isinstance(data, list) else len(data)
    if content_hash is None:
        content_hash = hashlib.sha256(data[0] if isinstance(data, list) else data).hexdigest()
    path = entry_path(label, content_hash)
    dataset = read(path, label=label, content_hash=content_hash, today=day)
    if dataset is not None:
        release_memory()
        return dataset
    dataset = parse()
    if size >= MIN_BYTES:
        if background:
            writer = threading.Timer(write_delay, write, (path, dataset), {"today": day})
            writer.daemon = True
            writer.start()
        else:
            write(path, dataset, today=day)
    release_memory()
    return dataset


def release_memory() -> None:
    """Hand the heap pages a load freed back to the system (glibc's malloc_trim; elsewhere nothing).

    A load frees hundreds of MB of parse trees and text, much of it in blocks glibc keeps for
    reuse (in the arena of the thread that allocated it: yaml-rs runs on its own thread), so the
    server's resident memory would stay near its peak.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def read(path: Path, *, label: str, content_hash: str, today: dt.date) -> Dataset | None:
    """The dataset stored at ``path``, or None when missing, stale for ``today``, or corrupt."""
    # Building a million objects that hold no cycles: the cycle collector would run hundreds
    # of times over the growing heap for nothing (a third of the time at 100,000 positions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(path, label=label, content_hash=content_hash, today=today)
    finally:
        if collecting:
            gc.enable()


def _read(path: Path, *, label: str, content_hash: str, today: dt.date) -> Dataset | None:
    try:
        # a regular file, not through a link, within the bound: a FIFO would block, /dev/zero never end
        fd, opened = open_regular(path, follow_links=False)
        with os.fdopen(fd, "rb") as file:
            if opened.st_size > MAX_ENTRY_BYTES:
                return None
            meta = json.loads(file.readline(opened.st_size + 1))
            if meta.get("format") != FORMAT or meta.get("label") != label or meta.get("content_hash") != content_hash:
                return None
            checked = dt.date.fromisoformat(meta["today"])
            if not (checked == today or (checked < today and not meta["future_dates"])):
                return None
            # one line at a time (the largest is the quotes column), hashed as it is read
            digest = hashlib.sha256()
            lines = _hashed_lines(file, digest, opened.st_size)
            columns = {
                section: [json.loads(next(lines)) for _ in range(len(RECORD_MODELS[section].model_fields) + 2)]
                for section in SECTIONS
            }
            problems = json.loads(next(lines))
            if next(lines, None) is not None or meta.get("body") != digest.hexdigest():
                return None  # truncated or altered
        compactor = Compactor()  # one table of shared text for the whole entry: ids recur across sections
        records = {
            section: _rebuild(RECORD_MODELS[section], found, meta["counts"][section], compactor)
            for section, found in columns.items()
        }
        del columns
        scale = Scale(labels={int(k): v for k, v in meta["scale"]})
        fields = {name: meta["fields"][name] for name in _SIMPLE_FIELDS}
        dataset = Dataset(scale=scale, problems=[Problem(**p) for p in problems], **records, **fields)
    except Exception:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # least recently used goes first when pruning
    return dataset


def _hashed_lines(file: Any, digest: Any, size: int) -> Iterator[bytes]:
    """The remaining lines of ``file``, each added to ``digest`` as read (with its line break);
    ValueError once they hold more than ``size`` bytes (the file grew while it was read)."""
    for line in file:
        size -= len(line)
        if size < 0:
            raise ValueError("the entry grew while it was read")
        digest.update(line)
        yield line


def _rebuild(model: type[Record], found: list[Any], count: int, compactor: Compactor) -> list[Record]:
    """The records of one section, built without validating them again.

    An entry is found only under the sha256 of the file's content and of this code (models
    included), and was written from records that passed validation, so validating the same
    values again would only cost time (about 1.5 s at 100,000 positions). What the JSON holds is
    checked: the body's sha256 (in the first line) must match, so the columns are exactly those
    written; each column must hold one value per record, and each record's set fields must include
    the model's required fields. The one check that depends on the day (future dates) is handled
    by read().
    """
    *values, sets, marks = found
    names = tuple(model.model_fields)
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    columns = [_column(column, count) for column in values]
    for name, column in zip(names, columns, strict=True):
        if name not in Compactor.FREE_TEXT:  # repeated text written without codes: share it all the same
            column[:] = compactor.texts(column)
    fields_sets = [set(names_set) for names_set in sets["values"]]
    if not all(required <= found_set <= set(names) for found_set in fields_sets):
        raise ValueError("fields")
    per_record = _column({"values": fields_sets, "codes": sets["codes"]}, count)
    lines, places = _column(marks[0], count), _column(marks[1], count)
    assemble = model.assemble
    return [
        assemble(row, fields_set, line, column)
        for *row, fields_set, line, column in zip(*columns, per_record, lines, places, strict=True)
    ]


def _column(column: Any, count: int) -> list[Any]:
    """A column's value per record (a coded column expanded: each value shared, not copied)."""
    if isinstance(column, dict):
        table = column["values"]
        column = [table[code] for code in column["codes"]]
    if not isinstance(column, list) or len(column) != count:
        raise ValueError("column")
    return column


def _encode(values: list[Any]) -> Any:
    """A column as written: coded when its values repeat (see the module doc)."""
    codes: dict[Any, int] = {}
    try:
        coded = [codes.setdefault(value, len(codes)) for value in values]
    except TypeError:  # a list (members): not hashable, rarely repeated
        return values
    if 2 * len(codes) > len(values):
        return values
    return {"values": list(codes), "codes": coded}


def write(path: Path, dataset: Dataset, *, today: dt.date) -> bool:
    """Store ``dataset`` at ``path`` atomically and prune old entries; False if it could not."""
    fields = {name: getattr(dataset, name) for name in _SIMPLE_FIELDS}
    if not all(value is None or isinstance(value, (str, int, float, bool)) for value in fields.values()):
        return False  # a Dataset field this format does not know how to store: do not cache
    meta = {
        "format": FORMAT,
        "label": dataset.path,
        "content_hash": dataset.content_hash,
        "today": today.isoformat(),
        "future_dates": any(p.type == "future-date" for p in dataset.problems),
        "scale": sorted(dataset.scale.labels.items()),
        "fields": fields,
        "counts": {section: len(getattr(dataset, section)) for section in SECTIONS},
    }
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The body goes to an unnamed file a piece at a time (its sha256 belongs in the first
        # line): a column of 100,000 quotes as one JSON text was 40 MB, and the whole entry 33 MB.
        with tempfile.TemporaryFile(dir=path.parent) as body:
            digest = hashlib.sha256()
            for n, line in enumerate(_body_lines(dataset)):
                for piece in (b"\n", *line) if n else line:
                    digest.update(piece)
                    body.write(piece)
            meta["body"] = digest.hexdigest()
            first = _dumps(meta) + b"\n"
            if len(first) + body.tell() > min(MAX_ENTRY_BYTES, MAX_BYTES):
                return False  # too large alone: storing it would evict the others for one entry
            body.seek(0)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as file:
                temporary = file.name
                file.write(first)
                shutil.copyfileobj(body, file, 1 << 20)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    finally:
        release_memory()
    prune(path.parent)
    return True


def _body_lines(dataset: Dataset) -> Iterator[Iterable[bytes]]:
    """The lines after the first (see the module doc), each as pieces of bytes."""
    for section in SECTIONS:
        records = getattr(dataset, section)
        for name in RECORD_MODELS[section].model_fields:
            yield _pieces(_encode([getattr(r, name) for r in records]))
        sets = _encode([tuple(sorted(r.model_fields_set)) for r in records])
        if isinstance(sets, list):
            sets = {"values": sets, "codes": list(range(len(sets)))}
        yield [_dumps(sets)]
        yield [_dumps([[r.line for r in records], [r.column for r in records]])]
    yield [_dumps([p.to_dict() for p in dataset.problems])]


def _pieces(column: Any, size: int = 2000) -> Iterator[bytes]:
    """A column's JSON in pieces: a list of values a slice at a time."""
    if not isinstance(column, list):
        yield _dumps(column)
        return
    yield b"["
    for start in range(0, len(column), size):
        yield (b"," if start else b"") + _dumps(column[start : start + size])[1:-1]
    yield b"]"


def _is_entry_name(name: str) -> bool:
    stem, _, suffix = name.partition(".")
    return suffix == "jsonl" and len(stem) == 64 and all(c in "0123456789abcdef" for c in stem)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def prune(folder: Path, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
    """Delete the least recently used entries, only until at most ``max_entries`` of at most
    ``max_bytes`` together remain; an entry larger than ``max_bytes`` alone goes first (it can
    never fit). Links are deleted as links, never followed."""
    try:
        # Only names this module writes (a sha256 and .jsonl): the folder may be one the user chose.
        found = [(p.lstat(), p) for p in folder.glob("*.jsonl") if _is_entry_name(p.name)]
    except OSError:
        return
    oldest_first = sorted(found, key=lambda entry: entry[0].st_mtime)
    keep = [(info.st_size, path) for info, path in oldest_first if info.st_size <= max_bytes]
    drop = [path for info, path in oldest_first if info.st_size > max_bytes]
    total = sum(size for size, _ in keep)
    while keep and (len(keep) > max_entries or total > max_bytes):
        size, path = keep.pop(0)
        total -= size
        drop.append(path)
    for path in drop:
        with contextlib.suppress(OSError):
            path.unlink()
