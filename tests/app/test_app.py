"""The shell every page shares: sidebar, link parameters, data revision, live file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from apphelpers import AS_OF, OVERVIEW, REPO, messages, open_page, rerun, shown, texts

from stances.load import load_dataset


def bump_mtime(path) -> None:
    """Make sure the next stat sees a change even on a coarse clock."""
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def test_sidebar_shows_dataset_title_revision_and_counts(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    dataset = load_dataset(bundled)
    [identity] = [t for t in at.sidebar.text]
    assert dataset.title in identity.value
    assert f"Revision {dataset.revision}" in identity.value
    assert f"{len(dataset.positions)} positions" in identity.value


def test_voices_default_to_official_with_opt_ins_labelled(bundled):
    at = open_page(OVERVIEW)
    boxes = {c.key: (c.label, c.value) for c in at.sidebar.checkbox}
    assert boxes["voice_official"] == ("Official statements", True)
    assert boxes["voice_expert"] == ("Experts (opt-in)", False)
    assert boxes["voice_reported"] == ("Reported by the source (opt-in)", False)
    assert at.query_params["voices"] == "official"


def test_as_of_is_always_written_as_a_concrete_date(bundled):
    at = open_page(OVERVIEW)
    assert at.query_params["asof"] == at.date_input(key="as_of").value.isoformat()
    assert at.query_params["rev"] == load_dataset(bundled).content_hash[:7]


def test_bad_parameters_are_dropped_with_a_notice_not_an_error(bundled):
    at = open_page(OVERVIEW, {"asof": "2013-02-30", "voices": "official,gossip", "issues": ["nope", "thaad-korea"]})
    [warning] = messages(at, "warning")
    assert "asof=2013-02-30" in shown(warning)
    assert "gossip" in warning
    assert "nope" in warning
    assert at.multiselect(key="ov_issues").value == ["thaad-korea"]
    assert "nope" not in at.query_params.get("issues", "")


def test_markdown_in_a_parameter_is_shown_as_text(bundled):
    at = open_page(OVERVIEW, {"issues": "**bold**[x](javascript:alert(1))"})
    [warning] = messages(at, "warning")
    assert "\\*\\*bold\\*\\*" in warning  # escaped, so Markdown shows the asterisks


def test_a_link_from_an_older_revision_says_so(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF, "rev": "0000000"})
    assert any("older revision of the data (0000000)" in m for m in messages(at, "info"))
    current = open_page(OVERVIEW, {"asof": AS_OF, "rev": load_dataset(bundled).content_hash[:7]})
    assert not any("older revision" in m for m in messages(current, "info"))


def test_voices_none_is_kept_and_explained(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF, "voices": "none"})
    assert not any(c.value for c in at.sidebar.checkbox)
    assert at.query_params["voices"] == "none"
    assert any("No voice is selected" in m for m in messages(at, "info"))


def test_an_edit_shows_on_the_next_run_without_restart(temp_copy):
    path = temp_copy("orphan_issue.yaml")
    at = open_page(OVERVIEW, {"asof": AS_OF})
    assert "2 positions" in at.sidebar.text[0].value
    path.write_text(path.read_text(encoding="utf-8").replace("stance: -1", "stance: 2"), encoding="utf-8")
    bump_mtime(path)
    rerun(at)
    assert load_dataset(path).revision in at.sidebar.text[0].value
    assert messages(at, "warning") == []


def test_a_save_that_breaks_the_file_keeps_the_last_valid_version(temp_copy):
    path = temp_copy("orphan_issue.yaml")
    at = open_page(OVERVIEW, {"asof": AS_OF})
    good = load_dataset(path)
    path.write_text("actors: [\n  - id: RUS\n", encoding="utf-8")  # a YAML syntax error
    bump_mtime(path)
    rerun(at)
    [warning] = messages(at, "warning")
    assert warning.startswith("Showing the last valid version of positions\\.yaml (saved ")
    assert f"Revision {good.revision}" in at.sidebar.text[0].value
    assert any("error[yaml-syntax]" in c.value and str(path) in c.value for c in at.code)
    assert len(at.get("plotly_chart")) == 1  # the last valid data is still drawn


def test_emptying_the_file_keeps_the_last_valid_version(temp_copy):
    path = temp_copy("orphan_issue.yaml")
    at = open_page(OVERVIEW, {"asof": AS_OF})
    path.write_text("# nothing yet\n", encoding="utf-8")
    bump_mtime(path)
    rerun(at)
    assert any(w.startswith("Showing the last valid version") for w in messages(at, "warning"))


def test_a_partly_broken_file_shows_valid_records_and_links_to_data_health(use_dataset):
    path = use_dataset("broken.yaml")
    at = open_page(OVERVIEW, {"asof": AS_OF})
    [warning] = messages(at, "warning")
    assert "has 3 errors" in warning
    [link] = at.get("page_link")
    assert "Data health (3 errors)" in link.proto.label
    assert "2 positions" in at.sidebar.text[0].value
    assert len(load_dataset(path).positions) == 2


def test_a_missing_file_is_explained(use_dataset, tmp_path):
    use_dataset(tmp_path / "missing.yaml")
    at = open_page(OVERVIEW)
    assert any("Cannot read the positions file" in m for m in messages(at, "error"))
    assert texts(at) == []


def test_page_files_differ_from_their_url_paths():
    # DESIGN.md section 5: a stem equal to its url path breaks the first deep link on a fresh server.
    import ui

    assert {url for _, _, url, _ in ui.PAGES} >= {"overview", "compare", "timeline", "map", "agreement", "quotes"}
    for file, _, url_path, _ in ui.PAGES:
        assert Path(file).stem != url_path
        assert (REPO / file).is_file() or url_path == "add"


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("pages/overview_page.py", "Overview"),
        ("pages/compare_page.py", "Compare"),
        ("pages/timeline_page.py", "Timeline"),
        ("pages/map_page.py", "Map"),
        ("pages/agreement_page.py", "Agreement"),
        ("pages/quotes_page.py", "Quotes"),
        ("pages/sources_page.py", "Sources & method"),
        ("pages/health_page.py", "Data health"),
    ],
)
def test_every_page_runs_with_the_shared_sidebar(bundled, page, title):
    at = open_page(page, {"asof": AS_OF})
    assert at.title[0].value == title
    assert at.sidebar.date_input(key="as_of").value.isoformat() == AS_OF
