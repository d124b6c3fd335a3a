"""Agreement: how closely each pair of actors' stated stances match, and on how many issues."""

import streamlit as st

import ui
from stances import analysis, charts, views
from stances.caption import Caption, describe_selection

MAX_DEFAULT = 20
ctx = ui.context()
dataset, filters = ctx.dataset, ctx.filters
names = dataset.actor_names()
st.title("Agreement")
st.caption(
    "For each pair: the mean over the issues both have a stance on of 1 − |a − b| / "
    f"{dataset.scale.span} (the width of the scale). 1 = the same stances, 0 = opposite ends; "
    "the small number is how many issues they share. Declined stances are left out."
)

latest = analysis.latest_stances(ctx.frame, filters.as_of, filters.voices)
actor_options = ui.options_for(views.actor_ids(dataset, ctx.frame), lambda a: names.get(a, a))
defaults = analysis.default_actors(latest[latest["stance"].notna()], MAX_DEFAULT)
actors = ui.pick_many("Actors", "ag_actors", actor_options, defaults, param="actors", placeholder="Choose actors")
ui.write_url(ctx, actors=actors)

rows = latest[latest["actor"].isin(actors)]
if ctx.frame.empty:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
elif len(analysis.actors_with_positions(ctx.frame)) < 2:
    ui.empty("The dataset has positions from only one actor so far: agreement needs at least two.")
elif len(actors) < 2:
    ui.empty("Choose at least two actors.")
elif rows["stance"].notna().sum() == 0:
    ui.empty("None of these actors has a stated stance up to the as-of date for the selected voices.")
else:
    pairs = analysis.agreement(rows, dataset.scale.span, actors)
    title = f"Agreement between {views.plural(len(actors), 'actor')} on stated stances"
    caption = Caption.for_rows(dataset, rows, title, describe_selection(filters.as_of, filters.voices))
    ui.chart(charts.agreement_heatmap(pairs, caption), views.export_filename("agreement", actors, filters.as_of))
    unique = pairs[(pairs["actor_a"] < pairs["actor_b"]) & (pairs["shared"] > 0)]
    table = unique.sort_values(["agreement", "shared"], ascending=[False, False])
    st.subheader("Pairs, most aligned first")
    st.dataframe(
        table[["actor_a_name", "actor_b_name", "agreement", "shared"]].rename(
            columns={"actor_a_name": "actor", "actor_b_name": "other actor", "shared": "shared issues"}
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "agreement": st.column_config.ProgressColumn("agreement", min_value=0.0, max_value=1.0, format="%.2f")
        },
    )
    if len(unique) < len(actors) * (len(actors) - 1) // 2:
        st.caption("Pairs with no shared issue are not listed: their agreement is unknown, not zero.")
