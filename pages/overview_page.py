"""Overview: every actor's latest stated stance on each issue, as of the sidebar's date."""

import streamlit as st

import ui
from stances import analysis, charts, views
from stances.caption import Caption, describe_selection

ctx = ui.context()
dataset, filters = ctx.dataset, ctx.filters
titles = dataset.issue_titles()
st.title("Overview")
st.caption("Each cell is an actor's latest stated stance on an issue. Hover over a cell for the quote behind it.")

issue_options = ui.options_for(views.issue_ids(dataset, ctx.frame), lambda i: titles.get(i, i))
issues = ui.pick_many("Issues", "ov_issues", issue_options, analysis.issues_with_positions(ctx.frame), param="issues")
ui.write_url(ctx, issues=issues)

latest = analysis.latest_stances(ctx.frame, filters.as_of, filters.voices)
latest = latest[latest["issue"].isin(issues)]
actors = analysis.actors_with_positions(latest)
if ctx.frame.empty:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
elif not filters.voices:
    ui.empty("No voice is selected: tick at least one voice in the sidebar.")
elif not issues:
    ui.empty("No issue is selected: choose at least one issue above.")
elif latest.empty:
    ui.empty("No position on these issues is dated on or before the as-of date for the selected voices.")
else:
    title = f"Stated positions of {views.plural(len(actors), 'actor')} on {views.plural(len(issues), 'issue')}"
    caption = Caption.for_rows(dataset, latest, title, describe_selection(filters.as_of, filters.voices))
    fig = charts.stance_heatmap(latest, dataset.scale, caption, actors, issues, issue_titles=titles)
    ui.chart(fig, views.export_filename("overview", issues, filters.as_of))
    missing = [i for i in issues if i not in set(latest["issue"])]
    if missing:
        st.caption(f"{len(missing)} chosen issue(s) have no position up to this date and are left out of the chart.")
