"""Map: where countries stand on one issue, as of the sidebar's date; blocs listed beside the map."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers, tableviews

ctx = ui.context()
filters = ctx.filters
st.title("Map")
st.caption(
    "Countries coloured by their latest stated stance; grey land has no position. The map shows the region that "
    "holds the issue's countries: a dot marks a country too small to see, and countries outside the view are "
    "named under it. A pale country's stance is older than the years set in the sidebar. Hover for the quote "
    "and its date."
)

choices = ui.memo(ctx, pickers.map_choices, filters.voices)
default_issue = choices.default_issues[0] if choices.default_issues else None
left, right = st.columns([3, 2])
with left:
    issue = ui.pick_one("Issue", "map_issue", choices.issues, default_issue, param="issue")
regions = ui.memo(ctx, pickers.map_regions, filters.as_of, filters.voices, issue)
# Another issue starts from the region that fits it; so does a region still at the fitting one when
# the date or voices move it. The link carries a region only when it is not the fitting one.
if "map_region" in st.session_state and (
    st.session_state.get("_map_issue") != issue or st.session_state["map_region"] == st.session_state.get("_map_fits")
):
    st.session_state["map_region"] = regions.default
st.session_state["_map_issue"], st.session_state["_map_fits"] = issue, regions.default
with right:
    region = ui.pick_one(
        "Region",
        "map_region",
        regions.options,
        regions.default,
        param="region",
        help="Automatic: the region that holds most of the issue's countries, or the world when they are spread out.",
    )
chosen = region if region != regions.default else None
ui.write_url(ctx, issue=issue, region=region)

view = ui.memo(ctx, chartviews.map_view, filters.as_of, filters.voices, issue, chosen, filters.fade_years)
if view.figure is None:
    ui.empty(view.empty)
    st.stop()
ui.chart(view, filenames.export_filename("map", view.selection, filters.as_of))
ui.quote_context(ctx, view.rows, key="map")
if not view.blocs.empty:
    st.subheader("Blocs (not drawn on the map)")
    st.dataframe(
        view.blocs,
        hide_index=True,
        width="stretch",
        # rows tall enough for the longest members list (or speaker) wrapped whole, as on Quotes
        row_height=tableviews.wrapped_row_height(view.blocs, ("members", "speaker")),
        column_config={
            "members": st.column_config.TextColumn("members", width=tableviews.QUOTE_WIDTH_PX),
            "speaker": st.column_config.TextColumn("speaker", width=tableviews.QUOTE_WIDTH_PX),
        },
    )
st.caption(view.counts)
