"""The evidence archive: the text of each source, kept beside the positions file, that its quotes
must be found in.

``evidence/<source-id>.txt`` in the positions file's folder holds a header of ``key: value``
lines (``source``, ``url``, ``publisher``, ``title``, ``retrieved`` and others), ended by the
first line that is exactly ``---``, then the body: the source's paragraphs that hold the quotes,
copied character for character, non-adjacent passages separated by a line ``[...]``.

:func:`check_evidence` finds every position's quote in its source's body (and a ``translation``
in its ``translation_source``'s), with the matching rules of stances.quotes; :func:`quote_in_context`
gives the paragraph around a quote for display; :func:`append_context` adds a paragraph to an
archive without changing a byte already there.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import heapq
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from stances import settings
from stances.atomicfile import NoTempFile, TargetChanged, replace_file
from stances.compose import MAX_FILE_BYTES, compose_yaml, decode_text
from stances.filestate import FileState
from stances.model import ID_PATTERN, Dataset, Position, Record, Source
from stances.problems import Problem
from stances.quotes import QUOTE_MARKS, WHITESPACE, find_quote, normalise, quote_pieces
from stances.regularfiles import FileTooLarge, NotRegularFile, read_regular
from stances.wording import plural

MAX_ARCHIVE_BYTES = 2 * 1024 * 1024  # a source's paragraphs, not the whole site
TOO_LARGE = f"the file holds more than {MAX_ARCHIVE_BYTES // 1024 // 1024} MiB; an archive keeps at most that"
FOLDER = "evidence"
HEADER_END = "---"
OMITTED = "[...]"  # the line between two passages that are not adjacent in the source
HINT_CHARS = 200  # the longest passage shown as a hint
HINT_TARGET_CHARS = 400  # the longest piece of a quote compared against the archive
HINT_CANDIDATES = 8  # passages compared character by character, of those sharing most words
# Passages weighed for hints per verification (a passage costs about a microsecond): thousands of
# changed quotes against 2 MB archives would otherwise take minutes; past it, hints name no passage.
HINT_BUDGET = 5_000_000
HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(?:[ \t]+(.*?))?[ \t]*$")
# A line break followed by lines that are blank or hold only [...] (or […]): between paragraphs.
PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)(?:[ \t\f\v]*(?:\[\.\.\.\]|\[…\])?[ \t\f\v]*(?:\r\n|\r|\n|$))+")
SENTENCE_END = re.compile(r"(?<=[.!?…]) |(?<=[.!?…][\"')]) ")
WORD = re.compile(r"\w+")


class EvidenceError(Exception):
    """Something about the evidence archive that stops a command (the message says what)."""


class ArchiveError(EvidenceError):
    """An archive file that cannot be read or does not follow the format; ``line`` is 1-based."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class WriteRefused(EvidenceError):
    """Nothing was written to the archive; the message says why."""


@dataclass(frozen=True, slots=True)
class Archive:
    """One archive file: its header fields and its verbatim body."""

    header: dict[str, str]
    body: str
    body_line: int  # the 1-based line of the file where the body starts


@dataclass(frozen=True, slots=True)
class Passage:
    """The paragraph of an archive holding a quote: ``before + matched + after`` is that paragraph,
    each an exact substring of the archive's body (``body[start:end] == matched``)."""

    before: str
    matched: str
    after: str
    start: int
    end: int

    @property
    def paragraph(self) -> str:
        """The whole paragraph, as in the body."""
        return self.before + self.matched + self.after


@dataclass(frozen=True, slots=True)
class ContextWrite:
    """What :func:`append_context` did: ``created`` the archive, ``appended`` to it, or nothing
    because the paragraph is ``present`` already."""

    path: Path
    action: Literal["created", "appended", "present"]

    def describe(self) -> str:
        """``evidence/x.txt: created with the context paragraph`` (or now also holds / already held)."""
        done = {"created": "created with", "appended": "now also holds", "present": "already held"}[self.action]
        return f"{self.path}: {done} the context paragraph"


