"""Downloaded charts and tables are named after their page, selection and date."""

from __future__ import annotations

import datetime as dt

from stances.filenames import export_filename


def test_export_filename_names_page_selection_and_date():
    assert export_filename("compare", ["RUS", "CHN"], dt.date(2013, 4, 5)) == "compare-rus-chn-2013-04-05"
    long = export_filename("overview", ["a", "b", "c", "d", "e"], None)
    assert long == "overview-a-b-c-and-2-more"
    assert export_filename("map", ["Противоракетная / ПРО"], None) == "map-chart"
