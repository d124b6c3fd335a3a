"""Compare: two to four actors side by side, a bar per issue, and the quotes behind each stance."""

import pandas as pd
import streamlit as st

import ui
from stances import analysis, charts, views
from stances.caption import Caption, describe_selection
from stances.tables import http_link

ctx = ui.context()
dataset, filters = ctx.dataset, ctx.filters
names, titles = dataset.actor_names(), dataset.issue_titles()
st.title("Compare")
st.caption("Bars to the right support the issue's proposition, bars to the left oppose it.")

voiced = analysis.filter_voices(ctx.frame, filters.voices)
actor_options = ui.options_for(views.actor_ids(dataset, ctx.frame), lambda a: names.get(a, a))
issue_options = ui.options_for(views.issue_ids(dataset, ctx.frame), lambda i: titles.get(i, i))
left, right = st.columns(2)
with left:
    actors = ui.pick_many(
        "Actors (2 to 4)",
        "cmp_actors",
        actor_options,
        analysis.default_actors(voiced, 2),
        param="actors",
        max_selections=4,
    )
with right:
    issues = ui.pick_many("Issues", "cmp_issues", issue_options, [], param="issues", placeholder="All issues")
ui.write_url(ctx, actors=actors, issues=issues)

latest = analysis.latest_stances(ctx.frame, filters.as_of, filters.voices)
rows = latest[latest["actor"].isin(actors) & (latest["issue"].isin(issues) if issues else True)]
shown_issues = issues or analysis.issues_with_positions(rows)
if ctx.frame.empty:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
    st.stop()
if len(analysis.actors_with_positions(ctx.frame)) < 2:
    ui.empty("The dataset has positions from only one actor so far: a comparison needs at least two.")
if not actors:
    ui.empty("No actor is selected: choose two to four actors above.")
    st.stop()
if len(actors) == 1:
    ui.empty("Choose a second actor to compare with.")
if rows.empty:
    ui.empty("None of these actors has a position dated on or before the as-of date for the selected voices.")
    st.stop()

title = " vs ".join(names.get(a, a) for a in actors) + ": stated positions"
caption = Caption.for_rows(dataset, rows, title, describe_selection(filters.as_of, filters.voices))
ui.chart(
    charts.compare_bars(rows, actors, shown_issues, dataset.scale, caption),
    views.export_filename("compare", actors, filters.as_of),
)

st.subheader("What they said")
for issue in shown_issues:
    st.markdown(f"**{views.escape_markdown(titles.get(issue, issue))}**")
    for column, actor in zip(st.columns(len(actors)), actors, strict=True):
        said = rows[(rows["actor"] == actor) & (rows["issue"] == issue)]
        with column, st.container(border=True):
            st.caption(views.escape_markdown(names.get(actor, actor)))
            if said.empty:
                st.text("No position up to this date.")
            for _, row in said.iterrows():
                st.text(charts.stance_text(None if pd.isna(row["stance"]) else int(row["stance"]), dataset.scale))
                st.text(f"“{row['quote']}” {views.language_tag(row['language'])}")
                if row["translation"]:
                    st.text(f"Published translation: “{row['translation']}”")
                st.text(f"{row['speaker']}, {row['role']} · {row['date']} · {row['voice']}")
                if link := http_link(row["source_url"]):
                    st.link_button(f"Source: {views.escape_markdown(views.clip(row['source_publisher'], 50))}", link)
                else:
                    st.text(f"Source: {row['source_publisher']}")
