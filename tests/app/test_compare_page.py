"""Compare under AppTest: default actors, bars per actor, verbatim quotes with speaker and source."""

from __future__ import annotations

import datetime as dt

from apphelpers import AS_OF, charts, messages, open_page, rerun, same_view, texts

from stances import analysis
from stances.load import load_dataset

PAGE = "pages/compare_page.py"


def frame_of(path):
    dataset = load_dataset(path)
    return dataset, analysis.positions_frame(dataset)


def test_defaults_to_the_pair_sharing_most_issues_that_disagrees_most(bundled):
    dataset, frame = frame_of(bundled)
    at = open_page(PAGE, {"asof": AS_OF})
    latest = analysis.latest_stances(frame, dt.date.fromisoformat(AS_OF), ["official"])
    pairs = analysis.agreement(latest[latest["stance"].notna()], dataset.scale.span)
    pairs = pairs[pairs["actor_a"] != pairs["actor_b"]]
    expected = at.multiselect(key="cmp_actors").value
    [chosen] = pairs[(pairs["actor_a"] == expected[0]) & (pairs["actor_b"] == expected[1])].to_dict("records")
    assert chosen["shared"] == pairs["shared"].max()  # no pair shares more issues
    rivals = pairs[pairs["shared"] == chosen["shared"]]
    assert chosen["agreement"] == rivals["agreement"].min()  # nor disagrees more among those
    assert chosen["agreement"] < 0.5
    order = [a.id for a in dataset.actors]
    assert order.index(expected[0]) < order.index(expected[1])  # the file's order
    [spec] = charts(at)
    names = dataset.actor_names()
    assert [t["name"] for t in spec["data"]] == [names[a] for a in expected]
    assert all(t["type"] == "bar" for t in spec["data"])
    assert at.query_params["actors"] == expected  # the data chose the pair: the link names it


def test_every_latest_quote_is_shown_verbatim_with_speaker_date_and_language(bundled):
    _, frame = frame_of(bundled)
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["RUS", "USA"]})
    at.toggle(key="cmp_all_quotes").set_value(True)  # the two share more issues than one page lists
    rerun(at)
    latest = analysis.latest_stances(frame, dt.date.fromisoformat(AS_OF), ["official"])
    rows = latest[latest["actor"].isin(["RUS", "USA"])]
    # one text a quote, one item a line
    shown = {line for text in texts(at) for line in text.split("\n")}
    assert len(rows) > 0
    for _, row in rows.iterrows():
        assert f"“{row['quote']}” [{row['language']}]" in shown
        assert f"{row['speaker']}, {row['role']} · {row['date']} · official" in shown
    links = [b.proto.url for b in at.get("link_button")]
    assert links and all(u.startswith(("http://", "https://")) for u in links)


def test_markdown_and_html_in_the_data_stay_text(use_dataset):
    use_dataset("nonlatin.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["FRA", "RUS"]})
    quote = "**Not bold** <b>not bold</b> :red[not red] $not math$ [not a link](https://example.org)"
    assert any(f"“{quote}” [fr]" in text.split("\n") for text in texts(at))
    assert any("=HYPERLINK" in t and "<script>" in t for t in texts(at))
    assert all("<b>" not in m.value for m in at.markdown)  # names reach Markdown only escaped


def test_at_most_four_actors_with_a_notice(use_dataset):
    use_dataset("many_actors.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["USA", "RUS", "CHN", "FRA", "GBR"]})
    assert at.multiselect(key="cmp_actors").value == ["USA", "RUS", "CHN", "FRA"]
    assert any("GBR" in w and "at most 4" in w for w in messages(at, "warning"))


def test_only_one_actor_in_the_dataset_is_explained(use_dataset):
    use_dataset("one_actor.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    assert any("only one actor" in m for m in messages(at, "info"))
    assert not at.exception


def test_no_actor_selected_is_explained(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    at.multiselect(key="cmp_actors").set_value([])
    rerun(at)
    assert charts(at) == []
    assert any("No actor is selected" in m for m in messages(at, "info"))


def test_empty_positions_is_explained(use_dataset):
    use_dataset("empty_positions.yaml")
    at = open_page(PAGE)
    assert charts(at) == []
    assert any("no positions yet" in m for m in messages(at, "info"))


def test_link_round_trip(bundled):
    first = open_page(PAGE, {"asof": AS_OF})
    first.multiselect(key="cmp_actors").set_value(["USA", "RUS", "CHN"])
    first.multiselect(key="cmp_issues").set_value(["us-nato-bmd-europe", "thaad-korea"])
    rerun(first)
    assert first.query_params["actors"] == ["USA", "RUS", "CHN"]
    second = same_view(first, PAGE)
    assert second.multiselect(key="cmp_actors").value == ["USA", "RUS", "CHN"]
    assert second.multiselect(key="cmp_issues").value == ["us-nato-bmd-europe", "thaad-korea"]
    assert charts(second)[0]["data"] == charts(first)[0]["data"]
    assert texts(second) == texts(first)


def test_quotes_of_a_long_issue_list_come_ten_issues_at_a_time(tmp_path, use_dataset):
    from stances.chartviews import COMPARE_QUOTED_ISSUES
    from stances.generate import generate

    path = tmp_path / "positions.yaml"
    path.write_text(generate(3000, 2), encoding="utf-8")
    use_dataset(path)
    at = open_page(PAGE, {"asof": AS_OF})
    [spec] = charts(at)
    in_chart = len(spec["layout"]["yaxis"]["tickvals"])  # one bar row per issue
    headings = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(headings) == COMPARE_QUOTED_ISSUES
    assert any(f"first {COMPARE_QUOTED_ISSUES} of" in c.value for c in at.caption)
    at.toggle(key="cmp_all_quotes").set_value(True).run()
    every = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(every) > COMPARE_QUOTED_ISSUES
    assert every[:COMPARE_QUOTED_ISSUES] == headings
    assert len(every) == in_chart
