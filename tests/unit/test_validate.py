"""Cross-record checks: duplicate ids, unknown references, future dates, ties."""

from __future__ import annotations

import datetime as dt

import pytest

from stances.load import parse_dataset
from stances.model import Position
from stances.validate import MAX_LISTED_IDS, find_ties, known_ids_hint

TODAY = dt.date(2024, 6, 1)

HEAD = """\
actors:
  - id: RUS
    name: Russia
  - id: CHN
    name: China
issues:
  - id: bmd
    title: Missile defence
    question: Missile defence should go ahead.
sources:
  - id: src
    publisher: Example
positions:
"""


def position(**overrides: object) -> str:
    """One position record as YAML, indented for the ``positions:`` list."""
    fields: dict[str, object] = {
        "actor": "RUS",
        "issue": "bmd",
        "stance": -2,
        "date": "2013-03",
        "speaker": "Sergei Ryabkov",
        "role": "Deputy Foreign Minister",
        "voice": "official",
        "quote": "We feel no euphoria.",
        "source": "src",
    }
    fields.update(overrides)
    lines = [f"{key}: {'null' if value is None else value}" for key, value in fields.items()]
    return "  - " + "\n    ".join(lines) + "\n"


def make(*positions: str, head: str = HEAD):
    return parse_dataset(head + "".join(positions), label="t.yaml", today=TODAY)


def problems(dataset) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.type, p.loc) for p in dataset.problems]


# --- known_ids_hint ---------------------------------------------------------------------------------


def test_hint_prefers_a_case_insensitive_match() -> None:
    assert known_ids_hint("chn", ["RUS", "CHN"], "actor") == "did you mean 'CHN'? known actor ids: CHN, RUS"


def test_hint_without_a_close_match_lists_the_ids() -> None:
    assert known_ids_hint("zzz", ["b", "a"], "issue") == "known issue ids: a, b"


def test_hint_when_nothing_is_defined_says_where_to_add_it() -> None:
    assert known_ids_hint("RUS", [], "actor") == "no actor is defined yet: add one under 'actors:' first"


def test_hint_shortens_a_long_list() -> None:
    known = [f"id{n:02d}" for n in range(MAX_LISTED_IDS + 5)]
    hint = known_ids_hint("zzz", known, "source")
    assert hint.endswith(f"id{MAX_LISTED_IDS - 1:02d} and 5 more")
    assert f"id{MAX_LISTED_IDS:02d}" not in hint


# --- references -------------------------------------------------------------------------------------


def test_valid_positions_have_no_problems() -> None:
    dataset = make(position(), position(actor="CHN", stance=1, date="2013-04"))
    assert dataset.problems == []
    assert len(dataset.positions) == 2


def test_unknown_actor_drops_only_that_position() -> None:
    dataset = make(position(), position(actor="RUSS", date="2013-04"))
    assert problems(dataset) == [(23, "unknown-reference", "positions[1].actor")]
    assert [p.date for p in dataset.positions] == ["2013-03"]


def test_unknown_translation_source() -> None:
    dataset = make(position(translation="Translated.", translation_source="nowhere"))
    assert problems(dataset) == [(24, "unknown-reference", "positions[0].translation_source")]
    assert dataset.problems[0].hint == "known source ids: src"


def test_every_reference_of_one_position_is_reported() -> None:
    dataset = make(position(actor="XXX", issue="yyy", source="zzz"))
    assert [p.loc for p in dataset.problems] == ["positions[0].actor", "positions[0].issue", "positions[0].source"]


def test_malformed_reference_is_reported_once_as_invalid_id() -> None:
    dataset = make(position(actor='"R US"'))
    assert problems(dataset) == [(14, "invalid-id", "positions[0].actor")]
    head = HEAD.replace("    name: China\n", '    name: China\n    kind: bloc\n    members: [RUS, "a b"]\n')
    assert problems(make(position(), head=head)) == [(7, "invalid-id", "actors[1].members[1]")]


def test_members_may_name_actors_defined_later() -> None:
    head = HEAD.replace(
        "actors:\n", "actors:\n  - id: BRICS\n    name: BRICS\n    kind: bloc\n    members: [RUS, CHN]\n"
    )
    dataset = make(position(), head=head)
    assert dataset.problems == []
    assert [a.id for a in dataset.actors] == ["BRICS", "RUS", "CHN"]
    assert dataset.actors[0].members == ["RUS", "CHN"]


def test_ids_are_unique_per_section_only() -> None:
    head = HEAD.replace("  - id: src\n", "  - id: RUS\n    publisher: Russian MFA\n  - id: src\n")
    dataset = make(position(), head=head)
    assert dataset.problems == []


def test_duplicate_id_in_issues() -> None:
    head = HEAD.replace("sources:\n", "  - id: bmd\n    title: Again\n    question: Again?\nsources:\n")
    dataset = make(position(), head=head)
    assert problems(dataset) == [(10, "duplicate-id", "issues[1].id")]
    assert [i.title for i in dataset.issues] == ["Missile defence"]
    assert len(dataset.positions) == 1  # the position still finds the first 'bmd'


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "future"),
    [
        ("2024", False),
        ("2024-06", False),
        ("2024-06-01", False),
        ("2024-06-02", True),
        ("2024-07", True),
        ("2025", True),
    ],
)
def test_future_dates_compare_by_their_first_day(date: str, future: bool) -> None:
    dataset = make(position(date=date))
    assert [p.type for p in dataset.problems] == (["future-date"] if future else [])
    assert len(dataset.positions) == (0 if future else 1)


def test_invalid_date_is_not_also_a_future_date() -> None:
    dataset = make(position(date="2999-02-30"))
    assert [p.type for p in dataset.problems] == ["invalid-date"]


# --- ties -------------------------------------------------------------------------------------------


def test_tie_needs_same_actor_issue_date_and_voice_with_different_stances() -> None:
    same_stance = make(position(), position(speaker="Sergei Lavrov"))
    other_voice = make(position(), position(stance=0, voice="expert"))
    other_date = make(position(), position(stance=0, date="2013-03-05"))
    assert same_stance.problems == other_voice.problems == other_date.problems == []


def test_tie_between_three_positions_is_one_warning() -> None:
    dataset = make(position(), position(stance=0), position(stance=1))
    [tie] = dataset.problems
    assert (tie.type, tie.severity, tie.line) == ("tie", "warning", 32)
    assert "RUS has 3 official positions on 'bmd' dated 2013-03" in tie.message
    assert "(lines 14, 23 and 32)" in tie.message


def test_find_ties_on_records_not_from_a_file() -> None:
    base = {
        "actor": "RUS",
        "issue": "bmd",
        "date": "2013",
        "speaker": "s",
        "role": "r",
        "voice": "official",
        "quote": "q",
        "source": "src",
    }
    a = Position.model_validate({**base, "stance": 1})
    b = Position.model_validate({**base, "stance": None})
    [tie] = find_ties([a, b], "memory")
    assert (tie.path, tie.type) == ("memory", "tie")
    assert find_ties([a], "memory") == []
