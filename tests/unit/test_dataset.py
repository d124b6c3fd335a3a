"""The bundled dataset: loads cleanly, every quote and URL is in the held source texts, actor ids
are real country codes or declared blocs, and it is large enough for the Overview heatmap."""

from __future__ import annotations

import itertools
import os
from collections import defaultdict
from pathlib import Path

import pytest

from stances.countries import ISO_ALPHA3
from stances.evidence import archive_dir, archive_path, check_evidence, read_archive
from stances.load import load_dataset
from stances.model import Dataset, Source
from stances.quotes import find_quote, normalise

ROOT = Path(__file__).parents[2]
DATASET = ROOT / "positions.yaml"
MIN_ACTORS, MIN_ISSUES, MIN_POSITIONS = 28, 12, 110


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


# Ties the sources explain: two statements dated to the same month, the later one listed later.
EXPLAINED_TIES = {("RUS", "golden-dome", "2025-05")}


def test_dataset_loads_without_errors_or_warnings_but_explained_ties(dataset: Dataset) -> None:
    assert dataset.errors == [] and dataset.positions
    ties = {(p.line, p.message.split(" ")[0]) for p in dataset.warnings if p.type == "tie"}
    assert [p.format() for p in dataset.warnings if p.type != "tie"] == []
    found = set()
    for line, actor in ties:
        [later] = [p for p in dataset.positions if p.line == line]
        assert "a tie" in (later.note or ""), f"line {line}: the note says why the later record wins"
        found.add((actor, later.issue, later.date))
    assert found == EXPLAINED_TIES


def held_in_shared(source: Source) -> bool:
    """True for a source archived from ../shared/sources; False for one archived from a stored
    public page (its evidence file says ``retrieved: search corpus ...``), which ../shared lacks."""
    archive = read_archive(archive_path(archive_dir(DATASET), source.id))
    return archive.header.get("retrieved", "").startswith("shared/")


def test_every_source_maps_to_exactly_one_held_file(dataset: Dataset, source_texts: dict[str, str]) -> None:
    held = [s for s in dataset.sources if held_in_shared(s)]
    assert len(held) >= 30, "most sources come from the held texts"
    unmapped = {s.id: files_of(s, source_texts) for s in held}
    assert {sid: files for sid, files in unmapped.items() if len(files) != 1} == {}


def test_every_quote_is_verbatim_in_its_source_file(dataset: Dataset, source_texts: dict[str, str]) -> None:
    sources = dataset.sources_by_id()
    checked, missing = 0, []
    for position in dataset.positions:
        if not held_in_shared(sources[position.source]):
            continue  # checked against its archived page by test_the_bundled_archive_verifies_strictly
        files = files_of(sources[position.source], source_texts)
        checked += 1
        if not any(find_quote(position.quote, source_texts[name]) for name in files):
            missing.append(f"line {position.line}: {position.signatories}/{position.issue} not in {files}")
    assert missing == []
    assert checked >= 60


def test_translations_are_verbatim_too(dataset: Dataset, source_texts: dict[str, str]) -> None:
    sources = dataset.sources_by_id()
    for position in dataset.positions:
        if position.translation is None:
            continue
        assert position.translation_source, f"line {position.line}: a translation needs its source"
        if not held_in_shared(sources[position.translation_source]):
            continue  # an archived page: checked by test_the_bundled_archive_verifies_strictly
        files = files_of(sources[position.translation_source], source_texts)
        assert any(find_quote(position.translation, source_texts[name]) for name in files), position.line


def test_every_url_appears_in_a_held_file(dataset: Dataset, source_texts: dict[str, str]) -> None:
    urls = [s.url for s in dataset.sources if s.url and held_in_shared(s)]
    assert urls, "the dataset should cite its sources by URL"
    corpus = "\n".join(source_texts.values())
    assert [url for url in urls if url not in corpus] == []


