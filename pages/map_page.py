"""Map: where countries stand on one issue, as of the sidebar's date; blocs listed beside the map."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers

ctx = ui.context()
filters = ctx.filters
st.title("Map")
st.caption("Countries coloured by their latest stated stance; grey land has no position. Hover for the quote.")

choices = ui.memo(ctx, pickers.map_choices, filters.voices)
default_issue = choices.default_issues[0] if choices.default_issues else None
issue = ui.pick_one("Issue", "map_issue", choices.issues, default_issue, param="issue")
ui.write_url(ctx, issue=issue)

view = ui.memo(ctx, chartviews.map_view, filters.as_of, filters.voices, issue)
if view.figure is None:
    ui.empty(view.empty)
    st.stop()
ui.chart(view, filenames.export_filename("map", view.selection, filters.as_of))
ui.quote_context(ctx, view.rows, key="map")
if not view.blocs.empty:
    st.subheader("Blocs (not drawn on the map)")
    st.dataframe(view.blocs, hide_index=True, width="stretch")
st.caption(view.counts)
