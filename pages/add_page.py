"""Add a position: a guided form that shows the exact YAML it adds, and appends it where allowed.

The form works on the file as it was when the page loaded (its sha256 is kept): the preview is
made from those bytes, and appending refuses if the file changed on disk since. The file is read
for appending once (append.prepare); each change of the form checks only the new records
(append.preview_plan), and the click on Append plans again with a full parse-back of the new
file before writing. Text typed into the form is shown only through st.code and st.text, never
as Markdown.
"""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import streamlit as st

import ui
from stances import append, evidence, pageviews, views
from stances.cli import read_only
from stances.load import parse_dataset
from stances.model import VOICES, Dataset

NEW = "\x00new"  # the "New ..." choice of a select (no id can hold a NUL)
VOICE_CAPTIONS = [
    "speaks for a government or bloc: minister, spokesperson, head of state, a summit declaration",
    "an analyst or former official speaking for themselves",
    "the source's own paraphrase: the quote is the source's sentence, not the speaker's words",
]


def load_form_file(path: str) -> None:
    """Keep the file's bytes (and their parse) as the form's starting point."""
    st.session_state.pop("add_file_error", None)
    try:
        data = append.read_for_append(path)
    except append.AppendError as exc:
        st.session_state["add_file"] = None
        st.session_state["add_file_error"] = str(exc)
        return
    current = ui.load(path).current
    same = current is not None and current.content_hash == append.fingerprint(data)
    dataset = current if same else parse_dataset(data, label=path)
    try:
        layout: append.Layout | str = append.prepare(data, label=path)
    except append.AppendError as exc:
        layout = str(exc)  # shown where the preview would be
    st.session_state["add_file"] = (path, data, dataset, layout)


def file_changed(path: str, data: bytes) -> bool:
    """Whether the file on disk no longer holds ``data``: hashed again only when its stamp moved
    (hashing a 52 MB file took ~0.3 s of every rerun of this page)."""
    stamp = ui.file_stamp(path)
    if stamp is not None and st.session_state.get("add_file_stamp") == (path, stamp):
        return False
    try:
        changed = append.fingerprint(Path(path).read_bytes()) != append.fingerprint(data)
    except OSError:
        return True
    if not changed:
        st.session_state["add_file_stamp"] = (path, stamp)
    return changed


def preview(layout: append.Layout, records: dict, dataset: Dataset) -> append.Plan:
    """append.preview_plan, kept for the session until the form or the file changes (at 100,000
    positions it takes ~0.2 s, mostly building the new file's 52 MB; a rerun that changes neither
    costs nothing). Only what the page shows is kept, not the file's bytes."""
    key = (dataset.content_hash, dt.date.today(), json.dumps(records, sort_keys=True, default=str))
    kept = st.session_state.get("add_preview")
    if kept is not None and kept[0] == key:
        return kept[1]
    plan = dataclasses.replace(append.preview_plan(layout, records, dataset), old=b"", new=b"")
    st.session_state["add_preview"] = (key, plan)
    return plan


def labels(names: dict[str, str]) -> dict[str, str]:
    """id -> "name (ID)" for a select."""
    return pageviews.labelled(names, names)


def pick(label: str, key: str, ids: dict[str, str], new_label: str | None, **kwargs) -> str | None:
    """A select over ids (id -> label) with an optional "New ..." choice; None until chosen."""
    options = [*ids, NEW] if new_label else list(ids)
    if st.session_state.get(key) not in (*options, None):
        st.session_state[key] = None  # the id is gone after a reload
    labels = {**ids, NEW: new_label or ""}
    return st.selectbox(label, options, index=None, key=key, format_func=labels.__getitem__, **kwargs)


def new_fields(kind: str, fields: dict[str, str]) -> dict[str, str]:
    """Text inputs for a new actor, issue or source (field -> help)."""
    columns = st.columns(2)
    return {
        name: columns[i % 2].text_input(f"New {kind}: {name}", key=f"add_new_{kind}_{name}", help=help)
        for i, (name, help) in enumerate(fields.items())
    }


def field_name(loc: str) -> str:
    """``positions[3].stance`` -> ``stance``; ``actors[2].name`` -> ``new actor name``."""
    section, _, field = loc.partition(".")
    kind = section.split("[", 1)[0]
    return field if kind == "positions" else f"new {kind.removesuffix('s')} {field}"


