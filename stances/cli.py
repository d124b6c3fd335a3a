"""Command line: ``python -m stances validate|verify|schema|add|export|generate``.

Each sub-command lives in its own module, named in SUBCOMMANDS with its one-line help. The module
exposes ``add_arguments(parser)`` and ``run(args) -> int`` and is imported only when its command
runs (or ``build_parser()`` is asked for every command): ``validate`` then never loads what
``add`` or ``export`` need, and ``--help`` lists every command from this table alone. No module
imports this one back.

Exit codes (stances.terminal): 0 success (the file is valid), 1 problems in the data, 2 usage or
an unreadable file. No traceback ever reaches the user: unexpected failures are reported in one line.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

from stances.terminal import EXIT_OK, EXIT_USAGE

PROG = "python -m stances"


@dataclass(frozen=True)
class Subcommand:
    """Where a sub-command lives and how ``--help`` describes it in one line."""

    module: str  # exposes add_arguments(parser) and run(args) -> int
    help: str


SUBCOMMANDS: dict[str, Subcommand] = {
    "validate": Subcommand("stances.cli_validate", "check a positions file and list every problem"),
    "verify": Subcommand("stances.cli_verify", "find every quote in its source's evidence archive"),
    "schema": Subcommand("stances.cli_schema", "print the JSON Schema of the positions file"),
    "add": Subcommand("stances.cli_add", "append one position to the positions file"),
    "export": Subcommand("stances.cli_export", "write every chart as PNG or SVG, with an index"),
    "generate": Subcommand("stances.cli_generate", "write a synthetic dataset for benchmarks"),
}


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors name the nearest known option or command."""

    subcommands: dict[str, Parser]  # the top-level parser's, by name (set by build_parser)

    def unknown(self, extras: Sequence[str]) -> NoReturn:
        """Exit 2 with this parser's usage: ``unknown option --speeker; did you mean --speaker?``."""
        from stances.hints import closest  # only on a usage error

        options = [o for o in extras if o.startswith("-") and o != "-"]
        if not options:
            self.error(f"unexpected argument{'s' if len(extras) > 1 else ''}: {' '.join(extras)}")
        # argparse's table of this parser's option strings: the one place that lists them all
        known = [o for o in self._option_string_actions if o.startswith("--")]
        said = []
        for option in options:
            name = option.split("=", 1)[0]
            guess = closest(name, known)
            said.append(f"unknown option {name}" + (f"; did you mean {guess}?" if guess else ""))
        self.error("; ".join(said))


def build_parser(only: str | None = None) -> Parser:
    """The argument parser: every command listed with its one-line help; the arguments of ``only``
    (of every command if None, of none if ``""``), whose module is imported for them."""
    parser = Parser(prog=PROG, description="Missile-defence positions dataset tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    parser.subcommands = {}
    for name, command in SUBCOMMANDS.items():
        subparser = sub.add_parser(name, help=command.help, description=command.help[:1].upper() + command.help[1:])
        if only is None or name == only:
            importlib.import_module(command.module).add_arguments(subparser)
        parser.subcommands[name] = subparser
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The arguments of the command ``argv`` names, built for that command alone (argparse needs a
    command's arguments to parse it; the other commands' modules stay unimported). A usage error
    exits 2 with the command's usage and the nearest known option or command."""
    name = next((arg for arg in argv if not arg.startswith("-")), None)  # the first word names the command
    parser = build_parser(only=name if name in SUBCOMMANDS else "")
    if name is not None and name not in SUBCOMMANDS and not {"-h", "--help"} & set(argv[: argv.index(name)]):
        from stances.hints import closest  # only on a usage error

        guess = closest(name, SUBCOMMANDS)
        choices = f"did you mean '{guess}'?" if guess else f"choose from {', '.join(SUBCOMMANDS)}"
        parser.error(f"unknown command '{name}'; {choices}")
    args, extras = parser.parse_known_args(argv)
    if extras:
        parser.subcommands[args.command].unknown(extras)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. Without ``argv`` (``python -m stances``) this
    is the whole process, which also tells the cycle collector what it need not walk (see below)."""
    process = argv is None
    if process:
        # Importing a command's modules makes tens of thousands of objects (pydantic's schemas and
        # validators), nearly none of them garbage: the collector's passes over them are wasted.
        gc.disable()
    try:
        args = parse(list(sys.argv[1:] if argv is None else argv))
        command = importlib.import_module(SUBCOMMANDS[args.command].module)
        if process:
            gc.freeze()  # what the imports made stays out of every later pass
            gc.enable()
        return command.run(args)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: no traceback for users
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if process:
            # The process ends next. At exit the interpreter runs the cycle collector over every
            # object still alive (the imported modules, pydantic's validators), which costs a short
            # command a good part of its time (docs/performance.md). Frozen, they are freed without
            # those passes; a command's files are closed and its writes done by now.
            gc.freeze()
