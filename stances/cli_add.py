"""``python -m stances add``: append one position (and, if needed, its new actor, issue or source).

Every field has a flag. Run in a terminal without the required flags, the command asks for the
missing ones, listing the ids already in the file. The records are checked, shown, then added as
new lines at the end of their lists (see stances.append: nothing else in the file changes).
Exit codes: 0 written (or a valid ``--dry-run``), 1 invalid record, 2 usage, I/O, read-only mode
or a file that changed meanwhile.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from stances import evidence
from stances.append import AppendError, Plan, clean_records, plan_append, read_for_append, write_plan
from stances.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, PARSER_EXTENSIONS, command, default_path, read_only
from stances.load import parse_dataset
from stances.model import Dataset

REQUIRED = ("actor", "issue", "stance", "date", "speaker", "role", "voice", "quote", "source")
VOICE_HELP = {
    "official": "speaks for a government or bloc (minister, spokesperson, head of state)",
    "expert": "an analyst or former official speaking for themselves",
    "reported": "the source's paraphrase, not the speaker's own words",
}
NEW = {  # flag prefix -> (section, the position field holding its id, fields)
    "new_actor": ("actors", "actor", ("name", "kind", "members")),
    "new_issue": ("issues", "issue", ("title", "question", "description")),
    "new_source": ("sources", "source", ("publisher", "title", "date", "url", "author", "note")),
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``add`` and its flags."""
    parser = sub.add_parser(
        "add",
        help="append one position to the positions file",
        description="Append one position (and a new actor, issue or source it needs) to the positions file. "
        "Only new lines are added; run in a terminal without flags to be asked for each field.",
    )
    parser.add_argument("--file", help="positions file (default: $POSITIONS_FILE, then positions.yaml)")
    parser.add_argument("--dry-run", action="store_true", help="show what would be added; write nothing")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask before writing (interactive mode)")
    position = parser.add_argument_group("the position")
    position.add_argument(
        "--actor",
        action="append",
        help="actor id, e.g. RUS (ISO 3166-1 alpha-3 for a country); repeat it for a joint statement "
        "(--actor RUS --actor CHN): each signatory holds the stance",
    )
    position.add_argument("--issue", help="issue id, e.g. us-nato-bmd-europe")
    position.add_argument("--stance", help="on the scale, e.g. -2..2; 'null' if the speaker declined to state one")
    position.add_argument("--date", help="when it was said: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source")
    position.add_argument("--speaker", help="who said it")
    position.add_argument("--role", help="the speaker's office or affiliation at the time")
    position.add_argument("--voice", help="official, expert or reported")
    position.add_argument("--quote", help="the words as published (in their own language); ... marks an omission")
    position.add_argument("--language", help="ISO 639-1 code of the quote's language (default en)")
    position.add_argument("--translation", help="a published translation of the quote (never your own)")
    position.add_argument("--translation-source", help="source id of that translation")
    position.add_argument("--source", help="source id")
    position.add_argument("--note", help="coding rationale")
    position.add_argument(
        "--context",
        help="the source's paragraph that holds the quote, copied as published: kept in evidence/<source>.txt "
        "beside the file (created or appended) so that `verify` can check the quote",
    )
    actor = parser.add_argument_group("a new actor (its id is --actor; the last one for a joint statement)")
    actor.add_argument("--new-actor-name", help="name shown in charts; adds the actor")
    actor.add_argument("--new-actor-kind", help="country (default) or bloc")
    actor.add_argument("--new-actor-members", help="for a bloc: member ids separated by commas")
    issue = parser.add_argument_group("a new issue (its id is --issue)")
    issue.add_argument("--new-issue-title", help="short title; adds the issue")
    issue.add_argument("--new-issue-question", help="the proposition a stance of 2 strongly supports")
    issue.add_argument("--new-issue-description", help="neutral background")
    source = parser.add_argument_group("a new source (its id is --source)")
    source.add_argument("--new-source-publisher", help="who published it; adds the source")
    source.add_argument("--new-source-title", help="title as published")
    source.add_argument("--new-source-date", help="publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    source.add_argument("--new-source-url", help="http(s) address, exactly as found")
    source.add_argument("--new-source-author", help="author, where the page names one")
    source.add_argument("--new-source-note", help="anything a reader should know about the source")


PARSER_EXTENSIONS.append(add_parser)


def parse_stance(text: str | None) -> Any:
    """An integer, None for ``null``, or the text itself (validation then says what is wrong)."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped.lower() in ("null", "none", "~"):
        return None
    try:
        return int(stripped)
    except ValueError:
        return stripped


def records_from_args(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """The records the flags describe (a new actor/issue/source only when one of its flags is set)."""
    position = {name: getattr(args, name) for name in REQUIRED}
    signatories = actor_ids(args.actor)
    position["actor"] = signatories[0] if len(signatories) == 1 else None
    if len(signatories) > 1:
        position["actors"] = signatories
    position["stance"] = parse_stance(args.stance)
    for name in ("language", "translation", "translation_source", "note"):
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


@command("add")
def add_command(args: argparse.Namespace) -> int:
    """Append the position the flags (or the prompts) describe."""
    path = args.file or default_path()
    if read_only() and not args.dry_run:
        print("error: writing is turned off (STANCES_READ_ONLY=1); nothing was written", file=sys.stderr)
        return EXIT_USAGE
    try:
        data = read_for_append(path)
    except AppendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    missing = [name for name in REQUIRED if getattr(args, name) is None]
    asked = False
    if missing:
        if not interactive():
            flags = ", ".join(f"--{name.replace('_', '-')}" for name in missing)
            print(f"error: missing {flags} (run in a terminal without them to be asked)", file=sys.stderr)
            return EXIT_USAGE
        ask_missing(args, parse_dataset(data, label=path), missing)
        asked = True
    records = records_from_args(args)
    context = (args.context or "").strip()
    if context and (why := evidence.context_problem(args.quote or "", context)):
        print(f"error: {why}; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        plan = plan_append(data, records, label=path)
    except AppendError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:  # text that cannot be written, e.g. a lone surrogate
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    code = finish(plan, path, dry_run=args.dry_run, confirm=asked and not args.yes)
    if code != EXIT_OK or not context:
        return code
    return archive_context(path, data, records, context, dry_run=args.dry_run)


def archive_context(path: str, data: bytes, records: dict[str, Any], context: str, *, dry_run: bool) -> int:
    """Keep the quote's paragraph in the source's evidence archive, after the position was added."""
    if dry_run:
        folder = evidence.archive_dir(path)
        print(f"the context paragraph would go to {folder / (records['positions'].get('source', '') + '.txt')}")
        return EXIT_OK
    try:
        written = evidence.archive_added_context(path, records, context, parse_dataset(data, label=path))
    except evidence.WriteRefused as exc:
        print(f"error: the position was added, but its context was not archived: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(written.describe())
    return EXIT_OK


def finish(plan: Plan, path: str, *, dry_run: bool, confirm: bool) -> int:
    """Show the new lines and their problems; write when valid (and confirmed, if asked)."""
    for block in plan.blocks:
        print(f"# under {block.section}:")
        print(block.text.replace("\r\n", "\n"), end="")
    for change in plan.changed:
        print(f"note: line {change.line} changes from '{change.before.strip()}' to '{change.after.strip()}'")
    for problem in plan.problems:
        print(problem.format())
    if not plan.valid:
        print(f"{path}: {len(plan.errors)} error(s) in the new record; nothing was written")
        return EXIT_PROBLEMS
    if dry_run:
        print(f"{path}: valid; nothing was written (--dry-run)")
        return EXIT_OK
    if confirm and ask(f"Append to {path}? [y/N] ").strip().lower() not in ("y", "yes"):
        print("nothing was written")
        return EXIT_USAGE
    try:
        write_plan(plan, path)  # refuses if the file changed since it was read (while prompting, say)
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
        "voice": lambda: "voice (" + "; ".join(f"{k} = {v}" for k, v in VOICE_HELP.items()) + "): ",
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