def on_append(records: dict, path: str, context: str = "") -> None:
    """Plan the records shown on screen with the full parse-back, write them; remember the outcome."""
    _, _, dataset, layout = st.session_state["add_file"]
    try:
        plan = append.plan_append(layout, records, old=dataset)
        if not plan.valid:
            problems = "\n".join(f"{field_name(p.loc)}: {p.message}" for p in plan.errors)
            st.session_state["add_result"] = ("error", problems)
            return
        append.write_plan(plan, path)
    except append.FileChanged as exc:
        st.session_state["add_result"] = ("changed", str(exc))
        return
    except append.AppendError as exc:
        st.session_state["add_result"] = ("error", str(exc))
        return
    st.session_state["add_result"] = ("ok", plan.describe() + archive_context(records, path, context, dataset))
    for kind in ("actor", "issue", "source"):  # a new record now exists: select it
        new_id = st.session_state.get(f"add_new_{kind}_id", "").strip()
        if st.session_state.get(f"add_{kind}") == NEW and new_id:
            st.session_state[f"add_{kind}"] = new_id
            for key in [k for k in st.session_state if k.startswith(f"add_new_{kind}_")]:
                st.session_state[key] = ""
    for key in ("add_quote", "add_translation", "add_note", "add_context"):  # a second click cannot add it twice
        st.session_state[key] = ""
    load_form_file(path)


def archive_context(records: dict, path: str, context: str, dataset: Dataset) -> str:
    """Keep the quote's paragraph in the source's evidence archive; what happened, as a line."""
    if not context.strip():
        return ""
    try:
        return "\n" + evidence.archive_added_context(path, records, context, dataset).describe()
    except evidence.WriteRefused as exc:
        return f"\nThe context paragraph was not archived: {exc}"


def show_result() -> None:
    """The outcome of the last Append click."""
    outcome, message = st.session_state.pop("add_result", (None, ""))
    if outcome == "ok":
        st.success("Added. The dashboard shows the new position now (open any page).", icon=":material/check:")
        st.text(message)
    elif outcome == "changed":
        st.error(
            "Nothing was written: the file changed on disk since this form was loaded.", icon=":material/sync_problem:"
        )
        st.text(message)
    elif outcome == "error":
        st.error("Nothing was written.", icon=":material/error:")
        st.text(message)


path = ui.dataset_path()
st.title("Add a position")
st.caption(
    "Pick or type each field; the YAML below is exactly what will be added at the end of each list, nothing "
    "else in the file changes. See docs/adding-positions.md for the codebook."
)
if st.session_state.get("add_file") is None or st.session_state["add_file"][0] != path:
    load_form_file(path)
if st.session_state.get("add_file") is None:
    st.error("The positions file cannot be read, so nothing can be added.")
    st.text(st.session_state.get("add_file_error", ""))
    st.stop()
_, data, dataset, layout = st.session_state["add_file"]
dataset: Dataset
show_result()
changed_on_disk = file_changed(path, data)
if changed_on_disk:
    st.warning(
        "The file changed on disk since this form was loaded: reload it before appending.",
        icon=":material/sync_problem:",
    )
    st.button("Reload the file", on_click=load_form_file, args=(path,))

new_actor: dict = {}
new_issue: dict = {}
new_source: dict = {}
st.subheader("Who said it")
actor = pick("Actor", "add_actor", labels(dataset.actor_names()), "New actor…")
if actor == NEW:
    new_actor = new_fields(
        "actor", {"id": "ISO 3166-1 alpha-3 for a country (FRA); upper case for a bloc", "name": "as shown in charts"}
    )
    new_actor["kind"] = st.radio("New actor: kind", ["country", "bloc"], horizontal=True, key="add_new_actor_kind")
    if new_actor["kind"] == "bloc":
        new_actor["members"] = st.multiselect(
            "New actor: members", [a.id for a in dataset.actors], key="add_new_actor_members"
        )
joint_with = st.multiselect(
    "Joint statement with",
    [a for a in labels(dataset.actor_names()) if a != actor],
    format_func=labels(dataset.actor_names()).get,
    key="add_joint_with",
    help="Only for a statement signed by several actors (a joint declaration): every other signatory. "
    "Each signatory then holds the stance.",
)
left, right = st.columns(2)
speaker = left.text_input("Speaker", key="add_speaker", help="Who said it, as named by the source.")
role = right.text_input("Role", key="add_role", help="The speaker's office or affiliation at the time.")
voice = st.radio("Voice", VOICES, captions=VOICE_CAPTIONS, key="add_voice", horizontal=True)

st.subheader("What was said")
issue = pick("Issue", "add_issue", labels(dataset.issue_titles()), "New issue…")
if issue == NEW:
    new_issue = new_fields(
        "issue",
        {
            "id": "short, lower case: thaad-korea",
            "title": "short, for charts",
            "question": "the proposition a stance of 2 strongly supports",
        },
    )
