"""``python -m stances verify``: every quote found in its source's evidence archive.

Prints one problem per line like ``validate``, then a summary with what was checked. Exit codes
as ``validate``: 0 every quote found (warnings allowed), 1 an error (a quote not found, an
unusable archive, a missing archive under ``--strict``, or a positions file with validation
errors), 2 usage or an unreadable file. Records with validation errors are left out and the
valid ones verified, as the dashboard shows them.
"""

from __future__ import annotations

import argparse
import json
import sys

from stances import settings
from stances.evidence import EvidenceError, Verification, archive_dir, check_evidence
from stances.load import DatasetFileError, load_dataset
from stances.problems import summary
from stances.terminal import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, terminal_safe
from stances.wording import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The path, ``--strict``, ``--format`` and ``--evidence``."""
    parser.description = (
        "Check that every quote (and published translation) is found, verbatim, in the "
        "archived text of its source: evidence/<source-id>.txt beside the positions file."
    )
    parser.add_argument("path", nargs="?", help="positions file (default: $POSITIONS_FILE, then positions.yaml)")
    parser.add_argument("--strict", action="store_true", help="a source without an archive is an error")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--evidence", metavar="DIR", help="archive folder (default: evidence/ beside the file)")


def counts_line(checked: Verification) -> str:
    """``40 quotes checked, 39 found; 2 translations checked, 2 found; 27 of 27 sources archived``."""
    parts = [f"{plural(checked.quotes_checked, 'quote')} checked, {checked.quotes_found} found"]
    if checked.translations_checked:
        parts.append(
            f"{plural(checked.translations_checked, 'translation')} checked, {checked.translations_found} found"
        )
    parts.append(f"{checked.sources_archived} of {plural(checked.sources_cited, 'source')} archived")
    return "; ".join(parts)


def run(args: argparse.Namespace) -> int:
    """Print every evidence problem, one per line, then a summary."""
    path = args.path or settings.positions_file()
    folder = args.evidence or archive_dir(path)
    try:
        dataset = load_dataset(path, compact=False)  # read once: no need to keep it small
        checked = check_evidence(dataset, folder, strict=args.strict)
    except (DatasetFileError, EvidenceError) as exc:
        print(terminal_safe(f"error: {exc}", one_line=True), file=sys.stderr)
        return EXIT_USAGE
    invalid = len(dataset.errors)
    failed = bool(checked.errors) or invalid > 0
    if args.format == "json":
        report = {
            "path": path,
            "evidence": str(folder),
            "valid": not failed,
            "errors": len(checked.errors),
            "warnings": len(checked.problems) - len(checked.errors),
            "validation_errors": invalid,
            "counts": {
                "quotes_checked": checked.quotes_checked,
                "quotes_found": checked.quotes_found,
                "translations_checked": checked.translations_checked,
                "translations_found": checked.translations_found,
                "sources_cited": checked.sources_cited,
                "sources_archived": checked.sources_archived,
            },
            "problems": [p.to_dict() for p in checked.problems],
        }
        print(terminal_safe(json.dumps(report, indent=2, ensure_ascii=False)))
        return EXIT_PROBLEMS if failed else EXIT_OK
    for problem in checked.problems:
        print(terminal_safe(problem.format(), one_line=True))
    if invalid:
        print(
            terminal_safe(
                f"{path}: the file has {plural(invalid, 'validation error')}: the records with one were not "
                f"verified (see python -m stances validate {path})",
                one_line=True,
            )
        )
    outcome = summary(checked.problems, path) if checked.problems else f"{path}: every quote found"
    print(terminal_safe(f"{outcome} ({counts_line(checked)})", one_line=True))
    return EXIT_PROBLEMS if failed else EXIT_OK
