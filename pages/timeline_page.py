"""Timeline: how each actor's stated stance on one issue changed, a marker for every quote."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers, wording

ctx = ui.context()
filters = ctx.filters
st.title("Timeline")
st.caption(
    "Each step is a new statement; hover over a marker for the quote. A line's colour and symbol name the actor, "
    "a marker's fill is the stance; hollow markers are not official voices. Lines that would hide each other are "
    "set a little apart."
)

choices = ui.memo(ctx, pickers.timeline_choices, filters.voices)
default_issue = choices.default_issues[0] if choices.default_issues else None
issue = ui.pick_one("Issue", "tl_issue", choices.issues, default_issue, param="issue")
on_issue = ui.memo(ctx, pickers.timeline_actor_choices, filters.voices, issue)
if st.session_state.get("_tl_issue") not in (None, issue):
    st.session_state["tl_actors"] = list(on_issue.default_actors)  # another issue: start from its most active
st.session_state["_tl_issue"] = issue
actors = ui.pick_many(
    "Actors", "tl_actors", on_issue.actors, on_issue.default_actors, param="actors", placeholder="Actors with positions"
)
ui.write_url(ctx, issue=issue, actors=actors)

view = ui.memo(ctx, chartviews.timeline_view, filters.voices, issue, tuple(actors))
if view.figure is None:
    ui.empty(view.empty)
else:
    ui.chart(view, filenames.export_filename("timeline", view.selection, filters.as_of))
    ui.quote_context(ctx, view.rows, key="tl")
    st.caption(f"{wording.plural(len(view.rows), 'position')} by {wording.plural(len(actors), 'actor')}.")