scale = {s: f"{s} · {dataset.scale.label(s)}" for s in sorted(dataset.scale.labels, reverse=True)}
stance = st.selectbox(
    "Stance",
    [*scale, "null"],
    index=None,
    key="add_stance",
    format_func=lambda s: scale.get(s, "null · declined to state"),
    help="How far the quote agrees with the issue's proposition. "
    "null: the speaker explicitly declined to take a position.",
)
date = st.text_input(
    "Date",
    key="add_date",
    placeholder="2013-03-15, 2013-03 or 2013",
    help="When it was said: YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source.",
)
quote = st.text_area(
    "Quote",
    key="add_quote",
    help="Copied character for character from the source, in its own language; ... marks an omission. "
    "Never a paraphrase or your translation.",
)
context = st.text_area(
    "Context paragraph (optional)",
    key="add_context",
    help="The source's paragraph that holds the quote, copied as published. It is kept in "
    "evidence/<source id>.txt beside the positions file, so that readers see the quote in context "
    "and `python -m stances verify` can check it.",
)
if why := evidence.context_problem(quote, context):
    st.error(f"Context paragraph: {why}.", icon=":material/rule:")
language = st.text_input(
    "Language of the quote", value="en", key="add_language", max_chars=2, help="ISO 639-1: en, fr, ru, zh, ko, ja ..."
)
with st.expander("Published translation (only if the source or another source published one)"):
    translation = st.text_area("Translation", key="add_translation")
    translation_source = pick(
        "Source of the translation",
        "add_translation_source",
        labels({s.id: s.publisher for s in dataset.sources}),
        None,
    )

st.subheader("Where it was published")
source = pick("Source", "add_source", labels({s.id: s.publisher for s in dataset.sources}), "New source…")
if source == NEW:
    new_source = new_fields(
        "source",
        {
            "id": "publisher-date: kremlin-2016-05-13",
            "publisher": "who published it",
            "title": "as published",
            "date": "publication date",
            "url": "https://..., exactly as found",
            "author": "if named",
        },
    )
note = st.text_area("Note (coding rationale)", key="add_note")

position = {
    "actor": new_actor.get("id", "") if actor == NEW else actor,
    "issue": new_issue.get("id", "") if issue == NEW else issue,
    "date": date, "speaker": speaker, "role": role, "voice": voice, "quote": quote,
    "language": "" if language.strip() == "en" else language,
    "translation": translation, "translation_source": translation_source,
    "source": new_source.get("id", "") if source == NEW else source,
    "note": note,
}  # fmt: skip
if joint_with:
    # a new actor's fields take the last signatory's id (append.clean_records)
    signatories = [*joint_with, position["actor"]] if actor == NEW else [position["actor"], *joint_with]
    position["actors"], position["actor"] = signatories, ""
if stance is not None:
    position["stance"] = None if stance == "null" else stance
records = append.clean_records(
    position,
    actor={k: v for k, v in new_actor.items() if k != "id"} if actor == NEW else None,
    issue={k: v for k, v in new_issue.items() if k != "id"} if issue == NEW else None,
    source={k: v for k, v in new_source.items() if k != "id"} if source == NEW else None,
)
try:
    if isinstance(layout, str):
        raise append.CannotAppend(layout)
    plan = preview(layout, records, dataset)
except (append.AppendError, ValueError) as exc:
    st.error("This file cannot take a new record as it is; nothing can be appended.", icon=":material/error:")
    st.text(str(exc))
    st.stop()

st.subheader("The YAML to add")
for block in plan.blocks:
    st.text(f"At the end of the {block.section}: list (it becomes lines {block.first_line}-{block.last_line}):")
    st.code(block.text.replace("\r\n", "\n"), language="yaml")
for change in plan.changed:
    st.warning(
        f"The list is written as an empty inline list, so line {change.line} changes too: "
        "its [] is removed so that items can follow.",
        icon=":material/edit_note:",
    )
    st.code(f"before: {change.before}\nafter:  {change.after}", language=None)
missing = [field_name(p.loc) for p in plan.errors if p.type == "missing-key"]
others = [p for p in plan.problems if p.type != "missing-key"]
if missing:
    st.info(f"Still to fill in: {', '.join(missing)}.", icon=":material/edit:")  # our own field names
if others:
    st.error(f"{len(others)} problem(s) to fix before appending:", icon=":material/rule:")
    st.text("\n".join(f"{field_name(p.loc)}: {p.message}" + (f" ({p.hint})" if p.hint else "") for p in others))
if plan.valid:
    st.success("The record is valid.", icon=":material/check_circle:")

name = views.escape_markdown(Path(path).name)
if read_only():
    st.info(
        "Writing is turned off here (STANCES_READ_ONLY=1, the setting for shared deployments). "
        "Copy the block above into the file by hand, or run the app locally to append it.",
        icon=":material/lock:",
    )
    st.button(f"Append to {name}", disabled=True, key="add_append")
else:
    st.button(
        f"Append to {name}",
        type="primary",
        disabled=not plan.valid or changed_on_disk or why is not None,
        on_click=on_append,
        args=(records, path, context),
        key="add_append",
    )