@dataclass
class Verification:
    """Every evidence problem of a dataset, and what was checked."""

    problems: list[Problem] = field(default_factory=list)
    quotes_checked: int = 0  # quotes whose source has a readable archive
    quotes_found: int = 0
    translations_checked: int = 0
    translations_found: int = 0
    sources_cited: int = 0  # sources that a quote or translation rests on
    sources_archived: int = 0  # of those, the ones with a readable archive

    @property
    def errors(self) -> list[Problem]:
        """The problems that make ``verify`` fail."""
        return [p for p in self.problems if p.severity == "error"]


# --- reading -----------------------------------------------------------------------------------


def archive_dir(positions_path: str | Path) -> Path:
    """The archive folder of a positions file: ``evidence/`` beside it."""
    return Path(positions_path).parent / FOLDER


def archive_path(folder: str | Path, source_id: str) -> Path:
    """``<folder>/<source_id>.txt``; ValueError for an id that could name a file elsewhere."""
    if not re.match(ID_PATTERN, source_id) or len(source_id) > 100:
        raise ValueError(f"'{source_id[:60]}' is not a source id; an archive is named after one")
    path = Path(folder) / f"{source_id}.txt"
    if os.path.realpath(path.parent) != os.path.realpath(folder):  # belt and braces: the pattern forbids '/'
        raise ValueError(f"'{source_id[:60]}' would name a file outside {folder}")
    return path


