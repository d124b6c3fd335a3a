"""``python -m stances add``: append one position (and, if needed, its new actor, issue or source).

Every field has a flag. Run in a terminal without the required flags, the command asks for the
missing ones, listing the ids already in the file. The records are checked, shown, then added as
new lines at the end of their lists (see stances.append: nothing else in the file changes).
A stance may be given by its label on the file's scale (``--stance supports``). A problem with a
value typed here says what was meant: the id by its id or name (``GER``: DEU, Germany), the
number of a label, the ISO form of a date (stances.hints). Each flag's help is its field's
description in stances.model.

The file is read and written only once no other program is writing it (a message says that
``add`` waits, for at most a few seconds); a file the user may not write is refused, and if
another program writes into the file while it is being replaced, that program's version is put
back and nothing is added (stances.positionsfile).

Exit codes: 0 written (or a valid ``--dry-run``), 1 invalid record, 2 usage, I/O, read-only mode
or file, or a file that changed (or was still being written) meanwhile.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any

from stances import evidence, settings
from stances.append import AppendError, Plan, clean_records, plan_append, syntax_refusal
from stances.atomicfile import write_refusal
from stances.hints import did_you_mean, stance_from_label, stance_hint
from stances.load import parse_dataset
from stances.model import RECORD_MODELS, VOICE_MEANINGS, Dataset
from stances.positionsfile import file_problems_note, read_for_append, write_plan
from stances.problems import Problem
from stances.terminal import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, tell
from stances.wording import plural

REQUIRED = ("actor", "issue", "stance", "date", "speaker", "role", "voice", "quote", "source")
OPTIONAL = ("language", "translation", "translation_source", "note")
NEW = {  # flag prefix -> (section, the position field holding its id, fields)
    "new_actor": ("actors", "actor", ("name", "kind", "members")),
    "new_issue": ("issues", "issue", ("title", "question", "description")),
    "new_source": ("sources", "source", ("publisher", "title", "date", "url", "author", "note")),
}
# What a flag adds to its field's description in the model (stances.model): how to give it here.
FLAG_HELP = {
    ("positions", "actor"): "Repeat it for a joint statement (--actor RUS --actor CHN): each holds the stance.",
    ("positions", "stance"): "A label of the scale (e.g. supports) is read as its number.",
    ("positions", "language"): "Default en.",
    ("actors", "name"): "Adds the actor (its id is --actor; the last one for a joint statement).",
    ("actors", "kind"): "Default country.",
    ("actors", "members"): "Separated by commas.",
    ("issues", "title"): "Adds the issue (its id is --issue).",
    ("sources", "publisher"): "Adds the source (its id is --source).",
}
# The flag that adds the record a position's field refers to (a new source cannot be a translation's).
ADDING_FLAG = {
    "actor": "--new-actor-name NAME",
    "actors": "--new-actor-name NAME (for the last --actor)",
    "issue": "--new-issue-title TITLE",
    "source": "--new-source-publisher PUBLISHER",
}
USAGE = (
    "%(prog)s [--file PATH] --actor ID --issue ID --stance N --date DATE\n"
    "       --speaker TEXT --role TEXT --voice VOICE --quote TEXT --source ID [more options: --help]"
)
# A problem of the new position or new record, by its place: 'positions[3].actors[1]' -> ('positions', 'actors', '1')
_NEW_FIELD = re.compile(r"^(positions|sources)\[\d+\]\.(\w+)(?:\[(\d+)\])?$")


def field_help(section: str, name: str) -> str:
    """The model's description of a field (one copy of the text), plus what the flag adds."""
    description = RECORD_MODELS[section].model_fields[name].description or ""
    return " ".join(filter(None, (description, FLAG_HELP.get((section, name))))).replace("%", "%%")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Every field's flag, grouped by record, with the help text of its field in the model."""
    parser.description = (
        "Append one position (and a new actor, issue or source it needs) to the positions file. "
        "Only new lines are added; run in a terminal without flags to be asked for each field."
    )
    parser.usage = USAGE
    parser.add_argument("--file", metavar="PATH", help="positions file (default: $POSITIONS_FILE, then positions.yaml)")
    parser.add_argument("--dry-run", action="store_true", help="show what would be added; write nothing")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask before writing (interactive mode)")
    position = parser.add_argument_group("the position")
    for name in (*REQUIRED, *OPTIONAL):
        flag = f"--{name.replace('_', '-')}"
        action = "append" if name == "actor" else "store"
        position.add_argument(flag, action=action, help=field_help("positions", name))
    position.add_argument(
        "--context",
        help="The source's paragraph that holds the quote, copied as published: kept in evidence/<source>.txt "
        "beside the file (created or appended) so that `verify` can check the quote.",
    )
    for prefix, (section, ref, fields) in NEW.items():
        group = parser.add_argument_group(f"a new {ref} (its id is --{ref})")
        for name in fields:
            group.add_argument(f"--{prefix.replace('_', '-')}-{name}", help=field_help(section, name))


