"""Overview: every actor's latest stated stance on each issue, as of the sidebar's date."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers

ctx = ui.context()
filters = ctx.filters
st.title("Overview")
st.caption("Each cell is an actor's latest stated stance on an issue. Hover over a cell for the quote behind it.")

choices = ui.memo(ctx, pickers.overview_choices, filters.as_of, filters.voices)
issue_column, actor_column = st.columns(2)
with issue_column:
    issues = ui.pick_many("Issues", "ov_issues", choices.issues, choices.default_issues, param="issues")
with actor_column:
    actors = ui.pick_many(
        "Actors",
        "ov_actors",
        choices.actors,
        choices.default_actors,
        param="actors",
        placeholder="Choose actors",
        help=f"By default every actor with a stance, or the {pickers.OVERVIEW_DEFAULT_ACTORS} with most "
        "stances when there are more: beyond that the rows are too thin to read.",
    )
ui.write_url(ctx, issues=issues, actors=actors)

view = ui.memo(ctx, chartviews.overview_view, filters.as_of, filters.voices, tuple(issues), tuple(actors))
if view.figure is None:
    ui.empty(view.empty)
else:
    ui.chart(view, filenames.export_filename("overview", view.selection, filters.as_of))
    ui.quote_context(ctx, view.rows, key="ov")
    if missing := view.missing:
        st.caption(f"{len(missing)} chosen issue(s) have no position up to this date and are left out of the chart.")
    if silent := view.silent:
        st.caption(
            f"{len(silent)} chosen actor(s) have no position on these issues up to this date and are left out of "
            "the chart."
        )
