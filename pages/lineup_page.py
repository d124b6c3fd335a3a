"""One issue, everyone: every actor placed on the scale for one issue, and their words by stance."""

import streamlit as st

import ui
from stances import filenames, issueviews, pickers
from stances.tables import http_link

SHOWN_PER_STANCE = 5  # statements listed per stance before asking

ctx = ui.context()
filters = ctx.filters
st.title("One issue, everyone")
st.caption(
    "Each actor's latest stated stance on the issue as of the sidebar's date: a dot in its stance's column, "
    "with the year it was stated. Hover over a dot for the quote; every quote is below, grouped by stance."
)

choices = ui.memo(ctx, pickers.lineup_choices, filters.as_of, filters.voices)
default_issue = choices.default_issues[0] if choices.default_issues else None
issue = ui.pick_one(
    "Issue", "lu_issue", choices.issues, default_issue, param="issue", help="By default the issue most actors spoke on."
)
ui.write_url(ctx, issue=issue)

view = ui.memo(ctx, issueviews.lineup_view, filters.as_of, filters.voices, issue, filters.fade_years)
if view.figure is None:  # the chart says it under its title; without one, the page does
    if view.proposition:
        st.text(f"Proposition: {view.proposition}")  # data: plain text, never Markdown
    ui.empty(view.empty)
    st.stop()
ui.chart(view, filenames.export_filename("lineup", view.selection, filters.as_of))
ui.quote_context(ctx, view.rows, key="lu")

st.subheader("What they said, by stance")
# Each statement is three elements, all sent on every rerun: 200 of them made a click cost three
# times what it does for 12 (and 50 still 1.3x); past SHOWN_PER_STANCE a stance lists the rest on request.
statements = sum(len(group.statements) for group in view.groups)
cut = sum(max(0, len(group.statements) - SHOWN_PER_STANCE) for group in view.groups)
show_all = bool(cut) and st.toggle(
    f"Show all {statements} statements", key="lu_all", help=f"Otherwise the first {SHOWN_PER_STANCE} of each stance."
)
if cut and not show_all:
    st.caption(f"The first {SHOWN_PER_STANCE} statements of each stance: switch on “Show all” for the other {cut}.")
for group in view.groups:
    st.markdown(f"#### {group.heading}")  # our own words and numbers only (issueviews.StanceGroup)
    if group.label:
        st.text(group.label)
    for statement in group.statements if show_all else group.statements[:SHOWN_PER_STANCE]:
        with st.container(border=True):
            st.text(statement.text())
            if link := http_link(statement.source_url):
                st.link_button("Open the source", link)
