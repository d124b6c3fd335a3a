"""``python -m stances generate``: a synthetic positions file for benchmarks (see stances.generate).

Exit codes: 0 written, 2 a count out of range or a path that cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stances.generate import generate
from stances.terminal import EXIT_OK, EXIT_USAGE
from stances.wording import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--positions``, ``--seed`` and ``--out``."""
    parser.add_argument("--positions", type=int, required=True, help="number of positions (1 to 1,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same bytes")
    parser.add_argument("--out", required=True, help="file to write")


def run(args: argparse.Namespace) -> int:
    """Write the dataset; exit 2 on a bad count or an unwritable path."""
    if not 1 <= args.positions <= 1_000_000:
        print("error: --positions must be between 1 and 1,000,000", file=sys.stderr)
        return EXIT_USAGE
    text = generate(args.positions, args.seed)
    try:
        Path(args.out).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {args.out}: {plural(args.positions, 'position')}, {len(text.encode('utf-8')) / 1e6:.1f} MB")
    return EXIT_OK
