"""Overview: every actor's latest stated stance on each issue, as of the sidebar's date."""

import streamlit as st

import ui
from stances import pageviews, views

ctx = ui.context()
filters = ctx.filters
st.title("Overview")
st.caption("Each cell is an actor's latest stated stance on an issue. Hover over a cell for the quote behind it.")

choices = ui.memo(ctx, pageviews.overview_choices)
issues = ui.pick_many("Issues", "ov_issues", choices.issues, choices.default_issues, param="issues")
ui.write_url(ctx, issues=issues)

view = ui.memo(ctx, pageviews.overview_view, filters.as_of, filters.voices, tuple(issues))
if view.figure is None:
    ui.empty(view.empty)
else:
    ui.chart(view.figure, views.export_filename("overview", view.selection, filters.as_of))
    if missing := view.extra["missing"]:
        st.caption(f"{len(missing)} chosen issue(s) have no position up to this date and are left out of the chart.")
