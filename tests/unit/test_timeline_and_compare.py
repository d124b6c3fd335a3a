"""Timeline and Compare at a glance: who is drawn by default, in which colours, and nothing hidden."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from chartdata import CAPTION, SCALE, build

from stances import analysis, charts, palette, pickers
from stances.caption import text_width

AS_OF = dt.date(2024, 1, 1)
VOICES = ("official",)


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --- nudging lines apart ---------------------------------------------------------------------------


def test_markers_close_in_time_on_the_same_row_are_set_apart_and_the_rest_stay_put() -> None:
    tracks = {
        "TUR": ([day("2012-03-01"), day("2014-07-20")], [1, 1]),
        "NATO": ([day("2010-11-01"), day("2012-05-01")], [2, 1]),
        "RUS": ([day("2002-01-01"), day("2024-05-01")], [-1, -2]),  # 22 years: two months are ~6 px
    }
    nudges = charts.timeline_nudges(tracks, declined_y=-3)
    assert nudges["RUS"] == 0  # alone on its rows: exactly on its stance
    assert nudges["TUR"] == -nudges["NATO"] != 0  # spread evenly around the row
    assert abs(nudges["TUR"] - nudges["NATO"]) == charts.NUDGE


def test_overlapping_flat_steps_and_declined_markers_count_as_overlaps() -> None:
    flat = {
        "POL": ([day("2010-01-01"), day("2024-11-01")], [2, 1]),
        "CZE": ([day("2015-01-01"), day("2020-01-01")], [2, 2]),  # a step on POL's, years after POL's marker
    }
    assert all(charts.timeline_nudges(flat, declined_y=-3).values())
    apart = {
        "POL": ([day("2010-01-01"), day("2012-01-01")], [2, 1]),
        "CZE": ([day("2015-01-01"), day("2020-01-01")], [2, 2]),  # the same row, later: nothing hidden
    }
    assert not any(charts.timeline_nudges(apart, declined_y=-3).values())
    declined = {
        "IRN": ([day("2000-01-01"), day("2011-09-10")], [-2, None]),
        "IRQ": ([day("2011-09-10")], [None]),
    }
    assert all(charts.timeline_nudges(declined, declined_y=-3).values())


def test_a_crowded_row_spreads_within_a_third_of_a_step() -> None:
    crowd = {f"A{k}": ([day("2015-06-01")], [0]) for k in range(12)}
    nudges = charts.timeline_nudges(crowd, declined_y=-3)
    assert len(set(nudges.values())) == 12  # every marker visible
    assert max(abs(v) for v in nudges.values()) <= charts.NUDGE_MAX
    assert charts.timeline_nudges({"A": ([day("2015-06-01")], [0])}, declined_y=-3) == {"A": 0.0}


def test_timeline_draws_overlapping_actors_apart_says_so_and_colours_actors_off_the_stance_palette() -> None:
    frame = analysis.positions_frame(
        build(
            [
                {"actor": "TUR", "issue": "bmd", "stance": 1, "date": "2012-03"},
                {"actor": "NATO", "issue": "bmd", "stance": 1, "date": "2012-05"},
                {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2002"},
                {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2024"},
            ],
            actors=[
                {"id": "NATO", "name": "NATO", "kind": "bloc"},
                {"id": "RUS", "name": "Russia"},
                {"id": "TUR", "name": "Turkey"},
            ],
        )
    )
    fig = charts.timeline_chart(analysis.timeline(frame, "bmd", None, None), SCALE, CAPTION)
    assert [t.name for t in fig.data] == ["NATO", "Russia", "Turkey"]  # the file's order, not the ids'
    nato, rus, tur = fig.data
    assert list(rus.y) == [-2, -2]
    assert nato.y[0] != tur.y[0] and abs(nato.y[0] - 1) < 0.5 and abs(tur.y[0] - 1) < 0.5
    assert "lines set a little apart where they overlap" in fig.layout.legend.title.text
    stance_colours = {*palette.stance_colours(SCALE).values(), palette.DECLINED_COLOUR}
    lines = [t.line.color for t in fig.data]
    assert lines == list(palette.ACTOR_COLOURS[:3]) and not stance_colours & set(lines)
    assert [t.marker.symbol[0] for t in fig.data] == list(palette.ACTOR_SYMBOLS[:3])


# --- compare ----------------------------------------------------------------------------------------


def test_compare_bars_fill_the_width_with_readable_level_labels(latest: pd.DataFrame) -> None:
    fig = charts.compare_bars(latest, ["RUS", "USA"], None, SCALE, CAPTION)
    low, high = fig.layout.xaxis.range
    assert (high - low) <= (SCALE.high - SCALE.low) * 1.2  # not a third of padding
    assert fig.layout.xaxis.tickangle == 0  # never turned into the footer
    assert all(t.constraintext == "none" for t in fig.data)  # bar text stays 11 px
    widest = max(text_width(line, 12) for tick in fig.layout.yaxis.ticktext for line in tick.split("<br>"))
    assert widest <= fig.layout.margin.l <= widest + 40  # room for the issue names, and no more


def test_compare_bar_text_fits_its_bar_in_a_560_px_column() -> None:
    """1024 px with the sidebar open leaves the chart about 560 px: a name and a number still fit a bar."""
    positions = [
        {"actor": a, "issue": "a-long-issue", "stance": s}
        for a, s in (("USA", 1), ("NATO", -1), ("RUS", -2), ("CHN", 2))
    ]
    actors = [
        {"id": "USA", "name": "United States"},
        {"id": "NATO", "name": "North Atlantic Treaty Organization", "kind": "bloc"},
        {"id": "RUS", "name": "Russia"},
        {"id": "CHN", "name": "China"},
    ]
    issues = [{"id": "a-long-issue", "title": "US/NATO missile defence in Europe", "question": "Q?"}]
    latest = analysis.latest_stances(analysis.positions_frame(build(positions, actors, issues)), None, None)
    fig = charts.compare_bars(latest, ["USA", "NATO", "RUS", "CHN"], None, SCALE, CAPTION)
    low, high = fig.layout.xaxis.range
    px_per_step = (560 - fig.layout.margin.l - fig.layout.margin.r) / (high - low)
    for bar in fig.data:
        assert text_width(bar.text[0], bar.textfont.size) + 6 <= abs(bar.x[0]) * px_per_step, bar.text
    assert [bar.text[0] for bar in fig.data] == ["USA +1", "NATO −1", "Russia −2", "China +2"]
    assert fig.layout.xaxis.title.text == "USA: United States · NATO: North Atlantic Treaty Organization"


# --- defaults ---------------------------------------------------------------------------------------


def dataset_and_frame(positions, actors=None):
    dataset = build(positions, actors=actors)
    return dataset, analysis.positions_frame(dataset)


def test_compare_opens_on_the_pair_sharing_most_issues_that_disagrees_most() -> None:
    positions = [
        *({"actor": "AAA", "issue": f"i{k}", "stance": 2} for k in range(3)),
        *({"actor": "BBB", "issue": f"i{k}", "stance": 2} for k in range(3)),  # agrees with AAA on 3
        *({"actor": "CCC", "issue": f"i{k}", "stance": -2} for k in range(3)),  # opposes both on 3
        *({"actor": "DDD", "issue": f"i{k}", "stance": -2} for k in range(9, 11)),  # shares nothing yet
    ]
    dataset, frame = dataset_and_frame(positions)
    assert pickers.compare_choices(dataset, frame, AS_OF, VOICES).default_actors == ("AAA", "CCC")
    positions.append({"actor": "BBB", "issue": "i9", "stance": 2})  # BBB and DDD share one issue, opposed
    positions += [{"actor": "BBB", "issue": f"j{k}", "stance": 1} for k in range(2)]
    positions += [{"actor": "CCC", "issue": f"j{k}", "stance": 1} for k in range(2)]  # BBB-CCC share 5: most
    dataset, frame = dataset_and_frame(positions)
    assert pickers.widest_pair(dataset, frame, AS_OF, VOICES) == ("BBB", "CCC")


def test_compare_without_a_shared_issue_opens_on_the_two_with_most_positions() -> None:
    positions = [{"actor": "AAA", "issue": "i1", "stance": 1}, {"actor": "BBB", "issue": "i2", "stance": -1}]
    positions.append({"actor": "BBB", "issue": "i3", "stance": -1})
    dataset, frame = dataset_and_frame(positions)
    assert pickers.widest_pair(dataset, frame, AS_OF, VOICES) == ("BBB", "AAA")


def test_timeline_shows_every_actor_up_to_eight_in_the_files_order() -> None:
    ids = [f"A{k:02d}" for k in range(10)]
    actors = [{"id": a, "name": a} for a in reversed(ids)]  # the file lists A09 first
    dataset, frame = dataset_and_frame([{"actor": a, "issue": "bmd", "stance": 1} for a in ids[:8]], actors)
    assert pickers.timeline_actor_choices(dataset, frame, VOICES, "bmd").default_actors == tuple(reversed(ids[:8]))
    busy = [{"actor": a, "issue": "bmd", "stance": 1} for a in ids]
    busy += [{"actor": "A00", "issue": "bmd", "stance": 2, "date": "2014"}]  # A00 speaks twice
    dataset, frame = dataset_and_frame(busy, actors)
    chosen = pickers.timeline_actor_choices(dataset, frame, VOICES, "bmd").default_actors
    # the most active first, then the ties that come first in the file; shown in the file's order
    assert chosen == ("A09", "A08", "A07", "A06", "A05", "A04", "A03", "A00")
