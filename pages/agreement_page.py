"""Agreement: how closely each pair of actors' stated stances match, on the issues they share."""

import streamlit as st

import ui
from stances import agreement, chartviews, filenames, pickers, wording

ctx = ui.context()
filters = ctx.filters
st.title("Agreement")
st.caption(
    "For each pair: the mean over the issues both have a stance on of 1 − |a − b| / "
    f"{ctx.dataset.scale.span} (the width of the scale). 1 = the same stances, 0 = opposite ends. "
    "A pair sharing fewer issues than the minimum gets no score. Rows and columns are ordered so that "
    "actors who agree sit together (Sources & method says how). Declined stances are left out."
)

actor_column, minimum_column = st.columns([4, 1])
with minimum_column:
    min_shared = ui.count_from_url(
        "Minimum shared issues",
        "ag_min_shared",
        param=agreement.MIN_SHARED_PARAM,
        default=agreement.MIN_SHARED_DEFAULT,
        low=1,
        high=agreement.MIN_SHARED_MAX,
        parse=agreement.parse_min_shared,
        help="A pair is scored only when both actors have a stance on at least this many issues: "
        "on one issue the score is 1 or 0 from a single statement each.",
    )
choices = ui.memo(ctx, pickers.agreement_choices, filters.as_of, filters.voices, min_shared)
with actor_column:
    actors = ui.pick_many(
        "Actors",
        "ag_actors",
        choices.actors,
        choices.default_actors,
        param="actors",
        placeholder="Choose actors",
        help=f"By default the {pickers.AGREEMENT_DEFAULT_ACTORS} actors with most stances among those "
        "who share the minimum with someone.",
    )
ui.write_url(ctx, actors=actors, **{agreement.MIN_SHARED_PARAM: min_shared})  # left out at its default

view = ui.memo(ctx, chartviews.agreement_view, filters.as_of, filters.voices, tuple(actors), min_shared)
for note in view.notes:
    ui.empty(note)
if view.figure is None:
    ui.empty(view.empty)
    st.stop()
ui.chart(view, filenames.export_filename("agreement", view.selection, filters.as_of))
st.subheader("Pairs, most shared issues first")
if not view.pairs.empty:
    st.dataframe(
        view.pairs,
        hide_index=True,
        width="stretch",
        column_config={
            "shared issues": st.column_config.NumberColumn("shared issues"),
            "agreement": st.column_config.ProgressColumn(
                "agreement", min_value=0.0, max_value=1.0, format="%.2f", width="small"
            ),
            "issues": st.column_config.TextColumn("issues", width="large"),
        },
    )
left_out = []
if view.too_few:
    verb = "shares" if view.too_few == 1 else "share"
    left_out.append(f"{wording.plural(view.too_few, 'pair')} {verb} fewer than {view.min_shared} issues")
if view.unshared:
    left_out.append(f"{wording.plural(view.unshared, 'pair')} {'shares' if view.unshared == 1 else 'share'} none")
if left_out:
    st.caption(f"Not scored, so not listed: {' and '.join(left_out)}. Their agreement is unknown, not zero.")
