"""Compare: two to four actors side by side, a bar per issue, and the quotes behind each stance."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers, wording
from stances.tables import http_link

ctx = ui.context()
dataset, filters = ctx.dataset, ctx.filters
st.title("Compare")
st.caption(
    "Bars to the right support the issue's proposition, bars to the left oppose it. The page opens on the two "
    "actors who state a stance on the most of the same issues and, among those, disagree most."
)

choices = ui.memo(ctx, pickers.compare_choices, filters.as_of, filters.voices)
left, right = st.columns(2)
with left:
    actors = ui.pick_many(
        "Actors (2 to 4)", "cmp_actors", choices.actors, choices.default_actors, param="actors", max_selections=4
    )
with right:
    issues = ui.pick_many("Issues", "cmp_issues", choices.issues, [], param="issues", placeholder="All issues")
ui.write_url(ctx, actors=actors, issues=issues)

view = ui.memo(ctx, chartviews.compare_view, filters.as_of, filters.voices, tuple(actors), tuple(issues))
for note in view.notes:
    ui.empty(note)
if view.figure is None:
    ui.empty(view.empty)
    st.stop()
ui.chart(view, filenames.export_filename("compare", view.selection, filters.as_of))
ui.quote_context(ctx, view.rows, key="cmp")

st.subheader("What they said")
names, titles, said = dataset.actor_names(), dataset.issue_titles(), view.said
quoted = view.issues
# a page of quotes, not one per issue of a big dataset (40 issues x 4 actors is ~700 elements)
many = len(quoted) > chartviews.COMPARE_QUOTED_ISSUES
if many and not st.toggle(f"Show the quotes on all {len(quoted)} issues", key="cmp_all_quotes"):
    quoted = quoted[: chartviews.COMPARE_QUOTED_ISSUES]
    st.caption(
        f"The quotes on the first {len(quoted)} of {len(view.issues)} issues in the chart. "
        "Choose issues above, or switch on the toggle, to read the others."
    )
for issue in quoted:
    st.markdown(f"**{wording.escape_markdown(titles.get(issue, issue))}**")
    for column, actor in zip(st.columns(len(actors)), actors, strict=True):
        with column, st.container(border=True):
            st.caption(wording.escape_markdown(names.get(actor, actor)))
            quotes = said.get((issue, actor), [])
            if not quotes:
                st.text("No position up to this date.")
            for quote in quotes:
                st.text(quote.text(dataset.scale))  # one element a quote: a page of them reruns quicker
                if link := http_link(quote.source_url):
                    st.link_button(f"Source: {wording.escape_markdown(wording.clip(quote.source_publisher, 50))}", link)
                else:
                    st.text(f"Source: {quote.source_publisher}")
