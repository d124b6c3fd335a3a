"""Spellings the quote search finds together: British and American, abbreviations with or without
full stops, words with or without a hyphen, straight or curly apostrophes.

Pure and small on purpose: the Quotes page prints ``SUMMARY`` word for word, so a reader knows
exactly what "defence" also finds. The search (``stances.analysis.search_quotes``, and the
Quotes page's index of it, ``stances.quotesearch``, with the same answers) folds case and accents
first; a folded search word then stands for the ``Variants`` of it made here. Each
rule only adds spellings a word may also be written in, so a word finds what it found before
and its variants' matches, except an abbreviation (``us``, ``eu``), which is looked for as the
abbreviation (in capitals, as a word) rather than inside other words ("Russia", "Europe").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Spelled two ways (British, American), found together wherever they occur in a word
# ("defences" finds "defenses" too). Whole words or stems, never short endings that would
# match inside unrelated words.
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("centre", "center"),
    ("programme", "program"),
    ("analyse", "analyze"),
    ("behaviour", "behavior"),
    ("favour", "favor"),
    ("honour", "honor"),
    ("labour", "labor"),
    ("neighbour", "neighbor"),
)
# -ise/-ize (-ised, -ising, -isation) after at least four letters: "organise" finds "organize",
# while "prize" and "size" stay as they are (a shorter stem is rarely this spelling pair).
ISE_IZE = re.compile(r"(?<=[a-z]{4})i[sz](?=e|ing|ation)")
# Abbreviations with or without full stops, looked for in capitals as a whole word in the text
# as written: "us" finds "US" and "U.S." but not "Russia" or "let us".
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A."),
    "UK": ("UK", "U.K."),
    "EU": ("EU", "E.U."),
    "UN": ("UN", "U.N."),
}
# A word starting with one of these, then at least four letters, is also found written with a
# hyphen or a space after it: "antimissile" finds "anti-missile" and "anti missile".
PREFIXES: tuple[str, ...] = ("anti", "counter", "non")
# A hyphen between two letters or digits ("anti-missile"; not the "-" of "un-" or "-2").
INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
APOSTROPHES = ("'", "\u2019")  # straight and curly (right single quotation mark)
MAX_VARIANTS = 32  # a search word of many hyphens and pairs must not become thousands of searches
# Letters, digits: what may not touch an abbreviation for it to be a word (ASCII on purpose, so
# Python's re and Arrow's RE2 agree on it).
_NOT_WORD = "[^0-9A-Za-z]"


@dataclass(frozen=True)
class Variants:
    """What one folded search word finds: any of ``spellings`` inside the folded text, or, for an
    abbreviation, ``abbreviation`` (a regular expression) in the text as written."""

    spellings: tuple[str, ...]
    abbreviation: str | None = None


def _abbreviation_forms() -> dict[str, str]:
    """Each abbreviation's folded forms (``us``, ``u.s.``, ``usa``, ...) -> its group's key."""
    return {form.lower(): key for key, forms in ABBREVIATIONS.items() for form in forms}


_ABBREVIATION_OF = _abbreviation_forms()


def abbreviation_pattern(key: str) -> str:
    """The regular expression finding any form of one abbreviation group as a word, in capitals."""
    forms = "|".join(re.escape(form) for form in sorted(ABBREVIATIONS[key], key=len, reverse=True))
    # the form is followed by a non-letter or the end; a final full stop may end the sentence
    return f"(?:^|{_NOT_WORD})(?:{forms})(?:{_NOT_WORD}|$)"


def variants(word: str) -> Variants:
    """Everything a folded search word (lower case, no accents) finds, under the rules above."""
    key = _ABBREVIATION_OF.get(word)
    if key is not None:
        return Variants((), abbreviation_pattern(key))
    found = [word]
    for spell in (_pairs, _ise_ize, _hyphens, _prefixes, _apostrophes):
        for known in list(found):
            for other in spell(known):
                if other not in found and len(found) < MAX_VARIANTS:
                    found.append(other)
    return Variants(tuple(found))


def _pairs(word: str) -> list[str]:
    out = []
    for british, american in SPELLINGS:
        if british in word:  # first: "programme" holds "program" too, and is the British word
            out.append(word.replace(british, american))
        elif american in word:
            out.append(word.replace(american, british))
    return out


def _ise_ize(word: str) -> list[str]:
    if not ISE_IZE.search(word):
        return []
    return [ISE_IZE.sub(lambda m: "iz" if m.group(0) == "is" else "is", word)]


def _hyphens(word: str) -> list[str]:
    if not INNER_HYPHEN.search(word):
        return []
    return [INNER_HYPHEN.sub(" ", word), INNER_HYPHEN.sub("", word)]


def _prefixes(word: str) -> list[str]:
    for prefix in PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 4 and rest[0].isalpha():
            return [f"{prefix}-{rest}", f"{prefix} {rest}"]
    return []


def _apostrophes(word: str) -> list[str]:
    out = []
    for mark in APOSTROPHES:
        if mark in word:
            out += [word.replace(mark, other) for other in APOSTROPHES if other != mark]
    return out


def summary() -> str:
    """The rules in one paragraph of plain text, for the Quotes page (no Markdown in it)."""
    pairs = ", ".join(f"{b}/{a}" for b, a in SPELLINGS)
    groups = "; ".join(", ".join(forms) for forms in ABBREVIATIONS.values())
    prefixes = ", ".join(f"{p}-" for p in PREFIXES)
    return (
        "Search ignores case and accents (é = e, ł = l) and finds these spellings together: "
        f"{pairs}; -ise/-ize (organise, organisation, organize); {groups} (in capitals, as a word: "
        "US does not find Russia); a hyphen or not (anti-missile, anti missile, antimissile: "
        f"after {prefixes} either way); straight or curly apostrophes (Russia's, Russia\u2019s)."
    )
