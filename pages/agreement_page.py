"""Agreement: how closely each pair of actors' stated stances match, and on how many issues."""

import streamlit as st

import ui
from stances import chartviews, filenames, pickers

ctx = ui.context()
filters = ctx.filters
st.title("Agreement")
st.caption(
    "For each pair: the mean over the issues both have a stance on of 1 − |a − b| / "
    f"{ctx.dataset.scale.span} (the width of the scale). 1 = the same stances, 0 = opposite ends; "
    "the small number is how many issues they share. Declined stances are left out."
)

choices = ui.memo(ctx, pickers.agreement_choices, filters.as_of, filters.voices)
actors = ui.pick_many(
    "Actors", "ag_actors", choices.actors, choices.default_actors, param="actors", placeholder="Choose actors"
)
ui.write_url(ctx, actors=actors)

view = ui.memo(ctx, chartviews.agreement_view, filters.as_of, filters.voices, tuple(actors))
if view.figure is None:
    ui.empty(view.empty)
else:
    ui.chart(view, filenames.export_filename("agreement", view.selection, filters.as_of))
    st.subheader("Pairs, most aligned first")
    st.dataframe(
        view.pairs,
        hide_index=True,
        width="stretch",
        column_config={
            "agreement": st.column_config.ProgressColumn("agreement", min_value=0.0, max_value=1.0, format="%.2f")
        },
    )
    if view.some_unknown:
        st.caption("Pairs with no shared issue are not listed: their agreement is unknown, not zero.")