def parse_stance(text: str | None, labels: Mapping[int, str] | None = None) -> Any:
    """An integer, None for ``null``, the number of a scale label (``supports`` -> 1, given
    ``labels``), or the text itself (validation then says what is wrong)."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped.lower() in ("null", "none", "~"):
        return None
    try:
        return int(stripped)
    except ValueError:
        pass
    found = stance_from_label(stripped, labels) if labels else None
    return stripped if found is None else found


class FileContext:
    """The positions file as read for the append, and its dataset, parsed only if something asks
    (prompts, a stance given as a label, advice on a problem): a valid append parses the file once."""

    def __init__(self, path: str, data: bytes) -> None:
        self.path, self.data = path, data

    @cached_property
    def dataset(self) -> Dataset:
        """The file's records as they are now (before the append)."""
        return parse_dataset(self.data, label=self.path)


def records_from_args(args: argparse.Namespace, labels: Mapping[int, str] | None = None) -> dict[str, dict[str, Any]]:
    """The records the flags describe (a new actor/issue/source only when one of its flags is set);
    ``labels``, the file's scale, turns a stance given as a label into its number."""
    position = {name: getattr(args, name) for name in REQUIRED}
    signatories = actor_ids(args.actor)
    position["actor"] = signatories[0] if len(signatories) == 1 else None
    if len(signatories) > 1:
        position["actors"] = signatories
    position["stance"] = parse_stance(args.stance, labels)
    for name in OPTIONAL:
        position[name] = getattr(args, name)
    extra: dict[str, dict[str, Any] | None] = {}
    for prefix, (section, _, fields) in NEW.items():
        values = {f: getattr(args, f"{prefix}_{f}") for f in fields}
        if isinstance(values.get("members"), str):
            values["members"] = [m for m in values["members"].split(",") if m.strip()]
        extra[section.removesuffix("s")] = values if any(v for v in values.values()) else None
    return clean_records(position, **extra)