def parse_archive(data: bytes) -> Archive:
    """The header and body of an archive file's bytes; ArchiveError says what is wrong."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(TOO_LARGE)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        raise ArchiveError(
            "the file holds binary data (NUL bytes), not text", data[: data.index(b"\x00")].count(b"\n") + 1
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArchiveError(f"byte 0x{data[exc.start]:02X} is not UTF-8 (save the file as UTF-8)", line) from None
    header: dict[str, str] = {}
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        offset += len(line)
        content = line.rstrip("\r\n")
        if content == HEADER_END:
            if not header:
                raise ArchiveError("the header is empty: it needs at least 'source: <id>' before '---'", number)
            return Archive(header, text[offset:], number + 1)
        match = HEADER_LINE.match(content)
        if match is None:
            raise ArchiveError(
                f"header line {number} is not 'key: value': {content[:60]!r} (a line '---' ends the header)", number
            )
        key, value = match.group(1), match.group(2) or ""
        if key in header:
            raise ArchiveError(f"the header names '{key}' twice", number)
        header[key] = value
    raise ArchiveError(f"no line '{HEADER_END}' ends the header: write it between the header and the text")


def read_archive(path: str | Path) -> Archive:
    """Read and parse one archive file (at most MAX_ARCHIVE_BYTES); ArchiveError if it cannot be."""
    try:
        # a regular file only (opening a FIFO would wait for a writer, a device never ends), bounded
        data = read_regular(path, limit=MAX_ARCHIVE_BYTES)
    except FileTooLarge:
        raise ArchiveError(TOO_LARGE) from None
    except NotRegularFile as exc:  # a folder too ("it is a folder, not a plain file")
        raise ArchiveError(f"it is {exc.kind}, not a plain file") from None
    except OSError as exc:
        raise ArchiveError(f"cannot read it ({exc.strerror or exc})") from None
    return parse_archive(data)


# --- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Folded:
    """A text normalised as stances.quotes.normalise does, with the way back to the original.

    Each segment is a run of non-space characters (as long in both) or a run of whitespace (one
    space in the normalised text); ``starts`` holds the segments' starts in the normalised text,
    ``origins`` in the original.
    """

    text: str
    starts: list[int]
    origins: list[int]

    def original(self, index: int) -> int:
        """The offset in the original text of the normalised character at ``index``."""
        segment = bisect.bisect_right(self.starts, index) - 1
        start, origin = self.starts[segment], self.origins[segment]
        return origin + (index - start) if self.text[start] != " " else origin


def _fold(original: str) -> _Folded:
    translated = original.translate(QUOTE_MARKS)  # one character for one: offsets do not move
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = cursor = 0
    for run in WHITESPACE.finditer(translated):
        for begin, end, piece in ((cursor, run.start(), None), (run.start(), run.end(), " ")):
            if begin == end or (piece == " " and (begin == 0 or end == len(translated))):
                continue  # nothing there, or whitespace at either end (normalise trims it)
            chunk = piece or translated[begin:end]
            pieces.append(chunk)
            starts.append(length)
            origins.append(begin)
            length += len(chunk)
        cursor = run.end()
    if cursor < len(translated):
        pieces.append(translated[cursor:])
        starts.append(length)
        origins.append(cursor)
    return _Folded("".join(pieces), starts, origins)


def _span(pieces: list[str], haystack: str) -> tuple[int, int] | None:
    """Where the pieces are found in order in ``haystack`` (first piece's start, last piece's end),
    by the same first-match rule as stances.quotes.find_quote; None if one is missing."""
    if not pieces:
        return None
    start: int | None = None
    cursor = 0
    for piece in pieces:
        found = haystack.find(piece, cursor)
        if found < 0:
            return None
        start = found if start is None else start
        cursor = found + len(piece)
    return (start or 0), cursor


def quote_in_context(quote: str, body: str) -> Passage | None:
    """The paragraph of ``body`` that holds ``quote``, split around the quote; None if not found.

    Paragraphs are separated by blank lines (or a ``[...]`` line). With omissions, ``matched``
    runs from the first piece's start to the last piece's end; a quote that crosses a paragraph
    break takes in both paragraphs. The strings are exact substrings of ``body``: typographic
    marks and line breaks stay as written.
    """
    folded = _fold(body)
    span = _span(quote_pieces(quote), folded.text)
    if span is None:
        return None
    start, end = folded.original(span[0]), folded.original(span[1] - 1) + 1
    first, last = 0, len(body)
    for found in PARAGRAPH_BREAK.finditer(body):
        if found.end() <= start:
            first = found.end()
        elif found.start() >= end:
            last = found.start()
            break
    while first < start and body[first].isspace():
        first += 1
    while last > end and body[last - 1].isspace():
        last -= 1
    return Passage(body[first:start], body[start:end], body[end:last], start, end)


class _Body:
    """One archive's body, normalised once, with its passages for hints (built when first needed)."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.text = normalise(body)
        self._windows: dict[int, list[tuple[str, frozenset[str]]]] = {}  # by their least length

    def find(self, quote: str) -> bool:
        """True when the quote is in the body (the rules of stances.quotes.find_quote)."""
        return _span(quote_pieces(quote), self.text) is not None

    def windows(self, length: int) -> list[tuple[str, frozenset[str]]]:
        """Runs of whole sentences within one paragraph, each about ``length`` characters or more."""
        sentences: list[list[str]] = []
        for paragraph in PARAGRAPH_BREAK.split(self.body):
            parts = [s for s in SENTENCE_END.split(normalise(paragraph)) if s]
            if parts:
                sentences.append([chunk for s in parts for chunk in _chunks(s, 4 * HINT_CHARS)])
        found = []
        for paragraph in sentences:
            for first in range(len(paragraph)):
                window, last = paragraph[first], first + 1
                while len(window) < length and last < len(paragraph):
                    window, last = f"{window} {paragraph[last]}", last + 1
                found.append((window, frozenset(WORD.findall(window.lower()))))
        return found

    def cost(self, target: str) -> int:
        """How many passages a hint for ``target`` weighs (the length of the body if not yet cut)."""
        found = self._windows.get(_window_length(target))
        return len(found) if found is not None else len(self.text) // 10

    def closest(self, target: str) -> str:
        """The passage most like ``target`` (a piece of a quote), at most HINT_CHARS long."""
        target = target[:HINT_TARGET_CHARS]
        words = frozenset(WORD.findall(target.lower()))
        length = _window_length(target)
        if length not in self._windows:
            self._windows[length] = self.windows(length)
        # shared words (set operations, fast) pick a few candidates; difflib (slow) ranks them
        shortlist = heapq.nlargest(
            HINT_CANDIDATES, self._windows[length], key=lambda w: len(words & w[1]) / (len(words | w[1]) or 1)
        )
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(target.lower())
        best, score = "", -1.0
        for window, _ in shortlist:
            matcher.set_seq1(window.lower())
            ratio = matcher.ratio()
            if ratio > score:
                best, score = window, ratio
        return _excerpt(best, target)


