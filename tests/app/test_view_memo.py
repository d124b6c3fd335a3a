"""ui.memo under AppTest: a page's view is computed once per file content and selection."""

from __future__ import annotations

import uuid

import pytest
from apphelpers import AS_OF, BUNDLED, OVERVIEW, charts, open_page, rerun

from stances import chartviews


@pytest.fixture
def fresh_copy(tmp_path, use_dataset):
    """positions.yaml with a unique comment: content no earlier test has cached."""
    path = tmp_path / "positions.yaml"
    path.write_text(BUNDLED.read_text(encoding="utf-8") + f"# {uuid.uuid4()}\n", encoding="utf-8")
    return use_dataset(path)


@pytest.fixture
def overview_calls(monkeypatch):
    calls: list[tuple] = []
    real = chartviews.overview_view

    def counted(dataset, frame, *args):
        calls.append(args)
        return real(dataset, frame, *args)

    monkeypatch.setattr(chartviews, "overview_view", counted)
    return calls


def test_a_rerun_with_the_same_selection_computes_nothing(fresh_copy, overview_calls):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    first = charts(at)
    rerun(rerun(at))
    assert len(overview_calls) == 1
    assert charts(at) == first


def test_a_new_selection_is_computed_once_and_going_back_is_free(fresh_copy, overview_calls):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    issues = at.multiselect(key="ov_issues").value
    columns = charts(at)[0]["layout"]["xaxis"]["tickvals"]  # the chosen issues with a position by then
    assert len(issues) > 2
    at.multiselect(key="ov_issues").set_value(issues[:2])
    rerun(at)
    assert len(overview_calls) == 2 and overview_calls[-1][2] == tuple(issues[:2])  # (as_of, voices, issues, ...)
    assert len(charts(at)[0]["layout"]["xaxis"]["tickvals"]) == 2
    at.multiselect(key="ov_issues").set_value(issues)
    rerun(at)
    assert len(overview_calls) == 2
    assert charts(at)[0]["layout"]["xaxis"]["tickvals"] == columns


def test_an_edited_file_is_computed_again(fresh_copy, overview_calls):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    before = charts(at)
    text = fresh_copy.read_text(encoding="utf-8")
    fresh_copy.write_text(text.replace("stance: 2\n", "stance: -2\n", 1), encoding="utf-8")
    rerun(at)
    assert len(overview_calls) == 2
    assert charts(at) != before