def test_every_archived_page_names_its_url(dataset: Dataset) -> None:
    for source in dataset.sources:
        archive = read_archive(archive_path(archive_dir(DATASET), source.id))
        assert archive.header.get("retrieved"), f"{source.id}: the archive says where its text came from"
        if source.url:
            assert archive.header.get("url") == source.url, source.id


def test_the_bundled_archive_verifies_strictly(dataset: Dataset) -> None:
    report = check_evidence(dataset, archive_dir(DATASET), strict=True)
    assert [p.format() for p in report.problems] == []
    assert report.quotes_checked == report.quotes_found == len(dataset.positions)
    assert report.sources_archived == len(dataset.sources)


def test_actor_ids_are_iso_alpha3_or_declared_blocs(dataset: Dataset) -> None:
    actors = {a.id: a for a in dataset.actors}
    wrong = []
    for actor_id in sorted({a for p in dataset.positions for a in p.signatories}):
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


# --- enough evidence to compare (issue "Evidence base") -----------------------------------------


def official_issues(dataset: Dataset) -> dict[str, set[str]]:
    """Actor -> the issues it has an official position on (a joint statement counts for each)."""
    found: dict[str, set[str]] = defaultdict(set)
    for position in dataset.positions:
        if position.voice == "official":
            for actor in position.signatories:
                found[actor].add(position.issue)
    return found


def test_enough_actors_issues_and_positions(dataset: Dataset) -> None:
    assert len(dataset.actors) >= MIN_ACTORS
    assert len(dataset.issues) >= MIN_ISSUES
    assert len(dataset.positions) >= MIN_POSITIONS


def test_every_issue_has_four_actors_and_most_have_both_sides(dataset: Dataset) -> None:
    actors: dict[str, set[str]] = defaultdict(set)
    signs: dict[str, set[int]] = defaultdict(set)
    for position in dataset.positions:
        actors[position.issue].update(position.signatories)
        if position.stance:
            signs[position.issue].add(1 if position.stance > 0 else -1)
    assert {i.id: len(actors[i.id]) for i in dataset.issues if len(actors[i.id]) < 4} == {}
    assert sum(signs[i.id] == {1, -1} for i in dataset.issues) >= 10


def test_many_pairs_share_issues_in_official_voices(dataset: Dataset) -> None:
    found = official_issues(dataset)
    pairs = [(a, b) for a, b in itertools.combinations(sorted(found), 2) if len(found[a] & found[b]) >= 2]
    assert len(pairs) >= 25
    assert {a: len(found[a]) for a in ("USA", "RUS", "CHN") if len(found[a]) < 5} == {}


def test_positions_span_the_years(dataset: Dataset) -> None:
    years = [int(p.date[:4]) for p in dataset.positions]
    assert sum(year >= 2018 for year in years) >= 30
    assert len(set(years)) >= 18


def test_the_putin_xi_declarations_are_joint_records(dataset: Dataset) -> None:
    joint = [p for p in dataset.positions if p.actors is not None]
    assert ("RUS", "CHN") in [p.signatories for p in joint]
    putin_xi = [p for p in dataset.positions if "without limit strengthening antimissile" in p.quote]
    assert [p.signatories for p in putin_xi] == [("RUS", "CHN")]


def test_every_issue_and_actor_is_used(dataset: Dataset) -> None:
    assert {i.id for i in dataset.issues} == {p.issue for p in dataset.positions}
    assert {a.id for a in dataset.actors} == {a for p in dataset.positions for a in p.signatories}
    cited = {p.source for p in dataset.positions} | {p.translation_source for p in dataset.positions}
    assert {s.id for s in dataset.sources} == cited - {None}


def test_non_english_quotes_say_so(dataset: Dataset) -> None:
    # a quote stays in its own language; only a published translation may go beside it
    foreign = [p for p in dataset.positions if p.language != "en"]
    assert {p.language for p in foreign} >= {"fr", "da", "it"}
    assert all(p.translation is None or p.translation_source for p in foreign)
    kouchner = [p for p in dataset.positions if p.speaker == "Bernard Kouchner"]
    assert kouchner and all(p.language == "fr" for p in kouchner)
