"""Hints: did-you-mean over options or ids and names, the ISO form of a date, stances by label."""

from __future__ import annotations

import pytest

from stances.hints import (
    DATE_FORMS,
    MAX_GUESS_CHARS,
    closest,
    date_hint,
    did_you_mean,
    propose_date,
    stance_from_label,
    stance_hint,
)
from stances.model import DEFAULT_SCALE

ACTORS = {"DEU": "Germany", "GEO": "Georgia", "RUS": "Russia", "USA": "United States", "GBR": "United Kingdom"}


# --- did you mean ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("speeker", "did you mean 'speaker'?"),
        ("Speaker", "did you mean 'speaker'?"),
        ("rol", "did you mean 'role'?"),
        ("xyz", "allowed here: speaker, role, voice"),
    ],
)
def test_plain_options_keep_the_loaders_wording(word: str, expected: str) -> None:
    assert did_you_mean(word, ["speaker", "role", "voice"]) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("GER", "DEU"),  # a name's beginning beats GEO, the closer spelling of the id
        ("Germany", "DEU"),
        ("germany", "DEU"),
        ("Germny", "DEU"),
        ("deu", "DEU"),
        ("RUSS", "RUS"),
        ("Untied States", "USA"),
        ("United", None),  # States or Kingdom: no guess
        ("XYZ", None),
        ("", None),
    ],
)
def test_an_id_is_found_by_its_id_or_its_name(word: str, expected: str | None) -> None:
    assert closest(word, ACTORS, ACTORS) == expected


def test_with_names_the_answer_names_the_record() -> None:
    assert did_you_mean("GER", ACTORS, ACTORS) == "did you mean DEU (Germany)?"
    assert did_you_mean("RUSS", ["RUS"], {}) == "did you mean RUS?"
    assert did_you_mean("XYZ", ACTORS, ACTORS) == ""  # the caller says what to do instead


def test_without_names_a_name_does_not_count() -> None:
    assert closest("Germany", ACTORS) is None
    assert closest("deu", ACTORS) == "DEU"  # case aside, as the loader always did


def test_nothing_to_choose_from_gives_no_guess() -> None:
    assert closest("GER", []) is None
    assert did_you_mean("GER", [], {}) == ""


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-7-8", "2016-07-08"),
        ("2016/07/08", "2016-07-08"),
        ("2016.7.8", "2016-07-08"),
        ("2016-7", "2016-07"),
        ("20160708", "2016-07-08"),
        ("2016-07-08T10:30:00Z", "2016-07-08"),
        ("2016-07-08 10:30", "2016-07-08"),
        ("8 July 2016", "2016-07-08"),
        ("8th July 2016", "2016-07-08"),
        ("July 8, 2016", "2016-07-08"),
        ("July 8th, 2016", "2016-07-08"),
        ("Sept. 3, 2014", "2014-09-03"),
        ("3 sep 2014", "2014-09-03"),
        ("2016 July 8", "2016-07-08"),
        ("July 2016", "2016-07"),
        ("Jul 2016", "2016-07"),
        ("7/2016", "2016-07"),
        ("13/7/2016", "2016-07-13"),  # 13 cannot be a month
        ("7/13/2016", "2016-07-13"),
        ("7/7/2016", "2016-07-07"),  # both readings agree
    ],
)
def test_an_unambiguous_date_gets_its_iso_form(text: str, expected: str) -> None:
    assert propose_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "7/8/2016",  # July 8 or August 7
        "08.07.2016",
        "2016-07-08",  # already ISO: nothing to propose
        "2016",
        "2013-02-30",  # no such day
        "2013-13",
        "32 July 2016",
        "8 Juli 2016",  # not an English month
        "8/7/16",  # a two-digit year
        "soon",
        "",
    ],
)
def test_an_ambiguous_or_impossible_date_gets_no_proposal(text: str) -> None:
    assert propose_date(text) is None


def test_the_date_hint_says_the_forms_once_and_proposes() -> None:
    assert date_hint("2016-7-8") == (
        "write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source; did you mean 2016-07-08?"
    )
    assert date_hint("7/8/2016") == DATE_FORMS
    assert date_hint("2016-7-8").count("YYYY-MM-DD") == 1


# --- stances -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("supports", 1),
        ("Supports", 1),
        ("strongly  OPPOSES", -2),
        (" ambiguous or conditional ", 0),
        ("support", None),
        ("strongly", None),
        ("1", None),
    ],
)
def test_a_stance_is_read_from_its_label(text: str, expected: int | None) -> None:
    assert stance_from_label(text, DEFAULT_SCALE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("support", "use a number from -2 to 2 (supports = 1)"),
        ("oppose", "use a number from -2 to 2 (opposes = -1)"),
        ("strongly", "use a number from -2 to 2 (strongly opposes = -2, strongly supports = 2)"),
        ("ambiguous", "use a number from -2 to 2 (ambiguous or conditional = 0)"),
        (
            "1.5",
            "use a number from -2 to 2 (strongly opposes = -2, opposes = -1, ambiguous or conditional = 0, "
            "supports = 1, strongly supports = 2), or null if the speaker declined to state one",
        ),
    ],
)
def test_a_stance_that_is_no_label_names_the_labels_it_resembles(text: str, expected: str) -> None:
    assert stance_hint(text, DEFAULT_SCALE) == expected


def test_the_stance_hint_follows_the_files_scale() -> None:
    scale = {-1: "against", 0: "unclear", 1: "for"}
    assert stance_hint("agains", scale) == "use a number from -1 to 1 (against = -1)"
    assert stance_from_label("For", scale) == 1


# --- bounded: no guess from a long value (issue 18) ---------------------------------------------------


@pytest.fixture
def no_difflib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail on any difflib comparison: a 1 MB value compared with each option took 0.5 s, and
    2,000 aliases of it 123 s."""
    import difflib

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("difflib ran on a long value")

    monkeypatch.setattr(difflib, "get_close_matches", refuse)
    monkeypatch.setattr(difflib, "SequenceMatcher", refuse)


def test_no_guess_is_made_for_a_long_value(no_difflib: None) -> None:
    long = "x" * (MAX_GUESS_CHARS + 1)
    assert closest(long, ["official", "expert", "reported"]) is None
    assert closest(long, ACTORS, ACTORS) is None
    assert did_you_mean(long, ["official", "expert"]) == "allowed here: official, expert"
    assert stance_hint(long, DEFAULT_SCALE).startswith("use a number from -2 to 2 (strongly opposes = -2")
    assert propose_date("2016-7-8" + " " * MAX_GUESS_CHARS + "x") is None


def test_a_value_at_the_bound_still_gets_its_guess() -> None:
    near = "SPEAKER" + " " * (MAX_GUESS_CHARS - 7)
    assert len(near) == MAX_GUESS_CHARS
    assert closest(near, ["speaker", "role"]) == "speaker"
