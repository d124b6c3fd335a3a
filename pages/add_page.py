"""Add a position: a guided form that shows the exact YAML it adds, and appends it where allowed.

The form's choices, records, preview, writes and messages are stances.addform's: this page reads
the widgets, calls it and renders. Text typed into the form is shown only through st.code and
st.text, never as Markdown.
"""

from pathlib import Path

import streamlit as st

import ui
from stances import addform, append, evidence, settings, wording
from stances.addform import NEW, field_help
from stances.model import VOICE_MEANINGS, VOICES

ICONS = {"ok": ":material/check:", "changed": ":material/sync_problem:", "error": ":material/error:"}
HELP = addform.position_help()  # each field's description in the model, plus how to fill it in here


def load_form_file(path: str) -> None:
    """Keep the file's bytes (and their parse) as the form's starting point, or why it cannot be read."""
    try:
        st.session_state["add_file"] = addform.read_form_file(path, ui.load(path).current)
        st.session_state.pop("add_file_error", None)
    except append.AppendError as exc:
        st.session_state["add_file"], st.session_state["add_file_error"] = None, str(exc)


def pick(label: str, key: str, options: dict[str, str], **kwargs) -> str | None:
    """A select over ``options`` (id -> label); None until chosen."""
    if st.session_state.get(key) not in (*options, None):
        st.session_state[key] = None  # the id is gone after a reload
    return st.selectbox(label, list(options), index=None, key=key, format_func=options.__getitem__, **kwargs)


def new_record(kind: str) -> dict:
    """Text inputs for a new actor, issue or source, each with its field's help from the model."""
    columns, section = st.columns(2), addform.SECTION[kind]
    return {
        name: columns[i % 2].text_input(
            f"New {kind}: {name}", key=f"add_new_{kind}_{name}", help=field_help(section, name)
        )
        for i, name in enumerate(addform.NEW_FIELDS[kind])
    }


def on_append(records: dict, context: str) -> None:
    """Append what the form shows; on success pick the records added and clear the quote."""
    form: addform.FormFile = st.session_state["add_file"]
    st.session_state["add_result"] = addform.append_form(form, records, context, on_wait=st.toast)
    if st.session_state["add_result"].kind == "ok":
        addform.after_append(st.session_state)
        load_form_file(form.path)


path = ui.dataset_path()
st.title("Add a position")
st.caption(
    "Pick or type each field; the YAML below is exactly what will be added at the end of each list, nothing "
    "else in the file changes. See docs/adding-positions.md for the codebook."
)
if st.session_state.get("add_file") is None or st.session_state["add_file"].path != path:
    load_form_file(path)
form: addform.FormFile | None = st.session_state.get("add_file")
if form is None:
    st.error("The positions file cannot be read, so nothing can be added.")
    st.text(st.session_state.get("add_file_error", ""))
    st.stop()
dataset, choices = form.dataset, addform.form_choices(form.dataset)
if (outcome := st.session_state.pop("add_result", None)) is not None:
    (st.success if outcome.kind == "ok" else st.error)(outcome.headline, icon=ICONS[outcome.kind])
    st.text(outcome.details)
if changed_on_disk := form.changed_on_disk(ui.file_stamp(path)):
    st.warning(addform.CHANGED_ON_DISK_NOTE, icon=":material/sync_problem:")
    st.button("Reload the file", on_click=load_form_file, args=(path,))

new: dict[str, dict] = {}
fields: dict[str, str | None] = {}
st.subheader("Who said it")
actor = pick("Actor", "add_actor", choices.with_new("actor"), help=HELP["actor"])
if actor == NEW:
    new["actor"] = new_record("actor")
    kind = new["actor"]["kind"] = st.radio(
        "New actor: kind", addform.ACTOR_KINDS, horizontal=True, key="add_new_actor_kind"
    )
    if kind == "bloc":
        members = [a.id for a in dataset.actors]
        new["actor"]["members"] = st.multiselect("New actor: members", members, key="add_new_actor_members")
others = {a: label for a, label in choices.actors.items() if a != actor}
joint_with = st.multiselect(
    "Joint statement with", list(others), format_func=others.get, key="add_joint_with", help=HELP["actors"]
)
left, right = st.columns(2)
fields["speaker"] = left.text_input("Speaker", key="add_speaker", help=HELP["speaker"])
fields["role"] = right.text_input("Role", key="add_role", help=HELP["role"])
captions = [VOICE_MEANINGS[v] for v in VOICES]
fields["voice"] = st.radio("Voice", VOICES, captions=captions, key="add_voice", horizontal=True, help=HELP["voice"])

st.subheader("What was said")
issue = pick("Issue", "add_issue", choices.with_new("issue"), help=HELP["issue"])
if issue == NEW:
    new["issue"] = new_record("issue")
stance = pick("Stance", "add_stance", choices.stances, help=HELP["stance"])
fields["date"] = st.text_input("Date", key="add_date", placeholder="2013-03-15, 2013-03 or 2013", help=HELP["date"])
quote = fields["quote"] = st.text_area("Quote", key="add_quote", help=HELP["quote"])
context = st.text_area("Context paragraph (optional)", key="add_context", help=addform.CONTEXT_HELP)
if why := evidence.context_problem(quote, context):
    st.error(f"Context paragraph: {why}.", icon=":material/rule:")
fields["language"] = st.text_input(
    "Language of the quote", value="en", key="add_language", max_chars=2, help=HELP["language"]
)
with st.expander("Published translation (only if the source or another source published one)"):
    fields["translation"] = st.text_area("Translation", key="add_translation", help=HELP["translation"])
    fields["translation_source"] = pick(
        "Source of the translation", "add_translation_source", choices.sources, help=HELP["translation_source"]
    )

st.subheader("Where it was published")
source = pick("Source", "add_source", choices.with_new("source"), help=HELP["source"])
if source == NEW:
    new["source"] = new_record("source")
fields["note"] = st.text_area("Note (coding rationale)", key="add_note", help=HELP["note"])

records = addform.FormValues(actor, issue, source, stance, joint_with, fields, new).records()
try:
    plan = form.preview(records)
except (append.AppendError, ValueError) as exc:
    st.error("This file cannot take a new record as it is; nothing can be appended.", icon=":material/error:")
    st.text(str(exc))
    st.stop()

st.subheader("The YAML to add")
for block in plan.blocks:
    st.text(addform.block_heading(block))
    st.code(block.text.replace("\r\n", "\n"), language="yaml")
for change in plan.changed:
    st.warning(addform.change_note(change), icon=":material/edit_note:")
    st.code(f"before: {change.before}\nafter:  {change.after}", language=None)
if missing := addform.missing_fields(plan):
    st.info(f"Still to fill in: {', '.join(missing)}.", icon=":material/edit:")  # our own field names
if problems := addform.field_problems(plan):
    st.error(f"{wording.plural(len(problems), 'problem')} to fix before appending:", icon=":material/rule:")
    st.text(addform.problem_lines(problems))
if plan.valid:
    st.success("The record is valid.", icon=":material/check_circle:")

label = f"Append to {wording.escape_markdown(Path(path).name)}"
if settings.read_only():
    st.info(addform.READ_ONLY_NOTE, icon=":material/lock:")
    st.button(label, disabled=True, key="add_append")
elif refusal := form.write_refusal():
    st.info(addform.NOT_WRITABLE_NOTE, icon=":material/lock:")
    st.text(refusal)
    st.button(label, disabled=True, key="add_append")
else:
    disabled = not plan.valid or changed_on_disk or why is not None
    st.button(label, type="primary", disabled=disabled, on_click=on_append, args=(records, context), key="add_append")
