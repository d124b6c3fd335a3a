"""``python -m stances schema``: the JSON Schema of the positions file on stdout (exit 0)."""

from __future__ import annotations

import argparse

from stances.schema import schema_json
from stances.terminal import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments: the schema depends on the model alone."""


def run(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the positions file."""
    print(schema_json(), end="")
    return EXIT_OK
