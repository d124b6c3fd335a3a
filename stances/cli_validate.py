"""``python -m stances validate``: every problem of a positions file, one per line, then a summary.

Exit codes: 0 valid (warnings allowed), 1 errors in the data, 2 usage or an unreadable file.
``--format json`` prints the same problems as one JSON report. Imports only the loader: this runs
on every commit (the pre-commit hook), so it must start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from stances import settings
from stances.load import DatasetFileError, load_dataset
from stances.problems import summary
from stances.terminal import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, terminal_safe
from stances.wording import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The path and ``--format``."""
    parser.add_argument("path", nargs="?", help="positions file (default: $POSITIONS_FILE, then positions.yaml)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    """Print every problem of the file, one per line, then a summary."""
    path = args.path or settings.positions_file()
    started = time.perf_counter()
    try:
        dataset = load_dataset(path, compact=False)  # read once: no need to keep it small
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
        counts = ", ".join(plural(len(records), noun) for noun, records in kept.items()) + " valid"
        print(terminal_safe(f"{summary(dataset.problems, path)} ({counts}; {elapsed:.2f} s)", one_line=True))
    return EXIT_PROBLEMS if errors else EXIT_OK
