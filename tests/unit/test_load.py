"""The loader: one fixture per problem type, pinned as ``(line, column, type)`` plus key wording."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from stances import load
from stances.load import DatasetFileError, load_dataset, parse_dataset
from stances.model import Dataset, Position, Source
from stances.problems import EVIDENCE_TYPES, PROBLEM_TYPES

DATA = Path(__file__).parents[1] / "data"
FIXTURES = DATA / "problems"
TODAY = dt.date(2024, 6, 1)  # fixed, so messages that mention today are deterministic

# fixture file -> every problem it must produce, in file order (nothing more, nothing less)
EXPECTED: dict[str, list[tuple[int | None, int | None, str]]] = {
    "unknown-key.yaml": [(17, 5, "unknown-key")],
    "unknown-country-code.yaml": [(5, 5, "unknown-country-code")],
    "missing-key.yaml": [(13, 5, "missing-key")],
    "duplicate-key.yaml": [(5, 5, "duplicate-key")],
    "wrong-type-bool.yaml": [(4, 11, "wrong-type")],
    "wrong-type-float-stance.yaml": [(15, 13, "wrong-type")],
    "wrong-type-quoted-stance.yaml": [(15, 13, "wrong-type")],
    "wrong-type-word-stance.yaml": [(15, 13, "wrong-type")],
    "ambiguous-number-octal.yaml": [(12, 12, "ambiguous-number")],
    "ambiguous-number-sexagesimal.yaml": [(15, 13, "ambiguous-number")],
    "invalid-value.yaml": [(5, 11, "invalid-value"), (20, 12, "invalid-value")],
    "invalid-id.yaml": [(3, 9, "invalid-id"), (6, 9, "invalid-id")],
    "invalid-date.yaml": [(12, 11, "invalid-date"), (17, 11, "invalid-date")],
    "future-date.yaml": [(12, 11, "future-date")],
    "invalid-url.yaml": [(5, 10, "invalid-url"), (8, 10, "invalid-url")],
    "empty-text.yaml": [(20, 12, "empty-text")],
    "invalid-scale.yaml": [(3, 3, "invalid-scale")],
    "out-of-range.yaml": [(15, 13, "out-of-range")],
    "duplicate-id.yaml": [(7, 9, "duplicate-id")],
    "unknown-reference.yaml": [
        (10, 25, "unknown-reference"),
        (19, 12, "unknown-reference"),
        (20, 12, "unknown-reference"),
        (27, 13, "unknown-reference"),
    ],
    "tie.yaml": [(22, 5, "tie")],
    "yaml-syntax-tab.yaml": [(4, 1, "yaml-syntax")],
    "yaml-syntax-deeper-key.yaml": [(15, 12, "yaml-syntax")],
    "yaml-syntax-unclosed-quote.yaml": [(4, 11, "yaml-syntax")],
    "multiple-documents.yaml": [(5, 1, "multiple-documents")],
    "empty-file.yaml": [(None, None, "empty-file")],
    "only-comments.yaml": [(None, None, "empty-file")],
    "not-a-mapping.yaml": [(1, 1, "not-a-mapping")],
    "unsupported-tag.yaml": [(4, 11, "unsupported-tag")],
    "too-deep.yaml": [(5, 44, "too-deep")],
    "too-many-aliases.yaml": [(6, 48, "too-many-aliases")],
}

# problem types that only bytes or a size can produce: tested below without a fixture file
# Types a small fixture cannot produce; tests/unit/test_hostile_files.py produces each of them.
BYTE_LEVEL_TYPES = {"not-utf8", "binary-file", "file-too-large", "too-many-problems"}


def flat(dataset: Dataset) -> list[tuple[int | None, int | None, str]]:
    """Every problem as ``(line, column, type)``, in the order the loader reports them."""
    return [(p.line, p.column, p.type) for p in dataset.problems]


def load_fixture(name: str) -> Dataset:
    return load_dataset(FIXTURES / name, today=TODAY)


def messages(dataset: Dataset) -> list[str]:
    return [p.format() for p in dataset.problems]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_problems_are_located_exactly(name: str) -> None:
    dataset = load_fixture(name)
    assert flat(dataset) == EXPECTED[name], "\n".join(messages(dataset))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_says_what_to_do(name: str) -> None:
    for problem in load_fixture(name).problems:
        assert problem.message and problem.hint, problem.format()
        assert problem.path == str(FIXTURES / name)


def test_every_fixture_file_is_checked() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.yaml")}
    assert on_disk == set(EXPECTED)


def test_every_problem_type_is_produced_by_some_test() -> None:
    from_fixtures = {kind for problems in EXPECTED.values() for _, _, kind in problems}
    untested = set(PROBLEM_TYPES) - from_fixtures - BYTE_LEVEL_TYPES - EVIDENCE_TYPES
    assert untested == set(), f"add a fixture under tests/data/problems/ and a line in EXPECTED for: {untested}"
    assert set(PROBLEM_TYPES) >= BYTE_LEVEL_TYPES


def test_valid_fixture_has_no_problems(valid_file: Path) -> None:
    dataset = load_dataset(valid_file, today=TODAY)
    assert dataset.problems == []
    assert (len(dataset.actors), len(dataset.issues), len(dataset.sources), len(dataset.positions)) == (2, 1, 1, 2)
    assert dataset.title == "Fixture: a small valid dataset"


# --- wording: messages and hints a user acts on ------------------------------------------------


def test_unknown_key_suggests_the_right_key() -> None:
    dataset = load_fixture("unknown-key.yaml")
    assert messages(dataset) == [
        f"{FIXTURES / 'unknown-key.yaml'}:17:5: error[unknown-key] the 1st position (positions[0].speeker): "
        "unknown key 'speeker'; did you mean 'speaker'?"
    ]
    # the misspelt key is not reported a second time as a missing 'speaker'
    assert [p.type for p in dataset.problems] == ["unknown-key"]


def test_unknown_key_far_from_any_field_lists_the_allowed_keys() -> None:
    dataset = parse_dataset("actors:\n  - id: RUS\n    name: Russia\n    population: 140\n")
    [problem] = dataset.problems
    assert (problem.type, problem.loc) == ("unknown-key", "actors[0].population")
    assert problem.hint == "allowed here: id, name, kind, members"


def test_unknown_top_level_key() -> None:
    dataset = parse_dataset("title: x\npositons: []\n")
    assert flat(dataset) == [(2, 1, "unknown-key")]
    assert dataset.problems[0].hint == "did you mean 'positions'?"


def test_missing_key_points_at_the_record_and_names_the_key() -> None:
    [problem] = load_fixture("missing-key.yaml").problems
    assert problem.loc == "positions[0].speaker"
    assert problem.message == "missing required key 'speaker'"
    assert "add 'speaker: ...'" in problem.hint


def test_duplicate_key_names_the_first_line() -> None:
    [problem] = load_fixture("duplicate-key.yaml").problems
    assert problem.message.startswith("'name' appears twice in this mapping (first at line 4)")


def test_duplicate_top_level_key_keeps_the_first() -> None:
    dataset = parse_dataset("title: First\ntitle: Second\n")
    assert flat(dataset) == [(2, 1, "duplicate-key")]
    assert dataset.title == "First"


def test_bool_in_text_field_says_put_it_in_quotes() -> None:
    [problem] = load_fixture("wrong-type-bool.yaml").problems
    assert problem.message == "expected text, but 'NO' is read by YAML as a yes/no value"
    assert problem.hint == 'put it in quotes: "NO"'


@pytest.mark.parametrize("word", ["no", "off", "on", "yes", "true", "False"])
def test_every_yaml11_bool_in_text_is_reported(word: str) -> None:
    dataset = parse_dataset(f"actors:\n  - id: NOR\n    name: {word}\n")
    assert flat(dataset) == [(3, 11, "wrong-type")]
    assert dataset.problems[0].hint == f'put it in quotes: "{word}"'


def test_float_stance_says_write_an_integer() -> None:
    [problem] = load_fixture("wrong-type-float-stance.yaml").problems
    assert (problem.message, problem.hint) == ("expected a whole number, found 1.0", "write an integer: 1")


def test_quoted_stance_says_write_an_integer_without_quotes() -> None:
    [problem] = load_fixture("wrong-type-quoted-stance.yaml").problems
    assert problem.message == 'expected a whole number, found the text "1"'
    assert problem.hint == "write an integer without quotes: 1"


def test_a_stance_written_as_its_label_names_the_number() -> None:
    """'stance: supports' is what the codebook calls it: say which number that is."""
    [problem] = load_fixture("wrong-type-word-stance.yaml").problems
    assert problem.message == "expected a whole number, but YAML reads supports as text"
    assert problem.hint == "use a number from -2 to 2 (supports = 1)"


def test_octal_looking_number_in_text_says_put_it_in_quotes() -> None:
    [problem] = load_fixture("ambiguous-number-octal.yaml").problems
    assert problem.message == "'012' is read by YAML 1.1 as the number 10"
    assert 'put it in quotes if it is text: "012"' in problem.hint
    assert "write a plain integer" in problem.hint


def test_sexagesimal_stance_is_ambiguous() -> None:
    [problem] = load_fixture("ambiguous-number-sexagesimal.yaml").problems
    assert problem.loc == "positions[0].stance"
    assert problem.message == "'1:20' is read by YAML 1.1 as the number 80"


def test_invalid_value_suggests_the_choice() -> None:
    kind, voice = load_fixture("invalid-value.yaml").problems
    assert (kind.loc, kind.message, kind.hint) == (
        "actors[0].kind",
        "'contry' is not one of: country, bloc",
        "did you mean 'country'?",
    )
    assert (voice.loc, voice.message, voice.hint) == (
        "positions[0].voice",
        "'offical' is not one of: official, expert, reported",
        "did you mean 'official'?",
    )


def test_invalid_dates_say_why() -> None:
    month, day = load_fixture("invalid-date.yaml").problems
    assert month.message == "'2013-13' has no month 13: months run 01 to 12"
    assert day.message == "'2013-02-30' is not a day of the calendar"
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in day.hint


def test_future_date_names_today() -> None:
    [problem] = load_fixture("future-date.yaml").problems
    assert problem.message == "2999-01 is after today (2024-06-01)"


def test_future_date_depends_on_today() -> None:
    dataset = load_dataset(FIXTURES / "future-date.yaml", today=dt.date(3000, 1, 1))
    assert dataset.problems == []
    assert [s.date for s in dataset.sources] == ["2999-01"]


def test_invalid_url_refuses_other_schemes() -> None:
    javascript, ftp = load_fixture("invalid-url.yaml").problems
    assert (javascript.loc, ftp.loc) == ("sources[0].url", "sources[1].url")
    assert javascript.message == "only http:// and https:// links are allowed"
    assert load_fixture("invalid-url.yaml").sources == []


def test_url_with_a_space_is_invalid() -> None:
    dataset = parse_dataset("sources:\n  - id: s\n    publisher: p\n    url: https://example.org/a b\n")
    assert flat(dataset) == [(4, 10, "invalid-url")]


def test_out_of_range_hint_lists_the_scale() -> None:
    [problem] = load_fixture("out-of-range.yaml").problems
    assert problem.message == "5 is not on the scale -2..2"
    assert problem.hint.startswith("use one of: -2 = strongly opposes, -1 = opposes, 0 = ambiguous or conditional")
    assert "or null if the speaker declined to state a position" in problem.hint


def test_out_of_range_follows_a_custom_scale() -> None:
    scale = "scale:\n  -1: against\n  0: neutral\n  1: for\n"
    dataset = parse_dataset(scale + (FIXTURES / "out-of-range.yaml").read_text().replace("stance: 5", "stance: 2"))
    [problem] = dataset.problems
    assert problem.type == "out-of-range"
    assert problem.message == "2 is not on the scale -1..1"
    assert "-1 = against, 0 = neutral, 1 = for" in problem.hint


def test_invalid_scale_names_what_it_found() -> None:
    dataset = load_fixture("invalid-scale.yaml")
    assert "found -2, 0, 2" in dataset.problems[0].message
    assert dataset.scale.labels == {-2: "strongly opposes", -1: "opposes", 0: "ambiguous or conditional"} | {
        1: "supports",
        2: "strongly supports",
    }


def test_duplicate_id_names_the_first_line_and_keeps_the_first() -> None:
    dataset = load_fixture("duplicate-id.yaml")
    assert dataset.problems[0].message == "the id 'RUS' is already used at line 3"
    assert [(a.id, a.name) for a in dataset.actors] == [("RUS", "Russia"), ("CHN", "China")]


def test_unknown_references_list_the_known_ids() -> None:
    members, actor, issue, source = load_fixture("unknown-reference.yaml").problems
    assert (members.loc, members.message) == ("actors[2].members[2]", "unknown actor 'KAZ' among the members")
    assert members.hint == "known actor ids: CHN, RUS, SCO"
    assert (actor.message, actor.hint) == (
        "unknown actor 'rus'",
        "did you mean RUS (Russia)? known actor ids: CHN, RUS, SCO",
    )
    assert (issue.message, issue.hint) == ("unknown issue 'bmd-europe'", "known issue ids: bmd")
    assert (source.message, source.hint) == (
        "unknown source 'scr'",
        "did you mean src (Example)? known source ids: src",
    )


def test_reference_to_an_invalid_record_is_not_an_unknown_reference() -> None:
    # the actor's own record is broken (reported once); positions naming it are not "unknown"
    text = (FIXTURES / "unknown-key.yaml").read_text().replace("speeker", "speaker").replace("name: Russia", "name: no")
    dataset = parse_dataset(text)
    assert flat(dataset) == [(4, 11, "wrong-type")]
    assert [p.actor for p in dataset.positions] == ["RUS"]


def test_tie_is_a_warning_and_keeps_both_positions() -> None:
    dataset = load_fixture("tie.yaml")
    [problem] = dataset.problems
    assert problem.severity == "warning"
    assert dataset.errors == []
    assert "(lines 13 and 22); the one later in the file wins" in problem.message
    assert [p.stance for p in dataset.positions] == [-2, 0]


def test_a_key_indented_deeper_than_the_one_above_says_so() -> None:
    """YAML reads ' stance: 1' as more of the issue's text and stops at its ': ': the usual hint
    (put text holding ': ' in quotes) would send the user the wrong way."""
    [problem] = load_fixture("yaml-syntax-deeper-key.yaml").problems
    assert problem.hint.startswith(
        "'stance:' is indented 5 spaces, deeper than 'issue:' above it (4): the keys of one record line up"
    )


def test_text_holding_a_colon_still_says_put_it_in_quotes(tmp_path: Path) -> None:
    text = (FIXTURES / "yaml-syntax-deeper-key.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "colon.yaml"
    broken.write_text(text.replace("     stance: 1", "    stance: 1").replace("role: Deputy", "role: Deputy: "))
    [problem] = load_dataset(broken, today=TODAY).problems
    assert problem.hint == "text containing ': ' must be put in double quotes"


def test_tab_hint_says_use_spaces() -> None:
    [problem] = load_fixture("yaml-syntax-tab.yaml").problems
    assert problem.hint == "YAML indents with spaces, not tabs: replace the tab with spaces"


def test_unclosed_quote_points_at_the_opening_quote() -> None:
    [problem] = load_fixture("yaml-syntax-unclosed-quote.yaml").problems
    assert "a quote is not closed" in problem.hint


def test_multiple_documents_keeps_the_first() -> None:
    dataset = load_fixture("multiple-documents.yaml")
    assert dataset.title == "Multiple documents"
    assert [a.id for a in dataset.actors] == ["RUS"]
    assert "remove the '---' line" in dataset.problems[0].hint


def test_unsupported_tag_is_refused_without_running_it() -> None:
    dataset = load_fixture("unsupported-tag.yaml")
    [problem] = dataset.problems
    assert problem.message == "the tag '!!python/object/apply:os.system' is not allowed"
    assert dataset.actors == []


def test_merge_key_is_refused() -> None:
    dataset = parse_dataset("actors:\n  - &r {id: RUS, name: Russia}\n  - <<: *r\n    id: CHN\n")
    # the merged fields are not read, so the record also lacks its name
    assert flat(dataset) == [(3, 5, "unsupported-tag"), (3, 5, "missing-key")]
    assert [a.id for a in dataset.actors] == ["RUS"]


def test_plain_aliases_are_read() -> None:
    # (RU2 a bloc: as a country its id would draw an unknown-country-code warning)
    dataset = parse_dataset("actors:\n  - {id: RUS, name: &n Russia}\n  - {id: RU2, name: *n, kind: bloc}\n")
    assert dataset.problems == []
    assert [a.name for a in dataset.actors] == ["Russia", "Russia"]


def test_billion_laughs_is_stopped() -> None:
    dataset = load_fixture("too-many-aliases.yaml")
    assert "expand into more than 10,000 values" in dataset.problems[0].message
    assert dataset.actors == []


def test_nesting_too_deep_for_the_parser_is_refused_before_parsing() -> None:
    dataset = parse_dataset("title: x\nactors: " + "[" * 5000 + "]" * 5000 + "\n")
    assert flat(dataset) == [(2, None, "too-deep")]
    assert "more than 1000 levels" in dataset.problems[0].message


def test_deep_block_nesting_is_refused() -> None:
    text = "title: x\nactors:\n" + "".join(" " * i + "- \n" for i in range(1200))
    assert [p.type for p in parse_dataset(text).problems] == ["too-deep"]


def test_control_character_is_located() -> None:
    dataset = parse_dataset("title: été\nactors: ab\x07c\n")
    assert flat(dataset) == [(2, 11, "yaml-syntax")]
    assert dataset.problems[0].message == "the character U+0007 is not allowed in YAML text"


def test_complex_key_is_a_problem_not_a_crash() -> None:
    dataset = parse_dataset("title: x\n? [a, b]\n: c\n")
    assert flat(dataset) == [(2, 3, "wrong-type")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actors: RUS\n", [(1, 9, "wrong-type")]),
        ("actors:\n  - RUS\n", [(2, 5, "not-a-mapping")]),
        ("title: [a]\n", [(1, 8, "wrong-type")]),
        ('title: " "\n', [(1, 8, "empty-text")]),
        ("actors:\n  - {}\n", [(2, 5, "missing-key"), (2, 5, "missing-key")]),
        ("sources:\n  - id: s\n    publisher: p\n    date: 2013-04-05T10:00:00Z\n", [(4, 11, "invalid-date")]),
        ("sources:\n  - id: s\n    publisher: p\n    date: no\n", [(4, 11, "invalid-date")]),
        ("actors:\n  - id: B\n    name: B\n    members: RUS\n", [(4, 14, "wrong-type")]),
        ("42\n", [(1, 1, "not-a-mapping")]),
    ],
)
def test_structural_mistakes(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert flat(parse_dataset(text)) == expected


def test_plain_leading_zero_stance_is_not_called_quoted() -> None:
    text = (FIXTURES / "out-of-range.yaml").read_text().replace("stance: 5", "stance: 08")
    [problem] = parse_dataset(text).problems
    assert (problem.type, problem.message) == ("wrong-type", "expected a whole number, but YAML reads 08 as text")


# --- bytes and sizes: written from the test ------------------------------------------------------


def test_latin1_bytes_are_not_utf8_with_their_position() -> None:
    dataset = parse_dataset("title: x\nactors:\n  - id: FRA\n    name: Françe\n".encode("latin-1"))
    assert flat(dataset) == [(4, 15, "not-utf8")]  # the ç
    assert dataset.problems[0].message == "byte 0xE7 is not UTF-8 (the file may be Latin-1 or Windows-1252)"
    assert "save the file as UTF-8" in dataset.problems[0].hint


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("title: x\n".encode("utf-16"), "the file is UTF-16 encoded"),
        ("title: x\n".encode("utf-16-le"), "the file looks UTF-16 encoded"),
        ("title: x\n".encode("utf-32"), "the file is UTF-32 encoded"),
    ],
)
def test_utf16_and_utf32_are_not_utf8(raw: bytes, message: str) -> None:
    dataset = parse_dataset(raw)
    assert flat(dataset) == [(None, None, "not-utf8")]
    assert dataset.problems[0].message == message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    dataset = load_dataset(path)
    assert flat(dataset) == [(3, None, "binary-file")]
    assert dataset.problems[0].path == str(path)


def test_utf8_bom_is_accepted(valid_file: Path) -> None:
    with_bom = parse_dataset(codecs.BOM_UTF8 + valid_file.read_bytes())
    assert with_bom.problems == []
    assert with_bom.positions == load_dataset(valid_file).positions
    assert with_bom.positions[0].line == 20  # the BOM does not shift positions


def test_file_too_large(monkeypatch: pytest.MonkeyPatch, valid_file: Path) -> None:
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 100)
    dataset = load_dataset(valid_file)
    assert flat(dataset) == [(None, None, "file-too-large")]
    assert dataset.positions == []
    from_text = parse_dataset(valid_file.read_bytes())
    assert flat(from_text) == [(None, None, "file-too-large")]
    assert (
        dataset.problems[0].hint
        == from_text.problems[0].hint
        == "split the dataset or check that this is the right file"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused_without_reading_it() -> None:
    # /dev/zero reports a size of 0 and never ends: only regular files are read
    with pytest.raises(DatasetFileError, match="is a device, not a regular file"):
        load_dataset("/dev/zero")


def test_missing_file_raises_dataset_file_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetFileError, match="no such file"):
        load_dataset(tmp_path / "absent.yaml")


def test_folder_raises_dataset_file_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetFileError, match="is a folder"):
        load_dataset(tmp_path)


def test_str_and_bytes_give_the_same_dataset(valid_file: Path) -> None:
    from_text = parse_dataset(valid_file.read_text(encoding="utf-8"), label="x")
    from_bytes = parse_dataset(valid_file.read_bytes(), label="x")
    assert from_text.positions == from_bytes.positions
    assert from_text.content_hash == from_bytes.content_hash != ""


# --- what is kept ----------------------------------------------------------------------------------


def test_errors_in_one_record_never_hide_the_others(data_dir: Path) -> None:
    dataset = load_dataset(data_dir / "five-mistakes.yaml", today=TODAY)
    assert [p.type for p in dataset.problems] == [
        "wrong-type",
        "invalid-date",
        "out-of-range",
        "unknown-key",
        "unknown-reference",
    ]
    assert [a.id for a in dataset.actors] == ["RUS", "CHN"]
    assert [s.id for s in dataset.sources] == ["orf"]
    assert [(p.actor, p.date) for p in dataset.positions] == [("RUS", "2013-03"), ("CHN", "2013-07")]


def test_every_mistake_of_one_record_is_reported() -> None:
    text = (FIXTURES / "invalid-value.yaml").read_text().replace("actor: RUS", "actor: RUSS")
    dataset = parse_dataset(text)
    assert [(p.loc, p.type) for p in dataset.problems] == [
        ("actors[0].kind", "invalid-value"),
        ("positions[0].actor", "unknown-reference"),
        ("positions[0].voice", "invalid-value"),
    ]


def test_records_know_their_line_and_column(valid_file: Path) -> None:
    dataset = load_dataset(valid_file)
    assert [(a.line, a.column) for a in dataset.actors] == [(4, 5), (7, 5)]
    assert [(p.line, p.column) for p in dataset.positions] == [(20, 5), (29, 5)]


def test_dates_stay_text_as_written(valid_file: Path) -> None:
    dataset = load_dataset(valid_file)
    assert dataset.sources[0].date == "2013-04-05"
    assert [p.date for p in dataset.positions] == ["2013-03", "2013"]  # the bare year arrives as an int
    assert all(isinstance(p.date, str) for p in dataset.positions)


def test_urls_are_kept_exactly_as_written(valid_file: Path) -> None:
    assert load_dataset(valid_file).sources[0].url == "https://example.org/Page?id=7&lang=en#Part"
    odd = "HTTPS://Example.org/a/../b?q=%20x&q=2#Frag"
    dataset = parse_dataset(f"sources:\n  - id: s\n    publisher: p\n    url: {odd}\n")
    assert dataset.sources[0].url == odd


def test_null_stance_means_declined_to_state(valid_file: Path) -> None:
    dataset = load_dataset(valid_file)
    assert [p.stance for p in dataset.positions] == [-2, None]
    assert dataset.scale.label(None) == "declined to state"


def test_model_accepts_a_datetime_date() -> None:
    source = Source.model_validate({"id": "s", "publisher": "p", "date": dt.date(2013, 4, 5)})
    assert source.date == "2013-04-05"
    position = Position.model_validate(
        {
            "actor": "RUS",
            "issue": "bmd",
            "stance": 1,
            "date": dt.date(2013, 3, 1),
            "speaker": "s",
            "role": "r",
            "voice": "official",
            "quote": "q",
            "source": "s",
        }
    )
    assert position.date == "2013-03-01"


def test_problems_are_in_file_order(data_dir: Path) -> None:
    lines = [p.line for p in load_dataset(data_dir / "five-mistakes.yaml").problems]
    assert lines == sorted(lines)
    assert lines == [7, 17, 33, 44, 49]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("name", ["five-mistakes", "generated"])
def test_a_dataset_read_once_equals_the_compact_one(fast: bool, name: str) -> None:
    # compact=False (a command's one-shot check) keeps pydantic's records: same values, same places
    from stances.generate import generate

    data = generate(1200, seed=2).encode() if name == "generated" else (DATA / f"{name}.yaml").read_bytes()
    compact = parse_dataset(data, label="x.yaml", fast=fast)
    loose = parse_dataset(data, label="x.yaml", fast=fast, compact=False)
    assert loose.positions and loose.positions == compact.positions
    assert [(p.line, p.column) for p in loose.positions] == [(p.line, p.column) for p in compact.positions]
    assert (loose.actors, loose.issues, loose.sources) == (compact.actors, compact.issues, compact.sources)
    assert loose.problems == compact.problems
