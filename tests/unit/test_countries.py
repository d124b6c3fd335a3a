"""The country table and the warning for a country id the map cannot draw."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from stances import countries
from stances.countries import (
    COUNTRIES,
    COUNTRY_NAMES,
    ISO_ALPHA3,
    OTHER_CODES,
    OTHER_NAMES,
    check_country_ids,
    suggest_country,
)
from stances.load import load_dataset, parse_dataset
from stances.model import Actor

ROOT = Path(__file__).parents[2]
LABEL = "positions.yaml"


def actor(id_: str, name: str, kind: str = "country", line: int = 3, column: int = 5) -> Actor:
    return Actor(id=id_, name=name, kind=kind).at(line, column)


# --- the table ---------------------------------------------------------------------------------


def test_the_table_holds_every_iso_3166_1_entry_once() -> None:
    codes = [c.code for c in COUNTRIES]
    assert len(codes) == len(set(codes)) == 249
    assert codes == sorted(codes)
    assert all(re.fullmatch(r"[A-Z]{3}", c.code) and re.fullmatch(r"[A-Z]{2}", c.alpha2) for c in COUNTRIES)
    assert len({c.alpha2 for c in COUNTRIES}) == 249
    assert len({c.name for c in COUNTRIES}) == 249
    assert sum(c.un_member for c in COUNTRIES) == 193
    assert COUNTRY_NAMES["DEU"] == "Germany" and COUNTRY_NAMES["RUS"] == "Russia" and "GER" not in ISO_ALPHA3


def test_every_country_the_map_draws_is_in_the_table() -> None:
    # the Map page draws by ISO-3 id (locationmode="ISO-3") from this offline world map
    world = json.loads((ROOT / "static" / "topojson" / "world_110m.json").read_text(encoding="utf-8"))
    drawn = {g["id"] for g in world["objects"]["countries"]["geometries"] if g.get("id")}
    assert len(drawn) > 150
    assert drawn <= ISO_ALPHA3, drawn - ISO_ALPHA3


def test_other_names_and_codes_lead_to_one_country_each() -> None:
    assert set(OTHER_NAMES.values()) | set(OTHER_CODES.values()) <= ISO_ALPHA3
    # a code that is also an ISO code (alpha-3 or alpha-2) would shadow the real one
    assert not set(OTHER_CODES) & (ISO_ALPHA3 | {c.alpha2 for c in COUNTRIES})
    meanings: dict[str, set[str]] = defaultdict(set)
    for name, code in [*((c.name, c.code) for c in COUNTRIES), *OTHER_NAMES.items()]:
        meanings[countries._key(name)].add(code)
    assert {key: codes for key, codes in meanings.items() if len(codes) > 1} == {}


# --- suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("GER", "Allemagne", "DEU"),  # an Olympic code
        ("DE", "Allemagne", "DEU"),  # an alpha-2 code
        ("deu", "Allemagne", "DEU"),  # the right code in lower case
        ("GERMANY", "Allemagne", "DEU"),  # the id spelt as a name
        ("United_Kingdom", "Royaume-Uni", "GBR"),
        ("XYZ", "Germany", "DEU"),  # the name
        ("XYZ", "Russian Federation", "RUS"),  # the standard's own name
        ("XYZ", "Cote d'Ivoire", "CIV"),  # no accents
        ("XYZ", "St. Lucia", "LCA"),
        ("XYZ", "The Netherlands", "NLD"),
        ("XYZ", "Germnay", "DEU"),  # a close spelling of the name
        ("SWI", "Schweiz", "CHE"),  # the beginning of a name
        ("IRA", "Persia", None),  # Iran or Iraq: no guess
        ("EU", "European Union", None),
        ("ABC", "Somewhere", None),
    ],
)
def test_suggest_country(code: str, name: str, expected: str | None) -> None:
    assert suggest_country(code, name) == expected


def test_the_name_outweighs_the_id() -> None:
    assert suggest_country("CHI", "China") == "CHN"  # CHI is Chile's Olympic code
    assert suggest_country("CHI", "Xile") == "CHL"


def test_without_fuzzy_only_exact_matches() -> None:
    assert suggest_country("XYZ", "Germnay", fuzzy=False) is None
    assert suggest_country("XYZ", "Germany", fuzzy=False) == "DEU"


# --- the warning -------------------------------------------------------------------------------


def test_iso_codes_and_blocs_are_not_warned_about() -> None:
    actors = [
        actor("DEU", "Germany"),
        actor("NATO", "North Atlantic Treaty Organization", "bloc"),
        actor("EU", "EU", "bloc"),
    ]
    assert check_country_ids(actors, LABEL) == []


def test_a_non_iso_country_id_is_a_warning_at_its_record() -> None:
    actors = [actor("RUS", "Russia", line=3), actor("GER", "Germany", line=6, column=7)]
    [problem] = check_country_ids(actors, LABEL)
    assert (problem.type, problem.severity, problem.path) == ("unknown-country-code", "warning", LABEL)
    assert (problem.line, problem.column, problem.loc) == (6, 7, "actors[1].id")
    assert problem.message == "'GER' is not an ISO 3166-1 alpha-3 country code; the map cannot draw it"
    assert problem.hint == "did you mean DEU (Germany)?"


def test_the_index_in_the_file_is_used_when_given() -> None:
    # the records before were left out for errors of their own: the file's index still counts them
    [problem] = check_country_ids([actor("RUS", "Russia"), actor("GER", "Germany")], LABEL, indexes=[2, 5])
    assert problem.loc == "actors[5].id"


def test_without_a_guess_the_hint_says_where_to_find_codes() -> None:
    [problem] = check_country_ids([actor("XKX", "Kosovo")], LABEL)
    assert "ISO 3166-1 alpha-3 code (https://www.iso.org/obp/ui/#search)" in problem.hint
    assert "kind: bloc" in problem.hint and "did you mean" not in problem.hint


def test_a_guess_already_in_the_file_says_merge() -> None:
    problems = check_country_ids([actor("DEU", "Germany"), actor("GER", "Germany")], LABEL)
    assert [p.hint for p in problems] == [
        "did you mean DEU (Germany)? DEU is an actor of this file already: merge the two"
    ]


def test_fuzzy_guesses_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(countries, "MAX_FUZZY", 2)
    actors = [actor(f"X{n}", "Germnay") for n in range(3)] + [actor("X9", "Germany")]
    hints = [p.hint for p in check_country_ids(actors, LABEL)]
    assert hints[:2] == ["did you mean DEU (Germany)?"] * 2
    assert "did you mean" not in hints[2]  # past the budget, a close spelling is not looked for
    assert hints[3] == "did you mean DEU (Germany)?"  # an exact name still is


def test_the_place_is_the_actor_record_in_the_file() -> None:
    text = (
        "title: Countries\n"
        "actors:\n"
        "  - id: RUS\n"
        "    name: Russia\n"
        "  - name: Germany\n"
        "    id: GER\n"
        "  - id: NATO\n"
        "    name: North Atlantic Treaty Organization\n"
        "    kind: bloc\n"
    )
    dataset = parse_dataset(text, label=LABEL, fast=False)
    assert [(p.line, p.column, p.loc) for p in check_country_ids(dataset.actors, LABEL)] == [(5, 5, "actors[1].id")]


def test_the_bundled_dataset_has_iso_codes_only() -> None:
    dataset = load_dataset(ROOT / "positions.yaml", cache=False)
    assert sum(a.kind == "country" for a in dataset.actors) > 10
    assert [p.format() for p in check_country_ids(dataset.actors, "positions.yaml")] == []


def test_the_documented_examples_are_what_the_check_says() -> None:
    actors = {"RUS": "Russia", "GER": "Germany", "KOS": "Kosovo"}
    text = "title: x\nactors:\n" + "".join(f"  - id: {id_}\n    name: {name}\n" for id_, name in actors.items())
    lines = [p.format() for p in check_country_ids(parse_dataset(text, label=LABEL).actors, LABEL)]
    documented = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert all(line in documented for line in lines), lines
