"""python -m stances generate: deterministic, realistic, valid by construction."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from stances.cli import main
from stances.countries import COUNTRIES, check_country_ids
from stances.generate import generate
from stances.load import load_dataset, parse_dataset
from stances.model import VOICES

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def writable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes allowed unless a test turns read-only on (the environment running the tests may have it)."""
    monkeypatch.delenv("STANCES_READ_ONLY", raising=False)


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    assert generate(300, 5) == generate(300, 5)
    assert generate(300, 5) != generate(300, 6)


def test_output_is_valid_with_every_voice_null_stances_and_partial_dates() -> None:
    dataset = parse_dataset(generate(300, 3), label="gen.yaml", today=TODAY, fast=False)
    assert dataset.problems == []
    assert len(dataset.positions) == 300
    assert {p.voice for p in dataset.positions} == set(VOICES)
    assert any(p.stance is None for p in dataset.positions)
    assert {p.date.count("-") for p in dataset.positions} == {0, 1, 2}  # YYYY, YYYY-MM, YYYY-MM-DD
    assert any(a.kind == "bloc" and a.members for a in dataset.actors)


def test_quotes_in_several_scripts() -> None:
    quotes = " ".join(p.quote for p in parse_dataset(generate(300, 3), today=TODAY).positions)
    for script in (r"[éèàç]", r"[\u0400-\u04ff]", r"[\u4e00-\u9fff]", r"[\u0600-\u06ff]", r"[\uac00-\ud7af]"):
        assert re.search(script, quotes), script


def test_full_size_shape() -> None:
    dataset = parse_dataset(generate(2500, 1), today=TODAY)
    assert dataset.problems == []
    assert (len(dataset.actors), len(dataset.issues), len(dataset.sources)) == (200, 40, 500)


def test_countries_come_from_the_country_table() -> None:
    dataset = parse_dataset(generate(2500, 1), label="gen.yaml", today=TODAY)
    members = {country.code: country.name for country in COUNTRIES if country.un_member}
    countries = [a for a in dataset.actors if a.kind == "country"]
    assert len(countries) == 192  # 200 actors, 8 of them blocs, out of 193 member states
    assert all(members.get(a.id) == a.name for a in countries)
    assert check_country_ids(dataset.actors, "gen.yaml") == []


def test_the_major_powers_are_always_among_the_actors() -> None:
    for positions, seed in ((30, 1), (400, 3), (2500, 1)):
        ids = {a.id for a in parse_dataset(generate(positions, seed), today=TODAY).actors}
        assert {"CHN", "FRA", "GBR", "RUS", "USA"} <= ids, (positions, seed)
    small = {a.id for a in parse_dataset(generate(5, 1), today=TODAY).actors if a.kind == "country"}
    assert small == {"CHN", "FRA", "GBR"}  # as many as fit


def test_documented_key_order() -> None:
    text = generate(50, 2)
    first = text[text.index("positions:") :].split("\n  - ")[1]
    keys = [line.split(":")[0].strip("- ") for line in first.splitlines()]
    assert keys[:8] == ["actor", "issue", "stance", "date", "speaker", "role", "voice", "quote"]


def test_cli_writes_the_file(tmp_path: Path, capsys) -> None:
    out = tmp_path / "gen.yaml"
    assert main(["generate", "--positions", "40", "--seed", "9", "--out", str(out)]) == 0, capsys.readouterr()
    assert out.read_text(encoding="utf-8") == generate(40, 9)
    assert load_dataset(out, today=TODAY, cache=False).problems == []


def test_cli_refuses_bad_count_and_unwritable_path(tmp_path: Path, capsys) -> None:
    assert main(["generate", "--positions", "0", "--out", str(tmp_path / "x.yaml")]) == 2
    assert main(["generate", "--positions", "5", "--out", str(tmp_path / "missing" / "x.yaml")]) == 2
    assert "error:" in capsys.readouterr().err


def test_cli_refuses_an_existing_file_without_force(tmp_path: Path, capsys) -> None:
    out = tmp_path / "positions.yaml"
    out.write_text("# hand-edited\n", encoding="utf-8")
    code = main(["generate", "--positions", "5", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err == f"error: {out} exists; nothing was written. Pass --force to replace it, or name a new file.\n"
    assert out.read_text(encoding="utf-8") == "# hand-edited\n"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
    assert main(["generate", "--positions", "5", "--seed", "3", "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == generate(5, 3)


def test_cli_refuses_a_folder_even_with_force(tmp_path: Path, capsys) -> None:
    code = main(["generate", "--positions", "5", "--out", str(tmp_path), "--force"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err == f"error: {tmp_path} is a folder; nothing was written. Name a file to write.\n"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_read_only_refuses_to_replace_a_dataset(tmp_path: Path, capsys, monkeypatch, force: list[str]) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    out = tmp_path / "positions.yaml"
    out.write_text("# hand-edited\n", encoding="utf-8")
    code = main(["generate", "--positions", "5", "--out", str(out), *force])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err == (
        f"error: {out} exists and writing over files is turned off (STANCES_READ_ONLY=1); nothing was written. "
        "Name a new file.\n"
    )
    assert out.read_text(encoding="utf-8") == "# hand-edited\n"


def test_read_only_still_writes_a_new_file(tmp_path: Path, monkeypatch) -> None:
    # read-only protects what exists; a new synthetic file replaces nothing
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    out = tmp_path / "new.yaml"
    assert main(["generate", "--positions", "5", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == generate(5, 0)


def test_cli_with_force_replaces_a_linked_files_target(tmp_path: Path) -> None:
    # as add does: the link stays a link, its target gets the new content
    target = tmp_path / "real.yaml"
    target.write_text("# old\n", encoding="utf-8")
    link = tmp_path / "positions.yaml"
    link.symlink_to(target)
    assert main(["generate", "--positions", "5", "--out", str(link)]) == 2
    assert target.read_text(encoding="utf-8") == "# old\n"
    assert main(["generate", "--positions", "5", "--out", str(link), "--force"]) == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8") == generate(5, 0)
