"""Checks across records (duplicate ids, unknown references, future dates, ties), and the Dataset.

Each check receives every record mapping as stances.records.Fields (its values and where each is
written), so every problem points at the offending value. Records with an error are dropped.
Both load paths finish here (:func:`complete`), so their datasets are made alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stances.countries import check_country_ids
from stances.hints import closest
from stances.model import ID_PATTERN, Actor, Dataset, Issue, Position, Scale, Source, date_start, normalise_partial_date
from stances.problems import MAX_PROBLEMS, Problem, quoted
from stances.records import ALWAYS_LISTED, Entry, Fields, Report

MAX_LISTED_IDS = 12
NAME_FIELD = {"actors": "name", "issues": "title", "sources": "publisher"}  # what a person calls a record
# Candidate comparisons for "did you mean" hints per file (about 12 µs each): a crafted file with
# thousands of ids and thousands of unknown references would otherwise take minutes.
FUZZY_BUDGET = 200_000


@dataclass
class Kept:
    """The records that survived cross-record checks, and the problems found."""

    actors: list[Actor]
    issues: list[Issue]
    sources: list[Source]
    positions: list[Position]
    problems: list[Problem]
    unlisted: int = 0  # problems found past MAX_PROBLEMS, not listed
    actor_indexes: list[int] = field(default_factory=list)  # each kept actor's index in the file


def _is_id(value: str) -> bool:
    """True for a well-formed id; a malformed one is reported as invalid-id, not also as unknown."""
    return re.match(ID_PATTERN, value) is not None and len(value) <= 100


def known_ids_hint(
    wrong: str,
    known: Sequence[str],
    kind: str,
    *,
    names: Mapping[str, str] | None = None,
    fuzzy: bool = True,
    listing: str = "",
) -> str:
    """``did you mean DEU (Germany)?`` (matching ids and ``names``) plus the known ids (shortened),
    or how to add one.

    ``fuzzy=False`` skips the guess and ``listing`` reuses a precomputed id list: both cost time
    in proportion to the number of ids, once per problem.
    """
    if not known:
        return f"no {kind} is defined yet: add one under '{kind}s:' first"
    match = closest(wrong, known, names) if fuzzy else None
    name = (names or {}).get(match or "")
    guess = "" if match is None else f"did you mean {match} ({name})? " if name else f"did you mean '{match}'? "
    return f"{guess}known {kind} ids: {listing or _listing(known)}"


def _listing(known: Sequence[str]) -> str:
    listed = ", ".join(sorted(known)[:MAX_LISTED_IDS])
    more = f" and {len(known) - MAX_LISTED_IDS} more" if len(known) > MAX_LISTED_IDS else ""
    return f"{listed}{more}"


def check_references(entries: dict[str, list[Entry]], today: dt.date, label: str) -> Kept:
    """Report duplicate ids, unknown references and future dates; keep the records without.

    ``entries`` maps each section to ``(record or None, fields)`` for every mapping in it: a
    record that already failed its own validation is still checked, so that all of its mistakes
    are reported at once, and it stays out of the result.
    """
    problems: list[Problem] = []
    unlisted = 0
    budget = FUZZY_BUDGET
    listings: dict[str, str] = {}

    def hint(wrong: str, section: str, kind: str) -> str:
        """The unknown-id hint, within the time budget; empty once no more problems are listed."""
        nonlocal budget
        if len(problems) >= MAX_PROBLEMS:
            return ""
        known = ids[section]
        fuzzy = budget >= 2 * len(known)  # ids and names
        budget -= 2 * len(known) if fuzzy else 0
        if section not in listings:
            listings[section] = _listing(known) if known else ""
        return known_ids_hint(wrong, known, kind, names=names[section], fuzzy=fuzzy, listing=listings[section])

    def report(kind: str, fields: Fields, name: str, message: str, hint: str, item: int | None = None) -> None:
        nonlocal unlisted
        if len(problems) >= MAX_PROBLEMS:  # a crafted file could yield millions
            unlisted += 1
            return
        place = fields.place(name.partition("[")[0])
        if place is not None and item is not None and item < len(place.items):
            place = place.items[item]
        line, column = (place.line, place.column) if place is not None else (None, None)
        problems.append(Problem(kind, message, label, line, column, f"{fields.loc}.{name}", hint))

    ids: dict[str, list[str]] = {}
    names: dict[str, dict[str, str]] = {}  # id -> what a person calls it: an actor's name, a title
    bad: set[int] = set()  # id() of fields whose record is dropped here
    for section in ("actors", "issues", "sources"):
        first_line: dict[str, int] = {}
        for _, fields in entries[section]:
            value = fields.text("id")
            if value is None:
                continue
            if value in first_line:
                bad.add(id(fields))
                report(
                    "duplicate-id",
                    fields,
                    "id",
                    f"the id {quoted(value)} is already used at line {first_line[value]}",
                    "give each record its own id; merge the two if they are the same",
                )
            else:  # known even when the record itself is broken: its problem is reported already
                first_line[value] = fields.line
                name = fields.text(NAME_FIELD[section])
                if name:
                    names.setdefault(section, {})[value] = name
        ids[section] = list(first_line)
        names.setdefault(section, {})
    known = {section: set(found) for section, found in ids.items()}  # O(1) lookups for 100,000 positions

    def unknown_actors(fields: Fields, key: str, among: str) -> None:
        """Report each id of the list ``key`` (a bloc's members, a joint statement's signatories)
        that names no actor, at its own item."""
        listed = fields.value(key)
        for index, member in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(member, str) and member not in known["actors"] and _is_id(member):
                bad.add(id(fields))
                message = f"unknown actor '{member}' among the {among}"
                report("unknown-reference", fields, f"{key}[{index}]", message, hint(member, "actors", "actor"), index)

    for _, fields in entries["actors"]:
        unknown_actors(fields, "members", "members")

    references = {"actor": "actors", "issue": "issues", "source": "sources", "translation_source": "sources"}
    # (each field with its section's ids at hand: this loop runs for each of 100,000 positions)
    checks = [(name, section, known[section]) for name, section in references.items()]
    for _, fields in entries["positions"]:
        text = fields.text
        for name, section, section_ids in checks:
            value = text(name)
            if value is not None and value not in section_ids and _is_id(value):
                bad.add(id(fields))
                kind = section.removesuffix("s")
                report("unknown-reference", fields, name, f"unknown {kind} '{value}'", hint(value, section, kind))
        if fields.value("actors") is not None:  # a joint statement
            unknown_actors(fields, "actors", "signatories")

    after_today: dict[object, bool] = {}  # per distinct date: a dataset repeats a few thousand dates

    def in_the_future(value: object) -> bool:
        if not isinstance(value, str | int | dt.date):  # a list or mapping: never a date
            return False
        key = (type(value), value)  # 2013 and "2013" read alike, but True must not pass for 1
        if key not in after_today:
            try:
                after_today[key] = date_start(normalise_partial_date(value)) > today
            except ValueError:
                after_today[key] = False  # reported as invalid-date by the record's own validation
        return after_today[key]

    today_text = today.isoformat()
    for section in ("sources", "positions"):
        for _, fields in entries[section]:
            value = fields.value("date")
            if value is None or (type(value) is str and "0" <= value[:1] <= "9" and value <= today_text):
                # Text that starts with a digit and sorts no later than today's YYYY-MM-DD is no
                # date after today: a partial date's first day sorts as its text does. (The full
                # check below costs microseconds, and a dataset holds thousands of distinct dates.)
                continue
            if in_the_future(value):
                bad.add(id(fields))
                report(
                    "future-date",
                    fields,
                    "date",
                    f"{value} is after today ({today.isoformat()})",
                    "check the year: a statement or publication cannot be dated in the future",
                )

    def kept(section: str) -> list:
        return [record for record, fields in entries[section] if record is not None and id(fields) not in bad]

    indexes = [fields.index for record, fields in entries["actors"] if record is not None and id(fields) not in bad]
    return Kept(kept("actors"), kept("issues"), kept("sources"), kept("positions"), problems, unlisted, indexes)


def find_ties(positions: Sequence[Position], path: str) -> list[Problem]:
    """Warn where one actor has positions on one issue with the same date and voice but
    different stances: the as-of rule then takes the later one in the file."""
    groups: dict[tuple[str, str, str, str], list[Position]] = defaultdict(list)
    for position in positions:  # (each of position.signatories, without a call for each of 100,000)
        if position.actor is not None:
            groups[(position.actor, position.issue, position.date, position.voice)].append(position)
            continue
        for actor in position.actors or ():
            groups[(actor, position.issue, position.date, position.voice)].append(position)
    problems = []
    for (actor, issue, date, voice), group in groups.items():
        if len(group) < 2 or len({p.stance for p in group}) < 2:
            continue
        last = group[-1]
        lines = ", ".join(str(p.line) for p in group[:-1])
        problems.append(
            Problem(
                "tie",
                f"{actor} has {len(group)} {voice} positions on '{issue}' dated {date} with different stances "
                f"(lines {lines} and {last.line}); the one later in the file wins",
                path,
                last.line,
                last.column,
                f"positions (line {last.line})",
                "make the dates more precise if the source allows, or remove the outdated one",
                severity="warning",
            )
        )
    return problems


def empty_dataset(label: str, problems: list[Problem], content_hash: str) -> Dataset:
    """A Dataset without records: the file could not be read as a dataset, ``problems`` say why."""
    return Dataset(label, Path(label).name, Scale(), [], [], [], [], problems, content_hash)


def complete(
    report: Report,
    title: str,
    scale: Scale,
    entries: dict[str, list[Entry]],
    today: dt.date,
    content_hash: str,
    kept: Kept | None = None,
) -> Dataset:
    """The Dataset of a file's records: cross-record checks (``kept``, when already run on
    ``entries``), ties, and the listing limit over every problem (``report``'s included)."""
    kept = kept or check_references(entries, today, report.label)
    countries = check_country_ids(kept.actors, report.label, indexes=kept.actor_indexes)
    problems = [*report.problems, *kept.problems, *countries, *find_ties(kept.positions, report.label)]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    unlisted = max(0, report.reported - MAX_PROBLEMS) + kept.unlisted + max(0, len(problems) - MAX_PROBLEMS)
    if unlisted:
        problems[MAX_PROBLEMS:] = [p for p in problems[MAX_PROBLEMS:] if p.type in ALWAYS_LISTED]
        problems.append(
            Problem(
                "too-many-problems",
                f"more problems were found; only the first {MAX_PROBLEMS:,} are listed",
                report.label,
                hint="fix the problems above, or check that this is a positions file",
            )
        )
    return Dataset(
        report.label, title, scale, kept.actors, kept.issues, kept.sources, kept.positions, problems, content_hash
    )