def _window_length(target: str) -> int:
    """The least length of the passages a piece of a quote is weighed against: a few sizes serve
    every quote, so each archive is cut into passages a few times at most."""
    return min(len(target), HINT_TARGET_CHARS) // 50 * 50


def _chunks(sentence: str, limit: int) -> Iterator[str]:
    """A sentence cut at spaces into pieces of at most about ``limit`` characters."""
    while len(sentence) > limit:
        cut = sentence.rfind(" ", 0, limit)
        cut = cut if cut > 0 else limit
        yield sentence[:cut]
        sentence = sentence[cut:].lstrip()
    if sentence:
        yield sentence


def _excerpt(window: str, target: str) -> str:
    """``window`` cut to HINT_CHARS around the part most like ``target``, ``…`` where cut."""
    if len(window) <= HINT_CHARS:
        return window
    matcher = difflib.SequenceMatcher(None, window.lower(), target.lower(), autojunk=False)
    match = matcher.find_longest_match(0, len(window), 0, len(target))
    start = max(0, min(match.a - match.b - 20, len(window) - HINT_CHARS))
    if start > 0:
        space = window.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(window), start + HINT_CHARS)
    if end < len(window):
        space = window.rfind(" ", start, end)
        end = space if space > start + HINT_CHARS - 30 else end
    return ("…" if start else "") + window[start:end] + ("…" if end < len(window) else "")


def _missing_piece(quote: str, text: str) -> tuple[str, bool]:
    """The first piece of a quote that is not found in order, and whether it is there at all."""
    cursor = 0
    pieces = quote_pieces(quote)
    for piece in pieces:
        found = text.find(piece, cursor)
        if found < 0:
            return piece, piece in text
        cursor = found + len(piece)
    return (pieces[0] if pieces else normalise(quote)), False


# --- checking a dataset ------------------------------------------------------------------------


class _Places:
    """Where records and their fields are in the positions file, and their index in it.

    Records carry the line of their first key only; the file is composed with PyYAML (once, and
    only when a problem needs a place) to find a field's value and the index of a record among
    all of the file's records, valid or not.
    """

    def __init__(self, dataset: Dataset, text: str | None) -> None:
        self.dataset = dataset
        self.text = text
        self.items: dict[str, dict[tuple[int, int], tuple[int, dict[str, yaml.Node]]]] | None = None

    def _compose(self) -> dict[str, dict[tuple[int, int], tuple[int, dict[str, yaml.Node]]]]:
        items: dict[str, dict[tuple[int, int], tuple[int, dict[str, yaml.Node]]]] = {"sources": {}, "positions": {}}
        text = self.text if self.text is not None else _read_text(self.dataset.path)
        root = compose_yaml(text, self.dataset.path)[0] if text else None
        if not isinstance(root, yaml.MappingNode):
            return items
        for key, section in root.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in items:
                continue
            if not isinstance(section, yaml.SequenceNode):
                continue
            for index, item in enumerate(section.value):
                if isinstance(item, yaml.MappingNode) and item.value:
                    first = item.value[0][0].start_mark
                    fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
                    items[key.value].setdefault((first.line + 1, first.column + 1), (index, fields))
        return items

    def find(self, section: str, record: Record, kept_index: int, name: str = "") -> _Place:
        """Where ``record`` (or its field ``name``'s value) is, and the record's index in the file."""
        if self.items is None:
            self.items = self._compose()
        found = self.items[section].get((record.line, record.column))
        if found is None:  # not from this file's text: the record's own place, and the index if sure
            index = kept_index if not self.dataset.errors else None
            loc = f"{section}[{index}]" if index is not None else f"{section} (line {record.line})"
            return _Place(record.line, record.column, index, f"{loc}.{name}" if name else loc)
        index, fields = found
        node = fields.get(name)
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (record.line, record.column)
        return _Place(line, column, index, f"{section}[{index}]" + (f".{name}" if name else ""))


