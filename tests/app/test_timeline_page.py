"""Timeline under AppTest: one step trace per chosen actor on one issue; empty states; links."""

from __future__ import annotations

from apphelpers import AS_OF, charts, messages, open_page, rerun, same_view, shown

from stances import analysis
from stances.load import load_dataset

PAGE = "pages/timeline_page.py"


def test_one_trace_per_actor_with_a_point_per_position(bundled):
    dataset = load_dataset(bundled)
    frame = analysis.positions_frame(dataset)
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe", "actors": ["RUS", "USA"]})
    rows = analysis.timeline(frame, "us-nato-bmd-europe", ["RUS", "USA"], ["official"])
    [spec] = charts(at)
    names = dataset.actor_names()
    traces = {t["name"]: t for t in spec["data"] if t.get("name") in names.values()}
    assert set(traces) == {names["RUS"], names["USA"]}
    assert spec["layout"]["title"]["text"].startswith("US/NATO missile defence in Europe")
    assert len(rows) >= 2


def eight_most_active(on_issue):
    """The eight actors with most positions, ties to the one earlier in the file, in the file's order."""
    counts = on_issue.groupby("actor").size()
    ranks = on_issue.groupby("actor")["actor_rank"].first()
    most = sorted(counts.index, key=lambda a: (-counts[a], ranks[a]))[:8]
    return sorted(most, key=lambda a: ranks[a])


def test_defaults_to_the_busiest_issue_and_its_eight_most_active_actors(bundled):
    frame = analysis.positions_frame(load_dataset(bundled))
    at = open_page(PAGE, {"asof": AS_OF})
    issue = at.selectbox(key="tl_issue").value
    on_issue = frame[(frame["issue"] == issue) & (frame["voice"] == "official")]
    assert on_issue["actor"].nunique() > 8  # eleven actors: the eight most active are drawn
    chosen = at.multiselect(key="tl_actors").value
    assert chosen == eight_most_active(on_issue)
    assert "USA" in chosen  # one statement, but earlier in the file than the others with one
    # the data chose both: the link names them, so that it opens the same view after records are added
    assert (at.query_params["issue"], at.query_params["actors"]) == (issue, chosen)
    [spec] = charts(at)
    lines = [t for t in spec["data"] if t.get("showlegend") is not False]
    assert len(lines) == 8 and len({t["line"]["color"] for t in lines}) == 8


def test_every_actor_is_drawn_when_there_are_eight_or_fewer(bundled):
    frame = analysis.positions_frame(load_dataset(bundled))
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-bmd-middle-east"})
    on_issue = frame[(frame["issue"] == "us-bmd-middle-east") & (frame["voice"] == "official")]
    assert at.multiselect(key="tl_actors").value == analysis.actors_with_positions(on_issue)  # the file's order
    assert len(at.multiselect(key="tl_actors").value) == 6


def test_changing_issue_starts_from_that_issues_actors(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe"})
    at.selectbox(key="tl_issue").set_value("thaad-korea")
    rerun(at)
    frame = analysis.positions_frame(load_dataset(bundled))
    on_issue = frame[(frame["issue"] == "thaad-korea") & (frame["voice"] == "official")]
    assert at.multiselect(key="tl_actors").value == analysis.actors_with_positions(on_issue)


def test_an_issue_nobody_spoke_about_is_explained(use_dataset):
    use_dataset("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "issue": "orphan"})
    assert at.selectbox(key="tl_issue").value == "orphan"
    assert charts(at) == []
    assert any("Nobody has a recorded position on this issue" in m for m in messages(at, "info"))


def test_unknown_issue_in_link_falls_back_with_notice(use_dataset):
    use_dataset("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "issue": "gone"})
    assert at.selectbox(key="tl_issue").value == "bmd"
    assert any("issue=gone: not in this dataset" in shown(w) for w in messages(at, "warning"))


def test_link_round_trip(use_dataset):
    use_dataset("many_actors.yaml")
    first = open_page(PAGE, {"asof": AS_OF})
    first.selectbox(key="tl_issue").set_value("abm-treaty")
    rerun(first)
    first.multiselect(key="tl_actors").set_value(["RUS", "CHN"])
    first.checkbox(key="voice_expert").check()
    rerun(first)
    second = same_view(first, PAGE)
    assert second.selectbox(key="tl_issue").value == "abm-treaty"
    assert second.multiselect(key="tl_actors").value == ["RUS", "CHN"]
    assert charts(second)[0]["data"] == charts(first)[0]["data"]
