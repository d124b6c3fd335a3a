"""Command line: ``python -m stances validate|schema|...``.

Exit codes: 0 success (the file is valid), 1 problems in the data, 2 usage or unreadable file.
No traceback ever reaches the user: unexpected failures are reported in one line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence

from stances.load import DatasetFileError, load_dataset
from stances.problems import summary
from stances.schema import schema_json

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {}


def default_path() -> str:
    """``$POSITIONS_FILE`` if set, else ``positions.yaml``: the same rule as the dashboard."""
    return os.environ.get("POSITIONS_FILE") or "positions.yaml"


def read_only() -> bool:
    """True when ``STANCES_READ_ONLY=1`` (or true/yes): every write is refused."""
    return os.environ.get("STANCES_READ_ONLY", "").strip().lower() in ("1", "true", "yes", "on")


# Control characters (C0, DEL, C1) and bidirectional overrides: text from a data file printed raw
# could move the cursor, retitle the terminal (ESC sequences) or reorder what the reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control and bidi-override characters as ``\\u001b`` escapes (valid in JSON too).

    ``one_line`` also escapes line breaks and tabs, so one problem stays one line.
    """
    if one_line:
        text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def command(name: str) -> Callable[[Command], Command]:
    """Register a sub-command handler."""

    def register(handler: Command) -> Command:
        COMMANDS[name] = handler
        return handler

    return register


@command("validate")
def validate_command(args: argparse.Namespace) -> int:
    """Print every problem of the file, one per line, then a summary."""
    path = args.path or default_path()
    started = time.perf_counter()
    try:
        dataset = load_dataset(path)
    except DatasetFileError as exc:
        print(terminal_safe(f"error: {exc}", one_line=True), file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.perf_counter() - started
    errors = len(dataset.errors)
    if args.format == "json":
        report = {
            "path": path,
            "valid": errors == 0,
            "errors": errors,
            "warnings": len(dataset.warnings),
            "counts": {
                "actors": len(dataset.actors),
                "issues": len(dataset.issues),
                "sources": len(dataset.sources),
                "positions": len(dataset.positions),
            },
            "problems": [p.to_dict() for p in dataset.problems],
        }
        print(terminal_safe(json.dumps(report, indent=2, ensure_ascii=False)))
    else:
        for problem in dataset.problems:
            print(terminal_safe(problem.format(), one_line=True))
        kept = {
            "actor": dataset.actors,
            "issue": dataset.issues,
            "source": dataset.sources,
            "position": dataset.positions,
        }
        counts = ", ".join(f"{len(v)} {k}{'' if len(v) == 1 else 's'}" for k, v in kept.items()) + " valid"
        print(terminal_safe(f"{summary(dataset.problems, path)} ({counts}; {elapsed:.2f} s)", one_line=True))
    return EXIT_PROBLEMS if errors else EXIT_OK


@command("schema")
def schema_command(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the positions file."""
    print(schema_json(), end="")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m stances", description="Missile-defence positions dataset tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = sub.add_parser("validate", help="check a positions file and list every problem")
    validate.add_argument("path", nargs="?", help="positions file (default: $POSITIONS_FILE, then positions.yaml)")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    sub.add_parser("schema", help="print the JSON Schema of the positions file")
    for extend in PARSER_EXTENSIONS:
        extend(sub)
    return parser


# Other modules (export, generate, add) register their sub-parsers here.
PARSER_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: no traceback for users
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return EXIT_USAGE


# Sub-commands defined in their own modules register themselves when imported.
from stances import cli_add, cli_export, cli_verify, generate  # noqa: E402, F401  (register: add, export, verify, generate)
