"""One issue, everyone under AppTest: every actor on the scale for one issue, the proposition, the
quotes grouped by stance; defaults, empty states and links."""

from __future__ import annotations

import datetime as dt

from apphelpers import AS_OF, chart_configs, charts, messages, open_page, rerun, same_view, shown, texts

from stances import analysis, lineup, pickers
from stances.load import load_dataset

PAGE = "pages/lineup_page.py"


def test_every_actor_with_a_stance_is_a_labelled_dot(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe"})
    frame = analysis.positions_frame(load_dataset(bundled))
    rows = lineup.issue_lineup(frame, "us-nato-bmd-europe", dt.date.fromisoformat(AS_OF), ["official"])
    [spec] = charts(at)
    [dots] = [t for t in spec["data"] if t.get("name") == "actors"]
    assert len(dots["x"]) == len(rows) >= 4
    assert spec["layout"]["title"]["text"] == "US/NATO missile defence in Europe: where everyone stands"
    assert spec["layout"]["title"]["subtitle"]["text"].startswith("Proposition: The United States should deploy")
    [config] = chart_configs(at)
    assert config["toImageButtonOptions"]["filename"] == f"lineup-us-nato-bmd-europe-{AS_OF}"


def test_the_quotes_are_grouped_by_stance_as_plain_text(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe"})
    headings = [str(m.value) for m in at.markdown if str(m.value).startswith("#### ")]
    assert headings and all(h.startswith(("#### Stance ", "#### Declined to state")) for h in headings)
    frame = analysis.positions_frame(load_dataset(bundled))
    rows = lineup.issue_lineup(frame, "us-nato-bmd-europe", dt.date.fromisoformat(AS_OF), ["official"])
    quoted = [t for t in texts(at) if "\n“" in t]
    assert len(quoted) == len(rows)
    assert all(any(str(q) in t for t in quoted) for q in rows["quote"])


def test_defaults_to_the_issue_most_actors_spoke_on(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    dataset = load_dataset(bundled)
    choices = pickers.lineup_choices(
        dataset, analysis.positions_frame(dataset), dt.date.fromisoformat(AS_OF), ("official",)
    )
    assert at.selectbox(key="lu_issue").value == choices.default_issues[0]
    assert len(charts(at)) == 1


def test_an_issue_nobody_spoke_about_is_explained(use_dataset):
    use_dataset("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "issue": "orphan"})
    assert charts(at) == []
    assert any("Nobody has a position on this issue" in m for m in messages(at, "info"))
    assert "Proposition: Nobody has a recorded position on this." in texts(at)  # without a chart, the page says it


def test_unknown_issue_in_link_falls_back_with_notice(use_dataset):
    use_dataset("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "issue": "gone"})
    assert at.selectbox(key="lu_issue").value == "bmd"
    assert any("issue=gone: not in this dataset" in shown(w) for w in messages(at, "warning"))


def test_link_round_trip(bundled):
    first = open_page(PAGE, {"asof": AS_OF})
    first.selectbox(key="lu_issue").set_value("thaad-korea")
    first.checkbox(key="voice_expert").check()
    rerun(first)
    second = same_view(first, PAGE)
    assert second.selectbox(key="lu_issue").value == "thaad-korea"
    assert charts(second)[0]["data"] == charts(first)[0]["data"]


def test_a_crowded_issue_lists_five_statements_per_stance_until_asked(use_dataset, tmp_path):
    """Each statement is three elements sent on every rerun: 200 made a click cost three times more."""
    from stances.generate import generate

    big = tmp_path / "big.yaml"
    big.write_text(generate(2000, seed=3), encoding="utf-8")
    use_dataset(big)
    at = open_page(PAGE, {"asof": AS_OF})
    quoted = [t for t in texts(at) if "\n“" in t]
    toggle = at.toggle(key="lu_all")
    total = int(toggle.label.removeprefix("Show all ").removesuffix(" statements"))
    headings = [m for m in at.markdown if str(m.value).startswith("#### ")]
    assert total > len(quoted) and len(quoted) <= 5 * len(headings)
    [note] = [c.value for c in at.caption if c.value.startswith("The first 5 statements of each stance")]
    assert note.endswith(f"the other {total - len(quoted)}.")
    toggle.set_value(True).run()
    assert len([t for t in texts(at) if "\n“" in t]) == total
    assert not any(c.value.startswith("The first 5 statements") for c in at.caption)
