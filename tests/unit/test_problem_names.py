"""A problem names its record as a person counts it, ``the 38th position (positions[37])``; JSON keeps ``loc``."""

from __future__ import annotations

import pytest

from stances.problems import Problem, ordinal


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (38, "38th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (1002, "1002nd"),
    ],
)
def test_ordinals(number: int, expected: str) -> None:
    assert ordinal(number) == expected


@pytest.mark.parametrize(
    ("loc", "record", "named"),
    [
        ("positions[37]", "the 38th position", "the 38th position (positions[37])"),
        ("positions[0].speeker", "the 1st position", "the 1st position (positions[0].speeker)"),
        ("actors[1].name", "the 2nd actor", "the 2nd actor (actors[1].name)"),
        ("issues[2].id", "the 3rd issue", "the 3rd issue (issues[2].id)"),
        ("sources[10]", "the 11th source", "the 11th source (sources[10])"),
        ("actors[0].members[0][0]", "the 1st actor", "the 1st actor (actors[0].members[0][0])"),
        ("scale", "", "scale"),
        ("title", "", "title"),
        ("positions (line 12)", "", "positions (line 12)"),
        ("", "", ""),
    ],
)
def test_a_record_is_named_from_its_loc(loc: str, record: str, named: str) -> None:
    problem = Problem("unknown-key", "m", loc=loc)
    assert (problem.record, problem.named_loc) == (record, named)


def test_the_printed_line_names_the_record_and_json_keeps_the_loc() -> None:
    problem = Problem(
        "unknown-key", "unknown key 'speeker'", "positions.yaml", 42, 9, "positions[37].speeker", "did you mean?"
    )
    assert problem.format() == (
        "positions.yaml:42:9: error[unknown-key] the 38th position (positions[37].speeker): "
        "unknown key 'speeker'; did you mean?"
    )
    assert problem.to_dict()["loc"] == "positions[37].speeker"
    assert Problem("invalid-scale", "m", "p.yaml", 3, loc="scale").format() == "p.yaml:3: error[invalid-scale] scale: m"
    assert Problem("empty-file", "m", "p.yaml").format() == "p.yaml: error[empty-file] m"
