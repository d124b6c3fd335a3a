"""What changed: every actor whose stance on an issue moved, appeared or lapsed between two dates."""

import functools

import streamlit as st

import ui
from stances import filenames, issueviews, pickers, tables

SHOWN_FIRST = 10  # changes listed before asking: each card is 11 elements sent on every rerun (20 made a click 1.6x)
SHOWN_MAX = 200  # changes listed at most: more are a page no one scrolls (the CSV has them all)

ctx = ui.context()
filters = ctx.filters
st.title("What changed")
st.caption(
    "Each actor's stance on each issue on the first date against its stance on the second (its latest "
    "statement on or before each). A stance moved; appeared (first stated, or stated after declining); or "
    "lapsed (a later statement declined to take one). One that moved and came back in between shows no "
    "change: see Timeline."
)

choices = ui.memo(ctx, pickers.changes_choices, filters.as_of, filters.voices)
start_column, end_column, issue_column = st.columns([1, 1, 2])
with start_column:
    start = ui.date_from_url("From", "ch_from", param="from", default=choices.default_start, format="YYYY-MM-DD")
with end_column:
    end = ui.date_from_url(
        "To",
        "ch_to",
        param="to",
        default=choices.default_end,
        format="YYYY-MM-DD",
        help="By default the newest statement, and From a year before it.",
    )
with issue_column:
    issues = ui.pick_many("Issues", "ch_issues", choices.issues, [], param="issues", placeholder="All issues")
ui.write_url(ctx, issues=issues, **{"from": start, "to": end})

view = ui.memo(ctx, issueviews.changes_view, filters.voices, start, end, tuple(issues))
if view.figure is None:
    ui.empty(view.empty)
    st.stop()
name = filenames.export_filename("changes", view.selection, None)
ui.chart(view, name)
ui.quote_context(ctx, view.rows, key="ch")

st.subheader("Before and after")
changed = len(view.table)
st.download_button(
    f"Download the {changed} changes (CSV)",
    data=functools.partial(tables.csv_bytes, view.table),  # built on click only
    file_name=f"{name}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
shown = min(changed, SHOWN_FIRST)
if changed > SHOWN_FIRST and st.toggle(f"Show {min(changed, SHOWN_MAX)} changes", key="ch_all"):
    shown = min(changed, SHOWN_MAX)
if shown < changed:
    st.caption(f"The first {shown} of {changed} changes: the CSV holds them all.")
cards = issueviews.change_cards(view, ctx.dataset.scale, shown)
for card in cards:
    with st.container(border=True):
        st.text(card.heading)  # data: plain text only
        for column, said, when in zip(st.columns(2), (card.before, card.after), (start, end), strict=True):
            with column:
                st.caption(f"Stance on {when.isoformat()}")
                st.text(said.text() if said else "No position before this date.")
                if said and (link := tables.http_link(said.source_url)):
                    st.link_button("Open the source", link)
