"""Sources & method: the data to download, where every quote comes from, the scale, the voices
and how stances are coded."""

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from stances import agreement, opendata, tableviews, wording

DOCS = Path(__file__).resolve().parent.parent / "docs"
ctx = ui.context()
ui.write_url(ctx)
dataset = ctx.dataset
st.title("Sources & method")

st.header("Download the data")
st.download_button(
    "Download the dataset (CSV tables, zip)",
    data=functools.partial(opendata.dataset_zip, dataset),  # built on click only, in its own thread
    file_name=opendata.zip_name(dataset),
    mime="application/zip",
    on_click="ignore",
    icon=":material/download:",
)
st.caption(
    "Every record, every voice and every date as CSV tables: actors, bloc members, issues, sources, the "
    "scale and positions (one row per signatory of a joint statement, with the statement's number and "
    "all its signatories), with a datapackage.json that gives each column's type and meaning and the "
    "keys joining the tables (a Frictionless Data Package). A date the source gives only to the month "
    "reads 2013-03-XX, so that spreadsheets keep it as text; languages are ISO 639-1 codes; a cell a "
    "spreadsheet would run as a formula starts with '. The same files, from the command line:"
)
st.code("python -m stances export --format csv --out DIR", language="bash")

st.header("Sources")
sources = ui.memo(ctx, tableviews.sources_table)
if sources.empty:
    ui.empty("The dataset has no sources yet.")
else:
    st.dataframe(
        sources,
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn("link", display_text="open")},
        placeholder="",  # an empty cell, never "None"
    )

st.header("Issues")
st.caption(
    "Each issue is a proposition; a stance says how far a statement agrees with it. The anchors of each "
    "step of the scale, issue by issue, are in the codebook below."
)
issues = ui.memo(ctx, tableviews.issues_table)
if issues.empty:
    ui.empty("The dataset has no issues yet.")
else:
    st.dataframe(issues, hide_index=True, width="stretch", placeholder="")

st.header("The stance scale")
st.caption("Each position is coded on this scale: how far the statement supports the issue's proposition.")
scale = pd.DataFrame({"stance": list(dataset.scale.labels), "meaning": list(dataset.scale.labels.values())})
scale.loc[len(scale)] = [None, "declined to state (null): shown, but left out of agreement"]
st.dataframe(scale.astype({"stance": "Int64"}), hide_index=True, placeholder="")

st.header("Voices")
voices = pd.DataFrame({"voice": list(wording.VOICE_LABELS), "shown as": list(wording.VOICE_LABELS.values())})
voices["who"] = voices["voice"].map(wording.VOICE_HELP)
st.dataframe(voices, hide_index=True, width="stretch", placeholder="")
st.caption("Comparisons use official statements unless you opt in to the others in the sidebar.")

st.header("How stances are coded")
codebook = DOCS / "codebook.md"
if codebook.is_file():  # our own documentation, not data: rendering it as Markdown is intended
    st.markdown(codebook.read_text(encoding="utf-8"))
else:
    st.markdown(
        "Each issue is a proposition. A position records one statement by one actor on one issue, "
        "with the speaker, their role, the date it was made and the verbatim quote. The stance says "
        "how far the statement supports the proposition; where the speaker declined to take a side it "
        "is null. The stance of an actor *as of* a date is its latest position dated on or before it."
    )

st.header("Agreement")
st.markdown(
    "For two actors, agreement is the mean over the issues on which both have a stated stance of "
    "`1 − |a − b| / span`, where `span` is the width of the scale "
    f"({dataset.scale.high - dataset.scale.low} here). 1 means identical stances, 0 opposite ends "
    "of the scale. Pairs with no shared issue have no agreement value rather than zero."
)
st.markdown(agreement.METHOD_NOTE)  # fixed text: the minimum and the matrix's order

st.header("Adding a position")
st.markdown(
    "Positions live in one YAML file that anyone can edit; `docs/adding-positions.md` walks through "
    "adding one, with the quote copied exactly from its source. `python -m stances validate` checks "
    "the file, and the Data health page lists any problem with its line."
)
