"""Timeline: how each actor's stated stance on one issue changed, a marker for every quote."""

import streamlit as st

import ui
from stances import analysis, charts, views
from stances.caption import Caption, describe_selection

ctx = ui.context()
dataset, filters = ctx.dataset, ctx.filters
names, titles = dataset.actor_names(), dataset.issue_titles()
st.title("Timeline")
st.caption("Each step is a new statement; hover over a marker for the quote. Hollow markers are not official voices.")

issue_options = ui.options_for(views.issue_ids(dataset, ctx.frame), lambda i: titles.get(i, i))
voiced = analysis.filter_voices(ctx.frame, filters.voices)
busiest = analysis.issues_with_positions(voiced) or list(issue_options)
issue = ui.pick_one("Issue", "tl_issue", issue_options, busiest[0] if busiest else None, param="issue")
on_issue = voiced[voiced["issue"] == issue]
defaults = analysis.default_actors(on_issue, 6)
if st.session_state.get("_tl_issue") not in (None, issue):
    st.session_state["tl_actors"] = defaults  # another issue: start from its most active actors
st.session_state["_tl_issue"] = issue
actor_options = ui.options_for(analysis.actors_with_positions(on_issue), lambda a: names.get(a, a))
actors = ui.pick_many(
    "Actors", "tl_actors", actor_options, defaults, param="actors", placeholder="Actors with positions"
)
ui.write_url(ctx, issue=issue, actors=actors)

if ctx.frame.empty or issue is None:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
elif not filters.voices:
    ui.empty("No voice is selected: tick at least one voice in the sidebar.")
elif on_issue.empty:
    ui.empty("Nobody has a recorded position on this issue for the selected voices yet.")
elif not actors:
    ui.empty("No actor is selected: choose at least one actor above.")
else:
    rows = analysis.timeline(ctx.frame, issue, actors, filters.voices)
    title = f"{titles.get(issue, issue)}: stated stances over time"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(None, filters.voices))
    fig = charts.timeline_chart(rows, dataset.scale, caption)
    ui.chart(fig, views.export_filename("timeline", [issue, *actors], filters.as_of))
    st.caption(f"{views.plural(len(rows), 'position')} by {views.plural(len(actors), 'actor')}.")
