"""A positions file to a Dataset: read (with the size check), hash, disk cache, parse.

This is the one way in, for the command line, the export and the dashboard (whose live-file
watcher uses :func:`read_file` and :func:`dataset_of` to skip unchanged content and to carry the
fast path's reads from one version to the next). The loader never raises on bad content: it
collects problems and keeps every valid record. It raises ``DatasetFileError`` only when the
file cannot be read at all (missing, a folder, no permission), which the CLI reports with exit 2.

Parsing tries the fast path (stances.fastload), which vouches for a clean file or a file with a
few doubtful records, and otherwise the reference path (stances.compose + stances.reference),
which locates every problem.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from stances import cache as disk_cache
from stances import fastload, salvage, textwindows
from stances.compose import (
    MAX_ALIAS_NODES,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_REFERENCE_NODES,
    compose_yaml,
    decode_text,
    structure_exceeds,
    too_large,
    too_many_values,
)
from stances.model import Dataset
from stances.problems import Problem
from stances.reference import NodeReader
from stances.regularfiles import FileTooLarge, read_failure, read_regular
from stances.textscan import first_doubtful_char
from stances.validate import empty_dataset

# the limits and the decoder are stances.compose's; importable from here, the loader's entry
__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_REFERENCE_NODES",
    "DatasetFileError",
    "FileRead",
    "dataset_of",
    "decode_text",
    "load_dataset",
    "parse_dataset",
    "read_file",
]


class DatasetFileError(Exception):
    """The file cannot be read at all (missing, a folder, no permission)."""


@dataclass(slots=True)
class FileRead:
    """A positions file as read from disk, before parsing: its bytes (in a one-item ``box`` that
    the parse empties, so nothing keeps 52 MB of bytes beside the decoded text) and their sha256;
    or, for a file over the size limit, the Dataset that says so (``refused``)."""

    label: str
    box: list[bytes]
    content_hash: str
    refused: Dataset | None = None


def read_file(path: str | Path, *, settled: bool = False, on_wait: Callable[[str], None] | None = None) -> FileRead:
    """Read the positions file at ``path`` with the size check, and hash it.

    ``settled``: first wait until no other program is writing it (stances.filestate, as the
    writers do; ``on_wait`` hears that it waits), so that a command run during a save never reads
    half a file. Raises DatasetFileError only when the file cannot be read (missing, a folder, a
    FIFO, a device or a socket, no permission, still being written when the wait ran out).
    """
    path = Path(path)
    label = str(path)
    try:
        # a regular file only (a FIFO would block, a device never end), read with a bound
        data = _read_settled(path, on_wait) if settled else read_regular(path, limit=MAX_FILE_BYTES)
    except FileTooLarge as exc:
        if exc.size is None:
            message = f"the file holds more than {MAX_FILE_BYTES / 1e6:.0f} MB; the loader reads at most that"
        else:
            message = f"the file is {exc.size / 1e6:.0f} MB; the loader reads at most {MAX_FILE_BYTES / 1e6:.0f} MB"
        return FileRead(label, [], "", empty_dataset(label, [too_large(message, label)], ""))
    except OSError as exc:  # missing, a folder, a FIFO, no permission...
        raise DatasetFileError(read_failure(label, exc)) from None
    return FileRead(label, [data], hashlib.sha256(data).hexdigest())


def _read_settled(path: Path, on_wait: Callable[[str], None] | None) -> bytes:
    """The file's bytes once no program is writing it (stances.filestate, imported only by the
    commands that wait: `validate` starts without it)."""
    from stances.filestate import NotSettled, read_settled

    try:
        data = read_settled(path, on_wait=on_wait, limit=MAX_FILE_BYTES).data
    except NotSettled as exc:
        raise DatasetFileError(f"{exc}; run the command again once it has finished") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(path, None)
    return data


def dataset_of(
    read: FileRead,
    *,
    today: dt.date | None = None,
    cache: bool = True,
    background: bool = False,
    write_delay: float = 0.0,
    chunks: fastload.ChunkMemo | None = None,
    compact: bool = True,
) -> Dataset:
    """The Dataset of a file read by :func:`read_file`: from the disk cache when it holds this
    content, else parsed (and stored). ``background`` writes a new cache entry from a thread
    ``write_delay`` seconds later (see stances.cache.load_or_parse); ``chunks`` carries the fast
    path's reads from the file's previous version (see fastload.ChunkMemo); ``compact=False``
    skips rebuilding the records compactly, for a dataset read once (see model.Compactor).
    Empties ``read.box``."""
    if read.refused is not None:
        return read.refused
    box, label, content_hash = read.box, read.label, read.content_hash

    def parse() -> Dataset:
        return parse_dataset(
            box.pop(), label=label, today=today, chunks=chunks, content_hash=content_hash, compact=compact
        )

    if cache:
        return disk_cache.load_or_parse(
            box,
            label=label,
            today=today,
            parse=parse,
            background=background,
            write_delay=write_delay,
            content_hash=content_hash,
        )
    return parse()


def load_dataset(
    path: str | Path,
    *,
    today: dt.date | None = None,
    cache: bool = True,
    background: bool = False,
    compact: bool = True,
    settled: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Dataset:
    """Load and validate the positions file at ``path``: :func:`read_file` (``settled``,
    ``on_wait``: wait for another program's write to end first), then :func:`dataset_of`.

    Raises DatasetFileError only when the file cannot be read; every problem with its content
    is in ``Dataset.problems``. ``cache`` reuses a parse of the same content from the disk cache
    (stances.cache; ``STANCES_NO_CACHE=1`` turns it off everywhere); ``background`` writes a new
    cache entry from a thread (see stances.cache.load_or_parse); ``compact=False``: for a
    dataset read once (a command's check), see :func:`dataset_of`.
    """
    read = read_file(path, settled=settled, on_wait=on_wait)
    return dataset_of(read, today=today, cache=cache, background=background, compact=compact)


def located_refusal(problem: Problem, text: str) -> Problem:
    """A refusal of the careful reading's size bound, pointed at the first tab or control character
    when one sent the whole file there (a single tab typed into a quote of a large file would
    otherwise be refused without saying where); any other problem unchanged."""
    if problem.type != "file-too-large" or problem.line is not None or "careful reading" not in problem.message:
        return problem
    place = first_doubtful_char(text)
    if place is None:
        return problem
    line, column, what = place
    fix = f"replace the tab at line {line} with spaces" if what == "a tab" else f"remove {what} at line {line}"
    return replace(
        problem,
        line=line,
        column=column,
        message=f"line {line} holds {what} (column {column}), so the whole file needs the careful reading; "
        + problem.message,
        hint=f"{fix}; or {problem.hint}",
    )


def parse_dataset(
    data: bytes | str,
    *,
    label: str = "<input>",
    today: dt.date | None = None,
    fast: bool = True,
    chunks: fastload.ChunkMemo | None = None,
    content_hash: str | None = None,
    compact: bool = True,
    recover: bool = True,
) -> Dataset:
    """Validate YAML text (bytes as read from disk, or str) into a Dataset.

    ``fast`` tries stances.fastload first, which returns the same Dataset for a clean file in a
    fraction of the time and steps aside (None) whenever it is not sure; ``fast=False`` forces
    the reference path below. ``chunks`` carries the fast path's reads of positions from one
    version of a file to the next (see fastload.ChunkMemo). ``content_hash``: the sha256 of
    ``data`` when the caller has it already (52 MB take about 0.03 s to hash). ``compact``: see
    :func:`dataset_of`. ``recover``: after a syntax error, read each record on its own and keep
    those that parse (stances.salvage); False leaves the file unread, as the paths report it.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    content_hash = content_hash or hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_FILE_BYTES:
        message = f"the text is {len(raw) / 1e6:.0f} MB; the loader reads at most {MAX_FILE_BYTES / 1e6:.0f} MB"
        return empty_dataset(label, [too_large(message, label)], content_hash)
    text, problem = decode_text(raw, label)
    del data, raw  # the caller may have handed over its only reference (load_dataset does)
    if problem is not None:
        return empty_dataset(label, [problem], content_hash)
    # Windows line ends: libyaml reads CRLF as LF, and the fast path takes LF (same lines and
    # columns; the hash is of the bytes). A search for one character first: ten times quicker.
    if textwindows.contains(text, "\r") and "\r\n" in text:
        text = text.replace("\r\n", "\n")
    day = today or dt.date.today()
    chunks = fastload.ChunkMemo() if chunks is None else chunks  # a recovery's read reuses the first's

    def read(text: str) -> Dataset:
        """``text`` by the fast path where it vouches for the result, else by the reference, which
        composes at most MAX_REFERENCE_NODES values (a million take it about 10 s)."""
        # yaml-rs recurses per block level and crashes the process past ~20,000: refuse deep text first
        deep_line, too_many = structure_exceeds(text, max_nodes=MAX_NODES)
        if too_many:  # every path refuses it: the depth past that point need not be known
            return empty_dataset(label, [too_many_values(MAX_NODES, label)], content_hash)
        if fast and deep_line is None:
            dataset = fastload.fast_dataset(
                text, label=label, content_hash=content_hash, today=day, chunks=chunks, compact=compact
            )
            if dataset is not None:
                return dataset
        # Millions of nodes and records, no cycles among them: the cycle collector would walk the
        # growing heap again and again (two thirds of composing's time), holding the interpreter
        # from the dashboard's other sessions meanwhile.
        collecting = gc.isenabled()
        gc.disable()
        try:
            root, problems = compose_yaml(text, label, max_nodes=MAX_REFERENCE_NODES, deep_line=deep_line)
            if root is None:
                return empty_dataset(label, [located_refusal(p, text) for p in problems], content_hash)
            reader = NodeReader(label, day, compact=compact)
            reader.report.problems.extend(problems)  # a second document: the first is read all the same
            return reader.read(root, content_hash)
        finally:
            if collecting:
                gc.enable()

    dataset = read(text)
    # a syntax error: the records that parse on their own are read all the same (stances.salvage)
    return salvage.recover(text, dataset, read) if recover else dataset