def actor_ids(given: str | list[str] | None) -> list[str]:
    """The actor ids of ``--actor`` (repeated) or of a prompt's answer (separated by commas)."""
    if given is None:
        return []
    values = [given] if isinstance(given, str) else given
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def run(args: argparse.Namespace) -> int:
    """Append the position the flags (or the prompts) describe."""
    path = args.file or settings.positions_file()
    if settings.read_only() and not args.dry_run:
        print("error: writing is turned off (STANCES_READ_ONLY=1); nothing was written", file=sys.stderr)
        return EXIT_USAGE
    try:
        file = FileContext(path, read_for_append(path, on_wait=tell))
        why = None if args.dry_run else write_refusal(path)  # before any prompt: it could not be written
    except AppendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: {path}: cannot read ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_USAGE
    if why is not None:
        print(f"error: {why}; nothing was written (--dry-run shows what would be added)", file=sys.stderr)
        return EXIT_USAGE
    missing = [name for name in REQUIRED if getattr(args, name) is None]
    asked = False
    if missing:
        if not interactive():
            flags = ", ".join(f"--{name.replace('_', '-')}" for name in missing)
            print(f"error: missing {flags} (run in a terminal without them to be asked)", file=sys.stderr)
            return EXIT_USAGE
        syntax = [p for p in file.dataset.problems if p.type == "yaml-syntax"]
        if syntax:  # refused before any prompt: the answers could not be written
            print(f"error: {syntax_refusal(syntax[0])}", file=sys.stderr)
            return EXIT_USAGE
        ask_missing(args, file.dataset, missing)
        asked = True
    labels = None if isinstance(parse_stance(args.stance), int | None) else file.dataset.scale.labels
    records = records_from_args(args, labels)
    context = (args.context or "").strip()
    if context and (why := evidence.context_problem(args.quote or "", context)):
        print(f"error: {why}; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        plan = plan_append(file.data, records, label=path)
    except AppendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:  # text that cannot be written, e.g. a lone surrogate
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    note = None
    if plan.problems:
        plan = dataclasses.replace(plan, problems=tuple(advise(plan.problems, records, file.dataset)))
        note = file_problems_note(file.dataset, plan.problems, path)
    code = finish(plan, path, dry_run=args.dry_run, confirm=asked and not args.yes, note=note)
    if code != EXIT_OK or not context:
        return code
    return archive_context(file, records, context, dry_run=args.dry_run)


def advise(problems: Sequence[Problem], records: Mapping[str, Mapping[str, Any]], old: Dataset) -> list[Problem]:
    """The plan's problems, each hint about a value typed here made specific: the id meant, by its
    id or its name (``GER`` -> ``DEU (Germany)``), and how to add a new one; the number of a stance
    label (the loader's own hints say the rest, the ISO form of a date included). ``old`` is the
    file before the append."""
    names = {
        "actor": old.actor_names(),
        "issue": old.issue_titles(),
        "source": {s.id: s.publisher for s in old.sources},
    }
    names["actors"] = names["actor"]
    names["translation_source"] = names["source"]
    broken = bool(old.errors)  # the id may be in the part of the file with problems: say that instead
    advised = []
    for problem in problems:
        match = _NEW_FIELD.match(problem.loc)
        section, field, item = match.groups() if match else ("", "", None)
        value = records.get(section, {}).get(field)
        if item is not None and isinstance(value, list) and int(item) < len(value):
            value = value[int(item)]
        if problem.type == "unknown-reference" and broken:
            problem = dataclasses.replace(problem, hint="the file has problems of its own, named in the note below")
        elif problem.type == "unknown-reference" and field in names and isinstance(value, str):
            guess = did_you_mean(value, names[field], names[field])
            adding = _how_to_add(field)
            hint = " ".join(filter(None, (guess, adding))) if guess else "; ".join(filter(None, (problem.hint, adding)))
            problem = dataclasses.replace(problem, hint=hint)
        elif problem.type == "wrong-type" and field == "stance" and isinstance(value, str):
            problem = dataclasses.replace(problem, hint=stance_hint(value, old.scale.labels))
        advised.append(problem)
    return advised


def _how_to_add(field: str) -> str:
    """How this command adds the record a field refers to: ``or add it with --new-actor-name NAME``."""
    flag = ADDING_FLAG.get(field)
    return f"or add it with {flag}" if flag else ""


def archive_context(file: FileContext, records: dict[str, Any], context: str, *, dry_run: bool) -> int:
    """Keep the quote's paragraph in the source's evidence archive, after the position was added."""
    if dry_run:
        folder = evidence.archive_dir(file.path)
        print(f"the context paragraph would go to {folder / (records['positions'].get('source', '') + '.txt')}")
        return EXIT_OK
    try:
        written = evidence.archive_added_context(file.path, records, context, file.dataset)
    except evidence.WriteRefused as exc:
        print(f"error: the position was added, but its context was not archived: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(written.describe())
    return EXIT_OK


def finish(plan: Plan, path: str, *, dry_run: bool, confirm: bool, note: str | None = None) -> int:
    """Show the new lines and their problems (and ``note``, on the file's own); write when valid
    (and confirmed, if asked)."""
    for block in plan.blocks:
        print(f"# under {block.section}:")
        print(block.text.replace("\r\n", "\n"), end="")
    for change in plan.changed:
        print(f"note: line {change.line} changes from '{change.before.strip()}' to '{change.after.strip()}'")
    for problem in plan.problems:
        print(problem.format())
    if note:
        print(f"note: {note}")
    if not plan.valid:
        print(f"{path}: {plural(len(plan.errors), 'error')} in the new record; nothing was written")
        return EXIT_PROBLEMS
    if dry_run:
        print(f"{path}: valid; nothing was written (--dry-run)")
        return EXIT_OK
    if confirm and ask(f"Append to {path}? [y/N] ").strip().lower() not in ("y", "yes"):
        print("nothing was written")
        return EXIT_USAGE
    try:
        write_plan(plan, path, on_wait=tell)  # refuses if the file changed since it was read (while prompting, say)
    except AppendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(plan.describe())
    print("The dashboard shows it on its next rerun (reload the page).")
    return EXIT_OK


# --- interactive prompts -------------------------------------------------------------------


def interactive() -> bool:
    """True when both stdin and stdout are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask(prompt: str) -> str:
    """One line from the user (EOF counts as empty)."""
    try:
        return input(prompt)
    except EOFError:
        return ""


def ask_missing(args: argparse.Namespace, dataset: Dataset, missing: list[str]) -> None:
    """Fill the missing fields of ``args`` from prompts, offering the file's ids."""
    known: dict[str, dict[str, str]] = {
        "actor": dataset.actor_names(),
        "issue": dataset.issue_titles(),
        "source": {s.id: s.publisher for s in dataset.sources},
    }
    prompts: dict[str, Callable[[], str]] = {
        "stance": lambda: f"stance ({dataset.scale.describe()}; null = declined to state): ",
        "date": lambda: "date (YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source): ",
        "voice": lambda: "voice (" + "; ".join(f"{k} = {v}" for k, v in VOICE_MEANINGS.items()) + "): ",
        "quote": lambda: "quote, as published, on one line: ",
    }
    for name in missing:
        if name in known:
            listed = ", ".join(f"{k} ({v})" for k, v in sorted(known[name].items())) or "none yet"
            print(f"known {name}s: {listed}")
        if name == "actor":
            print("for a joint statement, give every signatory's id, separated by commas (RUS, CHN)")
        value = ask(prompts.get(name, lambda n=name: f"{n}: ")())
        setattr(args, name, value)
        unknown = [v for v in actor_ids(value) if v not in known[name]] if name in known else []
        if unknown:
            prefix = next(p for p, (_, ref, _) in NEW.items() if ref == name)
            answer = ask(f"'{unknown[-1]}' is not in the file; add it as a new {name}? [y/N] ")
            if answer.strip().lower() in ("y", "yes"):
                ask_new(args, prefix)
        if name == "quote" and args.language is None:
            args.language = ask("language of the quote (ISO 639-1, Enter for en): ") or None
            if args.language and args.language.strip() != "en" and args.translation is None:
                args.translation = ask("a published translation (Enter if none): ") or None
                if args.translation and args.translation_source is None:
                    args.translation_source = ask("source id of that translation: ") or None
    if args.note is None:
        args.note = ask("note on the coding (Enter for none): ") or None


def ask_new(args: argparse.Namespace, prefix: str) -> None:
    """Prompt for the fields of a new actor, issue or source."""
    section, _, fields = NEW[prefix]
    hints = {"kind": "country or bloc", "date": "YYYY, YYYY-MM or YYYY-MM-DD", "url": "http(s), exactly as found"}
    for field in fields:
        if getattr(args, f"{prefix}_{field}") is None and field != "members":
            hint = f" ({hints[field]})" if field in hints else ""
            setattr(args, f"{prefix}_{field}", ask(f"new {section.removesuffix('s')} {field}{hint}: ") or None)
