"""What changed under AppTest: the arrows between two dates, the quotes before and after side by
side, the CSV; defaults, empty states and links."""

from __future__ import annotations

import datetime as dt
import shutil

from apphelpers import AS_OF, BUNDLED, chart_configs, charts, messages, open_page, rerun, same_view, shown, texts

from stances import analysis, changes
from stances.load import load_dataset

PAGE = "pages/changes_page.py"


def window(path, as_of=AS_OF):
    frame = analysis.positions_frame(load_dataset(path))
    return frame, changes.default_window(frame, ["official"], dt.date.fromisoformat(as_of))


def test_defaults_to_the_year_up_to_the_newest_statement(bundled):
    frame, (start, end) = window(bundled)
    at = open_page(PAGE, {"asof": AS_OF})
    assert (at.date_input(key="ch_from").value, at.date_input(key="ch_to").value) == (start, end)
    found = changes.stance_changes(frame, start, end, ["official"])
    [spec] = charts(at)
    assert spec["layout"]["title"]["text"].startswith(f"What changed, {start} to {end}: ")
    [after] = [t for t in spec["data"] if t.get("name") == "after"]
    assert len(after["x"]) == len(found.table) >= 1


def test_a_link_with_dates_and_issues_shows_those_changes_side_by_side(bundled):
    frame, _ = window(bundled)
    params = {"asof": AS_OF, "from": "2010-01-01", "to": "2024-06-30", "issues": ["us-nato-bmd-europe"]}
    at = open_page(PAGE, params)
    found = changes.stance_changes(
        frame, dt.date(2010, 1, 1), dt.date(2024, 6, 30), ["official"], ["us-nato-bmd-europe"]
    )
    headings = [t for t in texts(at) if " · US/NATO missile defence in Europe: " in t]
    assert len(headings) == len(found.table) >= 2
    assert any(t == "No position before this date." for t in texts(at))
    [button] = at.get("download_button")[-1:]
    assert button.proto.label == f"Download the {len(found.table)} changes (CSV)"
    [config] = chart_configs(at)
    assert config["toImageButtonOptions"]["filename"] == "changes-2010-01-01-2024-06-30-us-nato-bmd-europe"


def test_many_changes_list_ten_until_asked(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "from": "2000-01-01", "to": AS_OF})

    def headings():
        return [t for t in texts(at) if ": appeared" in t or ": moved from " in t or ": lapsed " in t]

    assert len(headings()) == 10
    at.toggle(key="ch_all").set_value(True)
    rerun(at)
    assert len(headings()) > 10


def test_dates_in_the_wrong_order_or_without_change_are_explained(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "from": "2020-01-01", "to": "2019-01-01"})
    assert charts(at) == []
    assert any("must come before" in m for m in messages(at, "info"))
    at = open_page(PAGE, {"asof": AS_OF, "from": "1990-01-01", "to": "1991-01-01"})
    assert any(m.startswith("No stance changed between 1990-01-01 and 1991-01-01") for m in messages(at, "info"))


def test_a_bad_date_in_the_link_is_dropped_with_a_notice(bundled):
    _, (start, _) = window(bundled)
    at = open_page(PAGE, {"asof": AS_OF, "from": "2013-02-30"})
    assert at.date_input(key="ch_from").value == start
    assert any("from=2013-02-30" in shown(w) for w in messages(at, "warning"))


def test_link_round_trip(bundled):
    first = open_page(PAGE, {"asof": AS_OF})
    first.date_input(key="ch_from").set_value(dt.date(2012, 1, 1))
    first.multiselect(key="ch_issues").set_value(["us-nato-bmd-europe", "thaad-korea"])
    rerun(first)
    second = same_view(first, PAGE)
    assert second.date_input(key="ch_from").value == dt.date(2012, 1, 1)
    assert second.multiselect(key="ch_issues").value == ["us-nato-bmd-europe", "thaad-korea"]
    assert charts(second)[0]["data"] == charts(first)[0]["data"]


# A statement added after a link was shared, dated between the newest one as of the link's as-of
# date (2024-05-01 in the bundled file) and that date: it moves the page's default window.
LATER_STATEMENT = """  - actor: IRN
    issue: us-bmd-middle-east
    stance: -1
    date: 2024-06-15
    speaker: "Test speaker"
    role: "Test role"
    voice: official
    quote: "A test statement added after the link was made."
    source: thehill-zarif-posturing-2019
"""


def test_a_link_opens_the_same_window_after_a_statement_is_added_before_its_date(tmp_path, use_dataset):
    """The default window is the data's choice (a year up to the newest statement): the link names
    its dates, so a statement added later, dated before the link's as-of date, does not move it."""
    copy = tmp_path / "positions.yaml"
    shutil.copyfile(BUNDLED, copy)
    use_dataset(copy)
    first = open_page(PAGE, {"asof": AS_OF})
    link = dict(first.query_params)
    assert (link["from"], link["to"]) == ("2023-05-01", "2024-05-01")
    with copy.open("a", encoding="utf-8") as out:
        out.write(LATER_STATEMENT)
    moved = open_page(PAGE, {"asof": AS_OF})  # a new visit without the link opens the new default
    assert (moved.query_params["from"], moved.query_params["to"]) == ("2023-06-15", "2024-06-15")
    second = open_page(PAGE, link)
    assert (second.query_params["from"], second.query_params["to"]) == (link["from"], link["to"])
    assert [trace["y"] for trace in charts(second)[0]["data"]] == [trace["y"] for trace in charts(first)[0]["data"]]
    assert any("older revision" in m for m in messages(second, "info"))  # and it says the data changed
