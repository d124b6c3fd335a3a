"""Checks across records: duplicate ids, unknown references, future dates and ties.

Each check receives the records that passed their own validation, with the YAML nodes of their
fields, so every problem points at the offending value. Records with an error are dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from stances.model import ID_PATTERN, Actor, Issue, Position, Source, date_start, normalise_partial_date
from stances.problems import MAX_PROBLEMS, Problem

MAX_LISTED_IDS = 12
# Candidate comparisons for "did you mean" hints per file (about 12 µs each): a crafted file with
# thousands of ids and thousands of unknown references would otherwise take minutes.
FUZZY_BUDGET = 200_000

ProblemAt = Callable[..., Problem]


@dataclass
class Kept:
    """The records that survived cross-record checks, and the problems found."""

    actors: list[Actor]
    issues: list[Issue]
    sources: list[Source]
    positions: list[Position]
    problems: list[Problem]
    unlisted: int = 0  # problems found past MAX_PROBLEMS, not listed


def _is_id(value: str) -> bool:
    """True for a well-formed id; a malformed one is reported as invalid-id, not also as unknown."""
    return re.match(ID_PATTERN, value) is not None and len(value) <= 100


def known_ids_hint(wrong: str, known: Sequence[str], kind: str, *, fuzzy: bool = True, listing: str = "") -> str:
    """``did you mean 'RUS'?`` plus the known ids (shortened), or how to add one.

    ``fuzzy=False`` skips the guess and ``listing`` reuses a precomputed id list: both cost time
    in proportion to the number of ids, once per problem.
    """
    if not known:
        return f"no {kind} is defined yet: add one under '{kind}s:' first"
    guess = None
    if fuzzy:
        close = difflib.get_close_matches(wrong, known, n=1, cutoff=0.5)
        upper = [k for k in known if k.lower() == wrong.lower()]
        guess = (upper or close or [None])[0]
    prefix = f"did you mean '{guess}'? " if guess else ""
    return f"{prefix}known {kind} ids: {listing or _listing(known)}"


def _listing(known: Sequence[str]) -> str:
    listed = ", ".join(sorted(known)[:MAX_LISTED_IDS])
    more = f" and {len(known) - MAX_LISTED_IDS} more" if len(known) > MAX_LISTED_IDS else ""
    return f"{listed}{more}"


def check_references(entries: dict[str, list[tuple[Any, Any]]], today: dt.date, at: ProblemAt) -> Kept:
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
        names = ids[section]
        fuzzy = budget >= len(names)
        budget -= len(names) if fuzzy else 0
        if section not in listings:
            listings[section] = _listing(names) if names else ""
        return known_ids_hint(wrong, names, kind, fuzzy=fuzzy, listing=listings[section])

    def raw(fields: Any, name: str) -> str | None:
        value = fields.values.get(name)
        return value if isinstance(value, str) else None

    def report(kind: str, fields: Any, name: str, loc: str, message: str, hint: str, node: Any = None) -> None:
        nonlocal unlisted
        if len(problems) >= MAX_PROBLEMS:  # a crafted file could yield millions
            unlisted += 1
            return
        problems.append(at(kind, node if node is not None else fields.nodes.get(name), f"{loc}.{name}", message, hint))

    ids: dict[str, list[str]] = {}
    bad: set[int] = set()  # id() of fields whose record is dropped here
    for section in ("actors", "issues", "sources"):
        first_line: dict[str, int] = {}
        for _, fields in entries[section]:
            value = raw(fields, "id")
            if value is None:
                continue
            if value in first_line:
                bad.add(id(fields))
                report(
                    "duplicate-id",
                    fields,
                    "id",
                    f"{section}[{fields.index}]",
                    f"the id '{value}' is already used at line {first_line[value]}",
                    "give each record its own id; merge the two if they are the same",
                )
            else:  # known even when the record itself is broken: its problem is reported already
                first_line[value] = fields.first.start_mark.line + 1
        ids[section] = list(first_line)
    known = {section: set(found) for section, found in ids.items()}  # O(1) lookups for 100,000 positions

    def unknown_actors(fields: Any, key: str, loc: str, among: str) -> None:
        """Report each id of the list ``key`` (a bloc's members, a joint statement's signatories)
        that names no actor, at its own item."""
        listed = fields.values.get(key)
        for index, member in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(member, str) and member not in known["actors"] and _is_id(member):
                bad.add(id(fields))
                node = fields.nodes.get(key)
                item = node.value[index] if isinstance(getattr(node, "value", None), list) else node
                message = f"unknown actor '{member}' among the {among}"
                report(
                    "unknown-reference", fields, f"{key}[{index}]", loc, message, hint(member, "actors", "actor"), item
                )

    for _, fields in entries["actors"]:
        unknown_actors(fields, "members", f"actors[{fields.index}]", "members")

    references = {"actor": "actors", "issue": "issues", "source": "sources", "translation_source": "sources"}
    for _, fields in entries["positions"]:
        for name, section in references.items():
            value = raw(fields, name)
            if value is not None and value not in known[section] and _is_id(value):
                bad.add(id(fields))
                kind = section.removesuffix("s")
                report(
                    "unknown-reference",
                    fields,
                    name,
                    f"positions[{fields.index}]",
                    f"unknown {kind} '{value}'",
                    hint(value, section, kind),
                )

        unknown_actors(fields, "actors", f"positions[{fields.index}]", "signatories")

    for section in ("sources", "positions"):
        for _, fields in entries[section]:
            value = fields.values.get("date")
            try:
                start = date_start(normalise_partial_date(value)) if value is not None else None
            except ValueError:
                continue  # reported as invalid-date by the record's own validation
            if start is not None and start > today:
                bad.add(id(fields))
                report(
                    "future-date",
                    fields,
                    "date",
                    f"{section}[{fields.index}]",
                    f"{value} is after today ({today.isoformat()})",
                    "check the year: a statement or publication cannot be dated in the future",
                )

    def kept(section: str) -> list[Any]:
        return [record for record, fields in entries[section] if record is not None and id(fields) not in bad]

    return Kept(kept("actors"), kept("issues"), kept("sources"), kept("positions"), problems, unlisted)


def find_ties(positions: Sequence[Position], path: str) -> list[Problem]:
    """Warn where one actor has positions on one issue with the same date and voice but
    different stances: the as-of rule then takes the later one in the file."""
    groups: dict[tuple[str, str, str, str], list[Position]] = defaultdict(list)
    for position in positions:
        for actor in position.signatories:
            groups[(actor, position.issue, position.date, position.voice)].append(position)
    problems = []
    for (actor, issue, date, voice), group in groups.items():
        if len({p.stance for p in group}) < 2:
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
