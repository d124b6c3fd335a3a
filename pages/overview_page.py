"""Overview: every actor's latest stated stance on each issue, as of the sidebar's date."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers

ctx = ui.context()
filters = ctx.filters
st.title("Overview")
st.caption(
    "Each cell is an actor's latest stated stance on an issue and the year it was stated (beside it in the "
    "PNG image, under it here while the rows have room). Hover over a cell for the quote behind it and its date."
)

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

view = ui.memo(
    ctx, chartviews.overview_view, filters.as_of, filters.voices, tuple(issues), tuple(actors), filters.fade_years
)
if view.figure is None:
    ui.empty(view.empty)
else:
    ui.chart(view, filenames.export_filename("overview", view.selection, filters.as_of))
    if filters.fade_years:
        st.caption(
            f"Pale cells: stances stated more than {filters.fade_years} years before the as-of date, which may no "
            "longer hold (change the years in the sidebar)."
        )
    for sentence in view.left_out:
        st.text(sentence)  # names from the data: never Markdown
    ui.quote_context(ctx, view.rows, key="ov")
