"""``python -m stances generate``: a synthetic positions file for benchmarks (see stances.generate).

It writes a new file; an existing one (a hand-edited dataset, say) is replaced only with
``--force``, and never under ``STANCES_READ_ONLY=1``. The file is written atomically (a temporary
file beside it, then a rename), so a reader never sees half of it and an interrupted run leaves
the old file as it was.

Exit codes: 0 written, 2 a count out of range, a file that exists, or a path that cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from stances import settings
from stances.atomicfile import replace_file
from stances.generate import generate
from stances.terminal import EXIT_OK, EXIT_USAGE
from stances.wording import plural


class Refused(Exception):
    """Writing was refused; the message says why and what to do (nothing was written)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--positions``, ``--seed``, ``--out`` and ``--force``."""
    parser.add_argument("--positions", type=int, required=True, help="number of positions (1 to 1,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same bytes")
    parser.add_argument("--out", required=True, help="file to write (a new one, unless --force)")
    parser.add_argument(
        "--force", action="store_true", help="replace --out if it exists (never under STANCES_READ_ONLY=1)"
    )


def refusal(out: str, force: bool) -> str | None:
    """Why ``out`` may not be written now, or None when it may."""
    if os.path.isdir(out):
        return f"{out} is a folder; nothing was written. Name a file to write."
    if not os.path.lexists(out):
        return None
    if settings.read_only():
        return (
            f"{out} exists and writing over files is turned off (STANCES_READ_ONLY=1); nothing was written. "
            "Name a new file."
        )
    if not force:
        return f"{out} exists; nothing was written. Pass --force to replace it, or name a new file."
    return None


def write(out: str, data: bytes, force: bool) -> None:
    """Write ``data`` to ``out`` atomically; raises Refused or OSError (nothing written then)."""
    why = refusal(out, force)
    if why is not None:
        raise Refused(why)
    target = Path(os.path.realpath(out))  # a link stays a link: its target gets the new content

    def still_allowed() -> None:  # just before the rename: a file may have appeared meanwhile
        why = refusal(out, force)
        if why is not None:
            raise Refused(why)

    mode = 0o666 & ~current_umask()
    if force and target.is_file():
        mode = target.stat().st_mode & 0o7777
    replace_file(target, data, mode=mode, check=still_allowed)


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back: a command line has one thread)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def run(args: argparse.Namespace) -> int:
    """Write the dataset; exit 2 on a bad count, a file in the way or an unwritable path."""
    if not 1 <= args.positions <= 1_000_000:
        print("error: --positions must be between 1 and 1,000,000", file=sys.stderr)
        return EXIT_USAGE
    why = refusal(args.out, args.force)  # before generating: a million positions take a while
    if why is not None:
        print(f"error: {why}", file=sys.stderr)
        return EXIT_USAGE
    data = generate(args.positions, args.seed).encode("utf-8")
    try:
        write(args.out, data, args.force)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a missing or read-only folder (atomicfile.NoTempFile), a full disk
        print(f"error: cannot write {args.out}: {exc.strerror or exc}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {args.out}: {plural(args.positions, 'position')}, {len(data) / 1e6:.1f} MB")
    return EXIT_OK
