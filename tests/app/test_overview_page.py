"""Overview under AppTest: the heatmap shows the as-of stances of the chosen issues; links restore it."""

from __future__ import annotations

import datetime as dt
import json
import re

import plotly.io as pio
import pytest
from apphelpers import (
    AS_OF,
    OVERVIEW,
    array,
    chart_configs,
    charts,
    messages,
    open_page,
    rerun,
    same_view,
    shown,
    texts,
)

from stances import analysis, chartviews, pickers
from stances.caption import HEIGHT
from stances.generate import generate
from stances.load import load_dataset
from stances.quotes import find_quote


def expected_latest(path, as_of=AS_OF, voices=("official",)):
    dataset = load_dataset(path)
    frame = analysis.positions_frame(dataset)
    return dataset, analysis.latest_stances(frame, dt.date.fromisoformat(as_of), voices)


def test_heatmap_rows_are_the_actors_with_a_stance_as_of_the_date(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    dataset, latest = expected_latest(bundled)
    [spec] = charts(at)
    trace = spec["data"][0]  # then the veil over stances older than ten years
    assert trace["type"] == "heatmap" and trace["name"] == "stances"
    names = dataset.actor_names()
    actors = analysis.actors_with_positions(latest)
    assert len(spec["layout"]["yaxis"]["ticktext"]) == len(actors) > 1
    assert spec["layout"]["yaxis"]["ticktext"][0] == names[actors[0]]
    assert len(array(trace["z"])) == len(actors)
    assert f"As of {AS_OF}" in spec["layout"]["title"]["subtitle"]["text"]


def test_chart_config_names_the_png_after_page_selection_and_date(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF, "issues": ["us-nato-bmd-europe"]})
    [config] = chart_configs(at)
    assert config["toImageButtonOptions"]["filename"] == f"overview-us-nato-bmd-europe-{AS_OF}"
    assert config["toImageButtonOptions"]["width"] == 1200
    assert config["displaylogo"] is False


