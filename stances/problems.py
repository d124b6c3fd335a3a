"""Problems found in a dataset: one record per problem, formatted like a compiler's messages.

Every problem has a kebab-case ``type`` (documented in docs/data-format.md), a 1-based line and
column where known, the record location (``positions[3].speaker``, 0-based as in JSON; printed
as ``the 4th position (positions[3].speaker)``), a message and a hint saying what to write
instead. Problems are collected, never raised one at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# type -> one-line title; docs/data-format.md has a section for each (a test checks it).
PROBLEM_TYPES: dict[str, str] = {
    "file-too-large": "The file is larger than the loader accepts",
    "not-utf8": "The file is not UTF-8 text",
    "binary-file": "The file holds binary data",
    "empty-file": "The file holds no data",
    "yaml-syntax": "The YAML itself cannot be read",
    "multiple-documents": "The file holds more than one YAML document",
    "too-deep": "Nesting deeper than the loader accepts",
    "too-many-aliases": "Aliases expand into too much data",
    "unsupported-tag": "A YAML tag the loader does not accept",
    "not-a-mapping": "The top level or a record is not a mapping",
    "unknown-key": "A key the format does not define",
    "missing-key": "A required key is missing",
    "duplicate-key": "The same key twice in one mapping",
    "wrong-type": "A value of the wrong kind",
    "ambiguous-number": "A number YAML reads differently from how it looks",
    "invalid-value": "A value outside the allowed choices",
    "invalid-id": "An id with characters ids cannot hold",
    "invalid-date": "Not a date, or a day that does not exist",
    "future-date": "A date after today",
    "invalid-url": "A link that is not http(s)",
    "empty-text": "Text that is empty or blank",
    "invalid-scale": "A stance scale that is not -k..k",
    "out-of-range": "A stance outside the scale",
    "duplicate-id": "Two records with the same id",
    "unknown-reference": "A reference to an id that no record defines",
    "tie": "Two positions on the same day disagree",
    "unknown-country-code": "A country whose id is not an ISO 3166-1 alpha-3 code",
    "too-many-problems": "More problems than the loader lists",
    # found by `python -m stances verify` against the evidence archive (stances.evidence)
    "quote-not-in-evidence": "A quote that is not in its source's evidence archive",
    "missing-evidence": "A source without an evidence archive",
    "invalid-evidence": "An evidence archive that cannot be read or does not follow the format",
}

# Found by `verify` in the evidence archive, never by the loader (tests/unit/test_evidence.py covers them).
EVIDENCE_TYPES = frozenset({"quote-not-in-evidence", "missing-evidence", "invalid-evidence"})

# Problems listed per file: a crafted file could otherwise yield millions (memory, time, output).
# 1,000 lines of about 150-500 bytes keep `validate` under 1 MB of output (10,000 printed 1.9 MB);
# past it, problems are only counted (and cost no hints).
MAX_PROBLEMS = 1_000
# How much of a value a message quotes: enough to recognise it, never the whole of a long one (an
# invalid 1 MB value repeated by 2,000 aliases was printed whole: 1.1 GB from one validate).
QUOTED_CHARS = 80
# A message or a hint longer than this is cut, whatever built it: each problem stays one short line.
MAX_TEXT_CHARS = 500

# A loc that starts with a record of a section: ``positions[37].speaker`` -> the 38th position.
_RECORD_LOC = re.compile(r"^(actors|issues|sources|positions)\[(\d+)\]")
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}  # of an ordinal by its last digit (11th, 12th, 13th aside)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a dataset, located as precisely as the YAML allows."""

    type: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    loc: str = ""
    hint: str = ""
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.type not in PROBLEM_TYPES:
            raise ValueError(f"undocumented problem type {self.type!r}")
        for name in ("message", "hint", "loc"):  # a loc names keys, which can be long too
            if len(getattr(self, name)) > MAX_TEXT_CHARS:  # frozen: set as the constructor would
                object.__setattr__(self, name, shortened(getattr(self, name), MAX_TEXT_CHARS))

    @property
    def where(self) -> str:
        """``path:line:column`` (as much of it as is known)."""
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @property
    def record(self) -> str:
        """The record as a person counts it, ``the 38th position`` for ``positions[37].speaker``;
        empty when the problem is not in a record (the title, the scale, the file)."""
        match = _RECORD_LOC.match(self.loc)
        if match is None:
            return ""
        return f"the {ordinal(int(match.group(2)) + 1)} {match.group(1).removesuffix('s')}"

    @property
    def named_loc(self) -> str:
        """``the 38th position (positions[37].speaker)``: the record counted from 1, then the exact
        place as ``loc`` (0-based, as in JSON); ``loc`` alone outside a record."""
        record = self.record
        return f"{record} ({self.loc})" if record else self.loc

    @property
    def detail(self) -> str:
        """What is wrong, then what to write instead: ``unknown key 'speeker'; did you mean 'speaker'?``."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def format(self) -> str:
        """One line: ``positions.yaml:42:9: error[unknown-key] the 4th position (positions[3].speeker): ...``."""
        loc = f" {self.named_loc}:" if self.loc else ""
        return f"{self.where}: {self.severity}[{self.type}]{loc} {self.detail}"

    def to_dict(self) -> dict[str, object]:
        """The problem as plain JSON-ready data."""
        return asdict(self)


def shortened(text: str, limit: int = QUOTED_CHARS) -> str:
    """``text`` whole when it has at most ``limit`` characters, else its start, ``...`` and its
    length: ``xxxxxxxx... (1,000,000 characters)``."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def quoted(text: str, mark: str = "'") -> str:
    """``text`` between two ``mark`` characters, as a message quotes a value: ``'speeker'``; a long
    one cut (:func:`shortened`): ``'xxxxxxxx...' (1,000,000 characters)``."""
    if len(text) <= QUOTED_CHARS:
        return f"{mark}{text}{mark}"
    return f"{mark}{text[:QUOTED_CHARS]}...{mark} ({len(text):,} characters)"


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``12th``, ``13th``, ``21st``, ``101st``, ``111th``."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{_SUFFIXES.get(number % 10, 'th')}"


def summary(problems: list[Problem], path: str) -> str:
    """``positions.yaml: 2 errors, 1 warning`` or ``positions.yaml: valid``."""
    counts = Counter(p.severity for p in problems)
    if not counts:
        return f"{path}: valid"
    parts = []
    for severity in ("error", "warning"):
        n = counts.get(severity, 0)
        if n:
            parts.append(f"{n} {severity}{'s' if n != 1 else ''}")
    return f"{path}: {', '.join(parts)}"
