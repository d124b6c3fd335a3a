"""Hints for YAML syntax errors in the user's terms, read from the lines around the error, on both
parse paths (the fast one and the reference), with the line of the slip."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stances import syntaxhints
from stances.load import parse_dataset

RECORD = (Path(__file__).parents[1] / "data" / "problems" / "wrong-type-quoted-stance.yaml").read_text(encoding="utf-8")
STANCE_LINE = 15  # '    stance: "1"' in that file


def only_problem(text: str, fast: bool) -> tuple[int | None, str]:
    [problem] = parse_dataset(text, fast=fast).problems
    assert problem.type == "yaml-syntax"
    return problem.line, problem.hint


@pytest.mark.parametrize("fast", [True, False])
def test_a_key_with_no_space_after_its_colon_is_named_at_its_own_line(fast: bool) -> None:
    text = RECORD.replace('    stance: "1"', "    stance:1")
    assert only_problem(text, fast) == (STANCE_LINE, "a key needs a space after its colon: write 'stance: 1'")


@pytest.mark.parametrize("fast", [True, False])
def test_a_record_key_with_no_space_after_its_colon(fast: bool) -> None:
    # "- actor:RUS" is a list item of plain text; YAML stops at the deeper "issue: bmd" below it
    text = RECORD.replace("  - actor: RUS\n    issue: bmd", "  - actor:RUS\n    issue: bmd")
    assert only_problem(text, fast)[1] == "a key needs a space after its colon: write 'actor: RUS'"


@pytest.mark.parametrize("fast", [True, False])
def test_a_key_indented_deeper_than_the_one_above(fast: bool) -> None:
    text = RECORD.replace('    stance: "1"', "      stance: 1")
    line, hint = only_problem(text, fast)
    assert line == STANCE_LINE
    assert hint.startswith("'stance:' is indented 6 spaces, deeper than 'issue:' above it (4)")


def test_a_blank_line_between_the_keys_is_looked_past() -> None:
    text = RECORD.replace('    stance: "1"', "\n      stance: 1")
    assert "deeper than 'issue:' above it (4)" in only_problem(text, True)[1]


def test_text_holding_a_colon_keeps_the_quote_hint() -> None:
    text = RECORD.replace("role: Deputy Foreign Minister", "role: Deputy: Foreign Minister")
    assert only_problem(text, True)[1] == "text containing ': ' must be put in double quotes"


def test_a_long_value_is_cut_in_the_hint() -> None:
    text = RECORD.replace("    quote: We feel no euphoria.", "    quote:" + "x" * 500)
    hint = only_problem(text, True)[1]
    assert hint == f"a key needs a space after its colon: write 'quote: {'x' * 40}'"


def test_without_the_text_the_message_alone_decides() -> None:
    try:
        yaml.load("a: 1\n  b: 2\n", Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        assert syntaxhints.hint(message, None, exc) == "text containing ': ' must be put in double quotes"
        # a text that the mark does not index into (another piece of the file) is not read either
        assert syntaxhints.hint(message, "x", exc) == syntaxhints.by_message(message)
    else:
        raise AssertionError("the YAML above must not parse")