@dataclass(frozen=True, slots=True)
class _Place:
    line: int
    column: int
    index: int | None  # among all of the section's records in the file, valid or not
    loc: str


def _read_text(path: str) -> str:
    """The positions file's text, or '' when it cannot be read (places then fall back)."""
    try:
        raw = read_regular(path, limit=MAX_FILE_BYTES)
    except OSError:  # also a FIFO, a device or a file over the bound: never waited on
        return ""
    text, problem = decode_text(raw, path)
    return "" if problem is not None else text


def _describe(position: Position, index: int | None) -> str:
    """``(RUS, Sergei Ryabkov, 2013-03)``: who said it and when (the problem names the record
    itself; the line when its index is unknown)."""
    who = f"({'+'.join(position.signatories)}, {position.speaker}, {position.date})"
    return who if index is not None else f"the position at line {position.line} {who}"


def check_evidence(
    dataset: Dataset, folder: str | Path, *, strict: bool = False, text: str | None = None
) -> Verification:
    """Find every position's quote (and translation) in its source's archive under ``folder``.

    A source without an archive is one ``missing-evidence`` warning (an error when ``strict``),
    however many quotes rest on it; an unreadable or malformed archive is ``invalid-evidence``;
    a quote that is not in its archive is ``quote-not-in-evidence`` at the quote, with the
    archive's closest passage as the hint. ``text`` is the positions file's text when the caller
    has it (it is read from ``dataset.path`` otherwise, and only when a problem needs a place).
    Raises EvidenceError when ``folder`` exists but is not a folder.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise EvidenceError(f"{folder} is not a folder: the evidence archive is a folder of .txt files")
    result = Verification()
    places = _Places(dataset, text)
    sources = {s.id: (index, s) for index, s in enumerate(dataset.sources)}
    cited: dict[str, list[tuple[int, Position, str]]] = {}  # source id -> (index, position, field) resting on it
    for index, position in enumerate(dataset.positions):
        cited.setdefault(position.source, []).append((index, position, "quote"))
        if position.translation is not None:
            translated = position.translation_source or position.source
            cited.setdefault(translated, []).append((index, position, "translation"))
    result.sources_cited = len(cited)
    budget = [HINT_BUDGET]
    for source_id, resting in cited.items():  # one archive in memory at a time
        body = _open(source_id, resting, folder, sources, places, strict, result)
        if body is None:
            continue
        result.sources_archived += 1
        for index, position, name in resting:
            quote = position.quote if name == "quote" else position.translation or ""
            found = body.find(quote)
            if name == "quote":
                result.quotes_checked += 1
                result.quotes_found += found
            else:
                result.translations_checked += 1
                result.translations_found += found
            if found:
                continue
            place = places.find("positions", position, index, name)
            result.problems.append(
                Problem(
                    "quote-not-in-evidence",
                    f"{_describe(position, place.index)}: the {name} is not in {archive_path(folder, source_id)}",
                    dataset.path,
                    place.line,
                    place.column,
                    place.loc,
                    _closest_hint(quote, body, budget),
                )
            )
    result.problems.sort(key=lambda p: (p.path != dataset.path, p.path, p.line or 0, p.column or 0))
    return result


def verify(dataset: Dataset, folder: str | Path, strict: bool = False) -> list[Problem]:
    """Every evidence problem of ``dataset`` against the archive in ``folder`` (see check_evidence)."""
    return check_evidence(dataset, folder, strict=strict).problems


def _open(
    source_id: str,
    resting: list[tuple[int, Position, str]],
    folder: Path,
    sources: dict[str, tuple[int, Source]],
    places: _Places,
    strict: bool,
    result: Verification,
) -> _Body | None:
    """The body of one source's archive, or None after reporting why there is none."""
    path = archive_path(folder, source_id)
    if not path.exists():
        counts = Counter(name for _, _, name in resting)
        unchecked = " and ".join(plural(counts[name], name) for name in ("quote", "translation") if counts[name])
        index, record = sources.get(source_id, (resting[0][0], None))
        section = "sources" if record is not None else "positions"
        place = places.find(section, record or resting[0][1], index)
        result.problems.append(
            Problem(
                "missing-evidence",
                f"no evidence archive for source '{source_id}' ({path}): {unchecked} cannot be checked",
                places.dataset.path,
                place.line,
                place.column,
                place.loc,
                f"create {path}: 'key: value' header lines (source: {source_id}, url, publisher, title, "
                "retrieved), a line '---', then the source's paragraphs holding the quotes, copied verbatim",
                "error" if strict else "warning",
            )
        )
        return None
    try:
        if os.path.realpath(path.parent) != os.path.realpath(Path(os.path.realpath(path)).parent):
            raise ArchiveError("it is a link to a file outside the archive folder")
        archive = read_archive(path)
        named = archive.header.get("source")
        if named != source_id:
            said = f"'source: {named}'" if named is not None else "no 'source:' line"
            line = list(archive.header).index("source") + 1 if named is not None else 1
            raise ArchiveError(f"its header has {said}, but the file is the archive of '{source_id}'", line)
    except ArchiveError as exc:
        result.problems.append(
            Problem(
                "invalid-evidence",
                f"the evidence archive of source '{source_id}' cannot be used: {exc}",
                str(path),
                exc.line,
                hint="an archive is 'key: value' header lines, a line '---', then the text, in UTF-8, "
                f"at most {MAX_ARCHIVE_BYTES // 1024 // 1024} MiB",
            )
        )
        return None
    return _Body(archive.body)


