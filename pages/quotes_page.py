"""Quotes: every recorded statement, searchable without caring about accents, with its source."""

import functools

import pandas as pd
import streamlit as st

import ui
from stances import filenames, pickers, tableviews, wording
from stances.tables import csv_bytes

# Rows sent to the table: converting every match to Arrow on each click costs seconds at 100,000
# positions, and no one reads that many in a browser; the CSV download holds every match.
SHOWN_MAX = 1000


def _csv(rows: pd.DataFrame) -> bytes:
    """The CSV of every matching row, built only when the download is clicked."""
    return csv_bytes(tableviews.quotes_table(rows))


ctx = ui.context()
frame = ctx.frame
st.title("Quotes")
st.caption(f"Showing {wording.voices_phrase(ctx.filters.voices)} (change voices in the sidebar).")

query = ui.text_from_url("Search", "q_query", param="q", placeholder="Words from a quote, speaker, role or publisher")
choices = ui.memo(ctx, pickers.quotes_choices)
left, middle, right = st.columns(3)
with left:
    actors = ui.pick_many("Actors", "q_actors", choices.actors, [], param="actors", placeholder="All actors")
    issues = ui.pick_many("Issues", "q_issues", choices.issues, [], param="issues", placeholder="All issues")
with middle:
    speakers = ui.pick_many(
        "Speakers",
        "q_speakers",
        {s: s for s in ui.memo(ctx, pickers.speakers)},
        [],
        param="speaker",
        free_text=True,
        placeholder="All speakers",
    )
with right:
    date_from = ui.date_from_url("Said from", "q_from", param="from", default=None, format="YYYY-MM-DD")
    date_to = ui.date_from_url("Said until", "q_to", param="to", default=None, format="YYYY-MM-DD")
ui.write_url(
    ctx,
    q=query.strip(),
    actors=actors,
    issues=issues,
    speaker=speakers,
    **{"from": date_from, "to": date_to},
)

if frame.empty:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
    st.stop()
found = ui.memo(
    ctx,
    tableviews.quotes_view,
    query,
    tuple(actors),
    tuple(issues),
    ctx.filters.voices,
    tuple(speakers),
    date_from,
    date_to,
    SHOWN_MAX,
)
rows = found.rows
st.text(f"{len(rows)} of {len(frame)} positions match.")
if rows.empty:
    ui.empty("No quote matches these filters. Clear the search or widen the filters.")
    st.stop()
if len(rows) > SHOWN_MAX:
    st.caption(
        f"Showing the newest {SHOWN_MAX:,} of {len(rows):,} matching positions: refine the search or "
        "filters, or download the CSV for all of them."
    )
st.dataframe(
    found.table,
    hide_index=True,
    width="stretch",
    column_config={
        "source link": st.column_config.LinkColumn("source link", display_text="open source"),
        "quote": st.column_config.TextColumn("quote", width="large"),
        "stance": st.column_config.NumberColumn("stance", format="%+d"),
    },
)
ui.quote_context(ctx, found.rows, key="q")
st.download_button(
    "Download these quotes (CSV)",
    data=functools.partial(_csv, rows),  # built on click only, in its own thread
    file_name=f"{filenames.export_filename('quotes', [query] if query else [], ctx.filters.as_of)}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
