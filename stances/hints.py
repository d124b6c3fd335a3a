"""Hints that help a person fix what they typed: "did you mean ...?", the ISO form of a date, a stance
from its label.

Pure text functions (no YAML, no model), so the loader, the command line and the Add page share
one wording. Each guesses only when the guess is safe: a date such as ``7/8/2016`` (July 8 or
August 7?) gets no proposal, and an id guess needs a close match. None guesses from a value longer
than MAX_GUESS_CHARS: nobody mistypes a key, an id or a date that long, and difflib's cost grows
with the length (a 1 MB value against three options took 0.5 s, and a file can repeat it by
thousands of aliases).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

DATE_FORMS = "write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source"
FUZZY_CUTOFF = 0.6  # difflib ratio of a near miss: 'speeker' -> 'speaker' is 0.86, 'GER' -> 'Germany' 0.6
MAX_GUESS_CHARS = 100  # a value longer than this gets no guess (ids are at most 100 characters)

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    start=1,
):
    _MONTHS[_name] = _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9

_SEP = r"[-/.]"
_TIME = r"(?:[t ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:z|[+-][0-9]{2}:?[0-9]{2})?)?"  # 2016-07-08T10:00:00Z
_YEAR_FIRST = re.compile(rf"^([0-9]{{4}}){_SEP}([0-9]{{1,2}})(?:{_SEP}([0-9]{{1,2}}){_TIME})?$")
_COMPACT = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$")
_YEAR = re.compile(r"^([0-9]{4})$")  # already ISO, unless its digits were another script's
_YEAR_LAST = re.compile(rf"^([0-9]{{1,2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{4}})$")
_MONTH_YEAR = re.compile(rf"^([0-9]{{1,2}}){_SEP}([0-9]{{4}})$")
_WORD = r"([a-z]+)"
_WORDED = (  # (pattern, order of its groups as year, month, day)
    (re.compile(rf"^([0-9]{{1,2}}) {_WORD} ([0-9]{{4}})$"), (3, 2, 1)),  # 8 July 2016
    (re.compile(rf"^{_WORD} ([0-9]{{1,2}}) ([0-9]{{4}})$"), (3, 1, 2)),  # July 8, 2016
    (re.compile(rf"^([0-9]{{4}}) {_WORD} ([0-9]{{1,2}})$"), (1, 2, 3)),  # 2016 July 8
    (re.compile(rf"^{_WORD} ([0-9]{{4}})$"), (2, 1, 0)),  # July 2016
    (re.compile(rf"^([0-9]{{4}}) {_WORD}$"), (1, 2, 0)),  # 2016 July
)


def closest(word: str, options: Iterable[str], names: Mapping[str, str] | None = None) -> str | None:
    """The option ``word`` most likely meant, or None when none is close.

    Without ``names``: the option equal to ``word`` but for case, else the nearest by spelling.
    With ``names`` (option -> name, e.g. actor id -> country name), a name counts as much as its id:
    the id whose name is ``word`` (``Germany`` -> ``DEU``) or the one name that starts with it
    (``GER`` -> ``DEU``; ``United``, the start of two names, gets no guess), else the nearest id or
    name by spelling, case ignored.
    """
    options = list(options)
    if not options or not word or len(word) > MAX_GUESS_CHARS:
        return None
    folded = word.strip().casefold()
    for option in options:
        if option.casefold() == folded:
            return option
    if names is None:  # exactly the loader's matcher: spelling with case
        return next(iter(difflib.get_close_matches(word, options, n=1, cutoff=FUZZY_CUTOFF)), None)
    named = {option: names[option].strip().casefold() for option in options if names.get(option, "").strip()}
    for option, name in named.items():
        if name == folded:
            return option
    if len(folded) >= 3:  # 'GER' -> Germany; shorter beginnings match too many names
        starting = [option for option, name in named.items() if name.startswith(folded)]
        if len(starting) > 1:  # 'United': States or Kingdom? no guess
            return None
        if starting:
            return starting[0]
    spellings: dict[str, str] = {}
    for option in options:
        spellings.setdefault(option.casefold(), option)
    for option, name in named.items():
        spellings.setdefault(name, option)
    match = difflib.get_close_matches(folded, list(spellings), n=1, cutoff=FUZZY_CUTOFF)
    return spellings[match[0]] if match else None


def did_you_mean(word: str, options: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """``did you mean 'speaker'?``, else ``allowed here: a, b``; with ``names``, ``did you mean DEU (Germany)?``.

    With ``names`` and no close option the answer is empty: such lists (ids) are long, and the
    caller says what to do instead (list some, or how to add one).
    """
    options = list(options)
    match = closest(word, options, names)
    if names is None:
        return f"did you mean '{match}'?" if match else f"allowed here: {', '.join(options)}"
    if match is None:
        return ""
    name = names.get(match, "").strip()
    return f"did you mean {match} ({name})?" if name else f"did you mean {match}?"


def propose_date(text: str) -> str | None:
    """The ISO form of a date written another way, when only one reading is possible; else None.

    ``2016-7-8``, ``2016/07/08``, ``8 July 2016``, ``July 8th, 2016`` -> ``2016-07-08``;
    ``July 2016`` -> ``2016-07``; digits of another script, ``٢٠٢٠-٠١-٠٥`` or ``２０２０``, ->
    ``2020-01-05``, ``2020``; ``7/8/2016`` (July 8 or August 7?) -> None; a text already in
    ISO form, or a day the calendar does not have (``2013-02-30``), -> None; so does a text longer
    than MAX_GUESS_CHARS.
    """
    if len(text) > MAX_GUESS_CHARS:
        return None
    cleaned = " ".join(ascii_digits(text).replace(",", " ").split()).casefold()
    cleaned = re.sub(r"(?<=[0-9])(?:st|nd|rd|th)\b", "", cleaned)  # 8th -> 8
    cleaned = re.sub(r"(?<=[a-z])\.", "", cleaned)  # Sept. -> sept
    parts: tuple[str | None, str | None, str | None] | None = None
    if match := _YEAR_FIRST.match(cleaned) or _COMPACT.match(cleaned):
        parts = match.group(1), match.group(2), match.group(3)
    elif match := _YEAR_LAST.match(cleaned):
        first, second, year = match.groups()
        parts = _day_month(year, first, second)
    elif match := _MONTH_YEAR.match(cleaned):
        parts = match.group(2), match.group(1), None
    elif match := _YEAR.match(cleaned):
        parts = match.group(1), None, None
    else:
        for pattern, (y, m, d) in _WORDED:
            if match := pattern.match(cleaned):
                month = _MONTHS.get(match.group(m))
                if month is not None:
                    parts = match.group(y), str(month), match.group(d) if d else None
                break
    if parts is None:
        return None
    proposal = _iso(*parts)
    return None if proposal is None or proposal == text.strip() else proposal


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of another script written 0-9: ``٢٠٢٠`` -> ``2020``."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _day_month(year: str, first: str, second: str) -> tuple[str, str, str] | None:
    """(year, month, day) from ``first/second/year`` when only one order is a date, or both agree."""
    a, b = int(first), int(second)
    if a == b:
        return year, first, second
    if a > 12 >= b:  # 13/7/2016: the day comes first
        return year, second, first
    if b > 12 >= a:  # 7/13/2016: the month comes first
        return year, first, second
    return None  # 7/8/2016: July 8 or August 7


def _iso(year: str | None, month: str | None, day: str | None) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``) if the parts make a day of the calendar, else None."""
    if year is None:
        return None
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if month is None:
        return f"{int(year):04d}"
    return f"{int(year):04d}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def date_hint(text: str) -> str:
    """How to write a date, said once, with the ISO form of ``text`` when it has only one reading.

    ``write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source; did you mean 2016-07-08?``
    """
    proposal = propose_date(text)
    digits = "; write the digits 0-9" if ascii_digits(text) != text else ""
    return f"{DATE_FORMS}{digits}; did you mean {proposal}?" if proposal else f"{DATE_FORMS}{digits}"


