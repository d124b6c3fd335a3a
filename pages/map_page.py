"""Map: where countries stand on one issue, as of the sidebar's date; blocs listed beside the map."""

import pandas as pd
import streamlit as st

import ui
from stances import analysis, charts, views
from stances.caption import Caption, describe_selection

ctx = ui.context()
dataset, filters = ctx.dataset, ctx.filters
titles = dataset.issue_titles()
st.title("Map")
st.caption("Countries coloured by their latest stated stance; grey land has no position. Hover for the quote.")

issue_options = ui.options_for(views.issue_ids(dataset, ctx.frame), lambda i: titles.get(i, i))
busiest = analysis.issues_with_positions(analysis.filter_voices(ctx.frame, filters.voices)) or list(issue_options)
issue = ui.pick_one("Issue", "map_issue", issue_options, busiest[0] if busiest else None, param="issue")
ui.write_url(ctx, issue=issue)

latest = analysis.latest_stances(ctx.frame, filters.as_of, filters.voices)
rows = latest[latest["issue"] == issue]
if ctx.frame.empty or issue is None:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
    st.stop()
if rows.empty:
    ui.empty("Nobody has a position on this issue dated on or before the as-of date for the selected voices.")
    st.stop()

blocs = rows[rows["actor_kind"] == "bloc"]
title = f"{titles.get(issue, issue)}: where countries stand"
caption = Caption.for_rows(dataset, rows, title, describe_selection(filters.as_of, filters.voices))
fig = charts.stance_map(rows, dataset.scale, caption, topojson_url=views.TOPOJSON_URL)
ui.chart(fig, views.export_filename("map", [issue], filters.as_of))
if not blocs.empty:
    st.subheader("Blocs (not drawn on the map)")
    members = {a.id: ", ".join(a.members or []) for a in dataset.actors}
    table = pd.DataFrame(
        {
            "bloc": blocs["actor_name"],
            "stance": blocs["stance"],
            "meaning": blocs["stance_label"],
            "date": blocs["date"],
            "speaker": blocs["speaker"],
            "members": blocs["actor"].map(members),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
countries = rows[rows["actor_kind"] != "bloc"]
st.caption(
    f"{views.plural(len(countries), 'country')} with a position on this issue, {views.plural(len(blocs), 'bloc')}."
)
