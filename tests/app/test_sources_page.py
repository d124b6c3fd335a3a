"""Sources & method under AppTest: the data to download, every source with its link, the scale,
voices, the codebook, and no "None" in any table."""

from __future__ import annotations

import csv
import io
import zipfile

from apphelpers import AS_OF, REPO, open_page

from stances import opendata
from stances.load import load_dataset

PAGE = "pages/sources_page.py"


def test_every_source_is_listed_with_its_use_count(bundled):
    dataset = load_dataset(bundled)
    at = open_page(PAGE, {"asof": AS_OF})
    sources = at.dataframe[0].value
    assert sources["id"].tolist() == [s.id for s in dataset.sources]
    used = {s: sum(p.source == s for p in dataset.positions) for s in sources["id"]}
    assert sources["positions"].tolist() == [used[s] for s in sources["id"]]
    links = [u for u in sources["link"] if isinstance(u, str)]
    assert links and all(u.startswith(("http://", "https://")) for u in links)


def test_each_source_names_the_positions_resting_on_it(use_dataset):
    use_dataset("../joint/valid.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    sources = at.dataframe[0].value
    assert sources["positions"].tolist() == [3]  # the joint statements count once
    assert sources["positions resting on it"].tolist() == [
        "Russia and China, Golden Dome (2025-05-08); United States, Golden Dome (2025-05-20); "
        "China and United States and Russia, Golden Dome (2024)"
    ]


def test_every_issue_is_listed_with_its_proposition(bundled):
    dataset = load_dataset(bundled)
    at = open_page(PAGE, {"asof": AS_OF})
    issues = at.dataframe[1].value
    assert issues["id"].tolist() == [i.id for i in dataset.issues]
    assert issues.iloc[:, 1].tolist() == [i.question for i in dataset.issues]
    assert issues["positions"].sum() == len(dataset.positions)


def test_scale_and_voices_are_explained(bundled):
    dataset = load_dataset(bundled)
    at = open_page(PAGE, {"asof": AS_OF})
    scale, voices = at.dataframe[2].value, at.dataframe[3].value
    assert scale["meaning"].tolist()[:-1] == list(dataset.scale.labels.values())
    assert voices["voice"].tolist() == ["official", "expert", "reported"]


def test_codebook_is_included(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    codebook = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert any(m.value.strip() == codebook.strip() for m in at.markdown)
    assert any("adding-positions.md" in m.value for m in at.markdown)


def test_markdown_in_source_fields_stays_text(use_dataset):
    use_dataset("nonlatin.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    assert "Synthetic [link](javascript:alert(1)) publisher" in at.dataframe[0].value["publisher"].tolist()


def test_the_dataset_is_offered_as_open_data(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    [button] = at.get("download_button")
    assert button.proto.label == "Download the dataset (CSV tables, zip)"
    assert button.proto.deferred_file_id, "the zip is built when clicked, not on every run"
    assert any("datapackage.json" in c.value and "2013-03-XX" in c.value for c in at.caption)
    # what the button serves: every table and the package, for the page's own dataset
    dataset = load_dataset(bundled)
    with zipfile.ZipFile(io.BytesIO(opendata.dataset_zip(dataset))) as archive:
        assert opendata.PACKAGE_FILE in archive.namelist()
        rows = list(csv.DictReader(io.StringIO(archive.read("positions.csv").decode("utf-8-sig"))))
    assert len(rows) == sum(len(p.signatories) for p in dataset.positions) > 100
    assert opendata.zip_name(dataset) == f"missile-defence-stated-positions-open-data-{dataset.content_hash[:7]}.zip"


def test_no_table_shows_none(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    assert len(at.dataframe) >= 4
    assert [table.proto.placeholder for table in at.dataframe] == [""] * len(at.dataframe)
    assert not [line for m in at.markdown for line in m.value.splitlines() if "tests/" in line]