def stance_from_label(text: str, labels: Mapping[int, str]) -> int | None:
    """The stance whose label is ``text`` (case and spacing ignored): ``Supports`` -> 1; else None."""
    wanted = " ".join(text.split()).casefold()
    return next((stance for stance, label in labels.items() if " ".join(label.split()).casefold() == wanted), None)


def stance_hint(text: str, labels: Mapping[int, str]) -> str:
    """What to write for a stance that is neither a number nor a label: ``use a number from -2 to 2
    (supports = 1)``, naming the labels ``text`` resembles, or every label when it resembles none."""
    low, high = min(labels), max(labels)
    chosen = _labels_like(text, labels) if len(text) <= MAX_GUESS_CHARS else []
    if chosen:
        named = ", ".join(f"{labels[s]} = {s}" for s in sorted(chosen))
        return f"use a number from {low} to {high} ({named})"
    every = ", ".join(f"{labels[s]} = {s}" for s in sorted(labels))
    return f"use a number from {low} to {high} ({every}), or null if the speaker declined to state one"


def _labels_like(text: str, labels: Mapping[int, str]) -> list[int]:
    """The stances whose labels ``text`` resembles: by spelling, or holding it as a word."""
    wanted = " ".join(text.split()).casefold()
    folded = {stance: " ".join(label.split()).casefold() for stance, label in labels.items()}
    near = difflib.get_close_matches(wanted, list(folded.values()), n=1, cutoff=0.8)  # 'support', 'oppose'
    chosen = [s for s, label in folded.items() if label in near]
    if not chosen and wanted:  # 'strongly': every label with that word
        chosen = [s for s, label in folded.items() if re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", label)]
    if not chosen:
        near = difflib.get_close_matches(wanted, list(folded.values()), n=1, cutoff=FUZZY_CUTOFF)
        chosen = [s for s, label in folded.items() if label in near]
    return chosen