def test_issue_selection_narrows_the_columns_and_is_written_to_the_url(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    at.multiselect(key="ov_issues").set_value(["us-nato-bmd-europe"])
    rerun(at)
    [spec] = charts(at)
    assert len(spec["layout"]["xaxis"]["tickvals"]) == 1
    assert at.query_params["issues"] == "us-nato-bmd-europe"
    assert at.query_params["asof"] == AS_OF


def test_link_round_trip_restores_widgets_and_figure(bundled):
    first = open_page(OVERVIEW, {"asof": AS_OF})
    first.multiselect(key="ov_issues").set_value(["us-nato-bmd-europe", "thaad-korea"])
    first.checkbox(key="voice_expert").check()
    rerun(first)
    second = same_view(first, OVERVIEW)
    assert second.multiselect(key="ov_issues").value == ["us-nato-bmd-europe", "thaad-korea"]
    assert second.checkbox(key="voice_expert").value is True
    assert second.date_input(key="as_of").value == dt.date.fromisoformat(AS_OF)
    assert charts(second)[0]["data"] == charts(first)[0]["data"]


def test_thirty_six_actors_all_get_a_row(use_dataset):
    path = use_dataset("many_actors.yaml")
    at = open_page(OVERVIEW, {"asof": AS_OF})
    _, latest = expected_latest(path)
    [spec] = charts(at)
    assert len(array(spec["data"][0]["z"])) == len(analysis.actors_with_positions(latest)) > 30


def test_empty_positions_explains_instead_of_drawing(use_dataset):
    use_dataset("empty_positions.yaml")
    at = open_page(OVERVIEW)
    assert charts(at) == []
    assert any("no positions yet" in m for m in messages(at, "info"))


def test_a_date_before_any_position_explains(bundled):
    at = open_page(OVERVIEW, {"asof": "1950-01-01"})
    assert charts(at) == []
    assert any("dated on or before the as-of date" in m for m in messages(at, "info"))


def test_no_issue_selected_explains(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    at.multiselect(key="ov_issues").set_value([])
    rerun(at)
    assert charts(at) == []
    assert any("No issue is selected" in m for m in messages(at, "info"))


@pytest.fixture
def crowded(tmp_path, use_dataset):
    """A generated dataset with about 200 actors with stances: more than the Overview can label."""
    path = tmp_path / "crowded.yaml"
    path.write_text(generate(1500, 3), encoding="utf-8")
    return use_dataset(path)


def test_a_crowded_dataset_shows_the_actors_with_most_stances_in_dataset_order(crowded):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    dataset, latest = expected_latest(crowded)
    present = analysis.actors_with_positions(latest)
    assert len(present) > pickers.OVERVIEW_DEFAULT_ACTORS
    counts = latest.groupby("actor").size()
    chosen = at.multiselect(key="ov_actors").value
    assert len(chosen) == pickers.OVERVIEW_DEFAULT_ACTORS
    assert chosen == [a for a in present if a in chosen]  # dataset order
    left_out = set(present) - set(chosen)
    assert min(counts[a] for a in chosen) >= max(counts[a] for a in left_out)
    [spec] = charts(at)
    names = dataset.actor_names()
    assert len(array(spec["data"][0]["z"])) == len(chosen)
    assert spec["layout"]["title"]["text"].startswith(f"Stated positions of {len(chosen)} actors")
    assert spec["layout"]["yaxis"]["ticktext"][0].replace("<br>", " ") == names[chosen[0]]  # may wrap
    assert "actors" not in at.query_params  # at the page's default: the link leaves it out


def test_chosen_actors_are_the_rows_and_a_link_restores_them(crowded):
    first = open_page(OVERVIEW, {"asof": AS_OF})
    dataset, latest = expected_latest(crowded)
    present = analysis.actors_with_positions(latest)
    silent = next(a for a in dataset.actor_names() if a not in present)
    picked = [present[-1], present[0]]
    first.multiselect(key="ov_actors").set_value([*picked, silent])
    rerun(first)
    [spec] = charts(first)
    assert len(array(spec["data"][0]["z"])) == 2
    name = dataset.actor_names()[silent]
    assert f"Not in the chart: 1 chosen actor has no position on these issues up to this date: {name}." in texts(first)
    second = same_view(first, OVERVIEW)
    assert second.multiselect(key="ov_actors").value == [*picked, silent]
    assert charts(second)[0]["data"] == spec["data"]


def test_no_actor_chosen_explains(crowded):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    at.multiselect(key="ov_actors").set_value([])
    rerun(at)
    assert charts(at) == []
    assert any("No actor is selected" in m for m in messages(at, "info"))


def test_an_untouched_picker_follows_the_data_and_a_changed_one_keeps_its_choice(temp_copy):
    path = temp_copy("many_actors.yaml")
    untouched = open_page(OVERVIEW, {"asof": AS_OF})
    changed = open_page(OVERVIEW, {"asof": AS_OF})
    before = untouched.multiselect(key="ov_actors").value
    changed.multiselect(key="ov_actors").set_value(before[:3])
    rerun(changed)
    # A new actor and its first position, appended by hand.
    dataset = load_dataset(path)
    actor_id = "ISL"
    assert actor_id not in dataset.actor_names()
    position = dataset.positions[0]
    text = path.read_text(encoding="utf-8")
    text = text.replace("actors:\n", f"actors:\n  - id: {actor_id}\n    name: Iceland\n    kind: country\n", 1)
    text += (
        f"  - actor: {actor_id}\n    issue: {position.issue}\n    stance: 1\n    voice: official\n"
        f"    date: '2020-01-01'\n    speaker: A Speaker\n    role: Minister\n    source: {position.source}\n"
        f"    quote: {position.quote!r}\n"
    )
    path.write_text(text, encoding="utf-8")
    assert load_dataset(path).errors == []
    rerun(untouched)
    rerun(changed)
    assert actor_id in untouched.multiselect(key="ov_actors").value
    assert "Iceland" in charts(untouched)[0]["layout"]["yaxis"]["ticktext"]
    assert changed.multiselect(key="ov_actors").value == before[:3]


def test_a_chart_travels_as_utf8_not_escaped(use_dataset):
    """orjson (requirements.txt) is plotly's JSON engine: non-Latin text is sent as UTF-8, not as
    six-byte \\u escapes that made a figure of Cyrillic and Arabic quotes nearly twice as large."""
    path = use_dataset("nonlatin.yaml")
    dataset = load_dataset(path)
    name = next(a.name for a in dataset.actors if not a.name.isascii())
    at = open_page(OVERVIEW, {"asof": AS_OF})
    [chart] = at.get("plotly_chart")
    assert name in chart.proto.spec
    assert not re.search(r"\\u(?!00[0-7])", chart.proto.spec)  # only ASCII (< > /) is escaped


def test_a_quote_can_be_read_in_its_archived_paragraph(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    assert not [s for s in at.selectbox if s.key == "ov_context"], "off until asked for"
    at.toggle(key="ov_context_on").set_value(True)
    rerun(at)
    select = at.selectbox(key="ov_context")
    assert select.options, "the chart's quotes are offered"
    select.select_index(0)
    rerun(at)
    marked = at.code[-1].value  # the quote's block comes after the link box's
    label_quote = select.options[0].split(": “", 1)[1].rstrip("”").rstrip("…")
    chosen = [p for p in load_dataset(bundled).positions if p.quote.startswith(label_quote)]
    assert chosen and find_quote(chosen[0].quote, marked) and find_quote(marked, chosen[0].quote)
    assert any(t.value.startswith("Archived text of ") for t in at.text)


# --- what the chart draws and says about itself ------------------------------------------------------


def test_an_issue_without_positions_gets_no_column_and_is_named_under_the_chart(bundled):
    # Golden Dome's first statement is from 2025: as of mid-2024 it has none
    at = open_page(OVERVIEW, {"asof": AS_OF, "issues": ["us-nato-bmd-europe", "golden-dome"]})
    [spec] = charts(at)
    assert [t.replace("<br>", " ") for t in spec["layout"]["xaxis"]["ticktext"]] == [
        "US/NATO missile defence in Europe"
    ]
    assert re.fullmatch(r"Stated positions of \d+ actors on 1 issue", spec["layout"]["title"]["text"])
    left_out = "Not in the chart: 1 chosen issue has no position up to this date for these voices: Golden Dome."
    assert left_out in texts(at)
    assert at.query_params["issues"] == ["us-nato-bmd-europe", "golden-dome"]  # the choice is kept


def cell_texts(spec: dict) -> list[str]:
    """Every non-empty cell text of an Overview figure, fresh and faded."""
    return [t for trace in spec["data"] for row in array(trace["text"]) for t in row if t]


YEAR = re.compile(r"( · (19|20)\d\d| ’\d\d|<br>(19|20)\d\d|<br>’\d\d)$")


def test_cells_give_the_year_and_stances_older_than_ten_years_are_pale(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    [spec] = charts(at)
    stances, veil = spec["data"]
    assert veil["name"] == "older stances" and veil["hoverinfo"] == "skip" and not veil.get("showscale")
    # The image (1200 px wide) gives every cell its year on one line; the page's figure, sized for
    # a 1024 px window, is taller and puts the year under the stance where a line has no room.
    dataset, latest = expected_latest(bundled)
    frame, as_of = analysis.positions_frame(dataset), dt.date.fromisoformat(AS_OF)
    choices = pickers.overview_choices(dataset, frame, as_of, ("official",))
    image = chartviews.overview_view(
        dataset, frame, as_of, ("official",), choices.default_issues, choices.default_actors
    )
    exported = json.loads(pio.to_json(image.figure, validate=False))
    assert cell_texts(exported) and all(YEAR.search(t) for t in cell_texts(exported)), cell_texts(exported)[:5]
    assert cell_texts(spec) and all(YEAR.search(t) for t in cell_texts(spec)), cell_texts(spec)[:5]
    assert any("<br>" in t for t in cell_texts(spec)) and spec["layout"]["height"] > HEIGHT
    few = open_page(OVERVIEW, {"asof": AS_OF, "issues": ["us-nato-bmd-europe", "thaad-korea", "india-bmd"]})
    assert cell_texts(charts(few)[0]) and all(YEAR.search(t) for t in cell_texts(charts(few)[0]))
    old = latest[latest["date_start"] < "2014-06-30"]
    assert sum(1 for row in array(veil["text"]) for t in row if t) == len(old) > 0
    assert "pale: stated before<br>2014-06-30" in stances["colorbar"]["title"]["text"]
    newest = latest.sort_values("date_start")["date"].iloc[-1][:7]
    subtitle = spec["layout"]["title"]["subtitle"]["text"]
    assert f"As of {AS_OF} · latest statement {newest} · voices: official" in subtitle
    assert any("Pale cells: stances stated more than 10 years before the as-of date" in c.value for c in at.caption)
    assert "fade" not in at.query_params  # the default is not written


def test_the_fading_years_are_a_sidebar_setting_kept_in_the_link(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    at.number_input(key="fade_years").set_value(0)
    rerun(at)
    assert [t["name"] for t in charts(at)[0]["data"]] == ["stances"]  # 0: nothing faded
    assert at.query_params["fade"] == "0"
    again = same_view(at, OVERVIEW)
    assert again.number_input(key="fade_years").value == 0
    assert [t["name"] for t in charts(again)[0]["data"]] == ["stances"]
    bad = open_page(OVERVIEW, {"asof": AS_OF, "fade": "ten"})
    assert any("fade=ten: not a number of years" in shown(m) for m in messages(bad, "warning"))
    assert bad.number_input(key="fade_years").value == 10


def test_a_default_view_has_a_short_link(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    assert sorted(at.query_params) == ["asof", "rev", "voices"]  # every picker is at its default
    [cite] = [t for t in texts(at) if t.startswith("Cite this chart: ")]
    link = cite.split(". ")[-1].split(" (accessed")[0]
    assert len(link) < 60, link