def _closest_hint(quote: str, body: _Body, budget: list[int]) -> str:
    """The archive's passage closest to the quote's first missing piece, within ``budget``."""
    if not body.text:
        return "the archive holds no text after its '---' line: paste the source's paragraph holding the quote"
    piece, elsewhere = _missing_piece(quote, body.text)
    if elsewhere:
        return f"'{piece[:60]}' is in the archive, but not after the quote's earlier pieces: check the order"
    if budget[0] <= 0:
        return "compare it with the archive (no closest passage shown: too many quotes are not found)"
    budget[0] -= body.cost(piece)
    return f'closest passage: "{body.closest(piece)}"'


# --- writing -----------------------------------------------------------------------------------


def _header_value(value: str | None, default: str) -> str:
    """One header line's value: line breaks in the record's text become spaces."""
    return WHITESPACE.sub(" ", value).strip() if value and value.strip() else default


def new_archive(source: Source, paragraph: str, newline: str = "\n") -> str:
    """The text of a new archive for ``source`` holding ``paragraph``."""
    header = {
        "source": source.id,
        "url": _header_value(source.url, "none"),
        "publisher": _header_value(source.publisher, "none given"),
        "title": _header_value(source.title, "none given"),
    }
    if source.date is not None:
        header["date"] = source.date
    if source.note is not None:
        header["note"] = _header_value(source.note, "")
    header["retrieved"] = "added with stances add"
    lines = [f"{key}: {value}" for key, value in header.items()] + [HEADER_END, paragraph]
    return newline.join(lines) + newline


