"""The bundled dataset: loads cleanly, every quote and URL is in the held source texts, actor ids
are real country codes or declared blocs, and it is large enough for the Overview heatmap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stances.countries import ISO_ALPHA3
from stances.load import load_dataset
from stances.model import Dataset, Source
from stances.quotes import find_quote, normalise

ROOT = Path(__file__).parents[2]
DATASET = ROOT / "positions.yaml"
MIN_ACTORS, MIN_ISSUES = 14, 5


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(DATASET)


def sources_dir() -> Path:
    """The held source texts: $STANCES_SOURCES_DIR, else shared/sources next to the checkout."""
    configured = os.environ.get("STANCES_SOURCES_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "sources"


@pytest.fixture(scope="module")
def source_texts() -> dict[str, str]:
    """File name (relative to the sources folder) -> text of every held *.txt file."""
    folder = sources_dir()
    if not folder.is_dir():
        pytest.skip(f"source texts not found at {folder} (set STANCES_SOURCES_DIR to check quotes)")
    texts = {str(path.relative_to(folder)): path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.txt"))}
    if not texts:
        pytest.skip(f"no source texts (*.txt) in {folder}")
    return texts


def files_of(source: Source, texts: dict[str, str]) -> list[str]:
    """The held files that hold ``source``: by its URL where it has one, else by its title."""
    key = source.url or source.title
    assert key, f"source {source.id} has neither url nor title: cannot tell which file holds it"
    return [name for name, text in texts.items() if normalise(key) in normalise(text)]


def test_dataset_loads_without_errors_or_warnings(dataset: Dataset) -> None:
    assert [p.format() for p in dataset.problems] == []
    assert dataset.positions


def test_every_source_maps_to_exactly_one_held_file(dataset: Dataset, source_texts: dict[str, str]) -> None:
    unmapped = {s.id: files_of(s, source_texts) for s in dataset.sources}
    assert {sid: files for sid, files in unmapped.items() if len(files) != 1} == {}


def test_every_quote_is_verbatim_in_its_source_file(dataset: Dataset, source_texts: dict[str, str]) -> None:
    sources = dataset.sources_by_id()
    checked, missing = 0, []
    for position in dataset.positions:
        files = files_of(sources[position.source], source_texts)
        checked += 1
        if not any(find_quote(position.quote, source_texts[name]) for name in files):
            missing.append(f"line {position.line}: {position.actor}/{position.issue} not in {files}")
    assert missing == []
    assert checked == len(dataset.positions) > 0


def test_translations_are_verbatim_too(dataset: Dataset, source_texts: dict[str, str]) -> None:
    sources = dataset.sources_by_id()
    for position in dataset.positions:
        if position.translation is None:
            continue
        assert position.translation_source, f"line {position.line}: a translation needs its source"
        files = files_of(sources[position.translation_source], source_texts)
        assert any(find_quote(position.translation, source_texts[name]) for name in files), position.line


def test_every_url_appears_in_a_held_file(dataset: Dataset, source_texts: dict[str, str]) -> None:
    urls = [s.url for s in dataset.sources if s.url]
    assert urls, "the dataset should cite its sources by URL"
    corpus = "\n".join(source_texts.values())
    assert [url for url in urls if url not in corpus] == []


def test_actor_ids_are_iso_alpha3_or_declared_blocs(dataset: Dataset) -> None:
    actors = {a.id: a for a in dataset.actors}
    wrong = []
    for actor_id in sorted({p.actor for p in dataset.positions}):
        actor = actors.get(actor_id)
        if actor is None:
            wrong.append(f"{actor_id}: not declared")
        elif actor.kind == "country" and actor_id not in ISO_ALPHA3:
            wrong.append(f"{actor_id}: not an ISO 3166-1 alpha-3 code")
        elif actor.kind == "bloc" and not actor.members:
            wrong.append(f"{actor_id}: a bloc without members")
    assert wrong == []


def test_bloc_members_are_countries_of_the_dataset(dataset: Dataset) -> None:
    countries = {a.id for a in dataset.actors if a.kind == "country"}
    for bloc in (a for a in dataset.actors if a.kind == "bloc"):
        assert set(bloc.members or []) <= countries, bloc.id


def test_enough_actors_and_issues_for_the_overview(dataset: Dataset) -> None:
    official = [p for p in dataset.positions if p.voice == "official"]
    # The Overview compares official voices by default: count those.
    assert len({p.actor for p in official}) >= MIN_ACTORS
    assert len({p.issue for p in official}) >= MIN_ISSUES
    assert len({p.actor for p in dataset.positions}) >= MIN_ACTORS
    assert len({p.issue for p in dataset.positions}) >= MIN_ISSUES


def test_putin_xi_declaration_is_one_position_per_signatory(dataset: Dataset) -> None:
    joint = [p for p in dataset.positions if "without limit strengthening antimissile" in p.quote]
    assert sorted(p.actor for p in joint) == ["CHN", "RUS"]
    rus, chn = sorted(joint, key=lambda p: p.actor, reverse=True)
    assert (rus.quote, rus.source, rus.date, rus.issue) == (chn.quote, chn.source, chn.date, chn.issue)


def test_every_issue_and_actor_is_used(dataset: Dataset) -> None:
    assert {i.id for i in dataset.issues} == {p.issue for p in dataset.positions}
    assert {a.id for a in dataset.actors} == {p.actor for p in dataset.positions}
    assert {s.id for s in dataset.sources} == {p.source for p in dataset.positions}


def test_non_english_quotes_say_so(dataset: Dataset) -> None:
    french = [p for p in dataset.positions if p.actor == "FRA"]
    assert french and all(p.language == "fr" and p.translation is None for p in french)