def append_context(folder: str | Path, source: Source, paragraph: str) -> ContextWrite:
    """Add ``paragraph`` (the source's text around a quote) to the source's archive.

    Creates ``<folder>/<source id>.txt`` with a header from the Source record, or appends the
    paragraph to its body after a blank line, a ``[...]`` line and a blank line; nothing already
    in the file changes. A paragraph that the body holds already is not added again. Atomic: a
    temporary file in the same folder, fsync, then a rename. Raises WriteRefused under
    ``STANCES_READ_ONLY=1``, for a path outside ``folder``, a blank paragraph, a malformed
    archive, or when the file changed while it was being written.
    """
    if settings.read_only():
        raise WriteRefused("writing is turned off (STANCES_READ_ONLY=1): nothing was written")
    paragraph = paragraph.strip()
    if not paragraph:
        raise WriteRefused("the paragraph is empty: nothing was written")
    if "\x00" in paragraph:
        raise WriteRefused("the paragraph holds a NUL character: nothing was written")
    folder = Path(folder)
    try:
        path = archive_path(folder, source.id)
    except ValueError as exc:
        raise WriteRefused(f"{exc}: nothing was written") from None
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise WriteRefused(f"{path} is not a plain file: nothing was written")
    try:
        folder.mkdir(exist_ok=True)
        old = path.read_bytes() if path.exists() else None
    except OSError as exc:
        raise WriteRefused(f"{path}: cannot read or create it ({exc.strerror or exc}); nothing was written") from None
    if old is None:
        new = new_archive(source, paragraph).encode("utf-8")
        _replace(path, None, new)
        return ContextWrite(path, "created")
    try:
        archive = parse_archive(old)
    except ArchiveError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise WriteRefused(f"{path}{where}: {exc}; fix the archive first, nothing was written") from None
    if normalise(paragraph) in normalise(archive.body):
        return ContextWrite(path, "present")
    newline = "\r\n" if b"\r\n" in old else "\n"
    text = newline.join(paragraph.splitlines())
    ends_in_break = old.endswith((b"\n", b"\r"))
    lead = "" if ends_in_break else newline
    if archive.body.strip():
        addition = f"{lead}{newline}{OMITTED}{newline}{newline}{text}{newline}"
    else:
        addition = f"{lead}{text}{newline}"
    _replace(path, old, old + addition.encode("utf-8"))
    return ContextWrite(path, "appended")


def _replace(path: Path, old: bytes | None, new: bytes) -> None:
    """Write ``new`` to ``path`` atomically, if ``path`` still holds ``old`` (None: absent)."""
    if len(new) > MAX_ARCHIVE_BYTES:
        raise WriteRefused(f"{path} would grow past {MAX_ARCHIVE_BYTES // 1024 // 1024} MiB: nothing was written")
    mode = stat.S_IMODE(path.stat().st_mode) if old is not None else 0o644
    try:
        expected = None if old is None else FileState.of_bytes(old)  # checked again after the rename
        replace_file(
            path, new, mode=mode, check=lambda: _ensure(path, old), expected=expected, must_not_exist=old is None
        )
    except TargetChanged as exc:
        raise WriteRefused(f"{exc}: nothing was written") from None
    except NoTempFile as exc:
        raise WriteRefused(f"{path}: cannot write next to it ({exc.strerror or exc}); nothing was written") from None
    except OSError as exc:
        raise WriteRefused(f"{path}: cannot write ({exc.strerror or exc}); the file is unchanged") from None


def _ensure(path: Path, old: bytes | None) -> None:
    """Refuse when the file changed (or appeared) since it was read."""
    current: bytes | None
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != old:
        raise WriteRefused(f"{path} changed on disk while it was being written: nothing was written")


def context_problem(quote: str, paragraph: str) -> str | None:
    """Why ``paragraph`` cannot be archived as the context of ``quote``; None when it can.

    The paragraph is what ``verify`` will search the quote in, so the quote must be in it.
    """
    if not paragraph.strip():
        return None
    if not quote_pieces(quote):
        return "write the quote first: the context paragraph must hold it"
    if not find_quote(quote, paragraph):
        return (
            "the quote is not in the context paragraph: paste the source's paragraph that holds it, "
            "copied as published (spacing and curly quote marks may differ)"
        )
    return None


def archive_added_context(positions_path: str | Path, records: dict, paragraph: str, dataset: Dataset) -> ContextWrite:
    """Keep the context paragraph of a position just added (``records`` as append.clean_records
    made them) in its source's archive beside ``positions_path``: the source added with it, or the
    file's own. WriteRefused when it cannot be written."""
    source_id = records["positions"].get("source", "")
    source: Source | None
    if records.get("sources") is not None:
        try:
            source = Source.model_validate({"id": source_id, **records["sources"]})
        except ValueError:
            source = None
    else:
        source = dataset.sources_by_id().get(source_id)
    if source is None:
        raise WriteRefused(f"source '{source_id}' not found: nothing was written")
    return append_context(archive_dir(positions_path), source, paragraph)
