"""The Add a position form without Streamlit: its choices, each field's help, the records its
fields make, the file it works on, and what it says.

pages/add_page.py reads the widgets into :class:`FormValues`, asks :class:`FormFile` for the
preview and :func:`append_form` for a click, and renders what comes back.

The form works on the file as it was when the page loaded (:func:`read_form_file` keeps its
bytes): the preview is made from those bytes, and appending refuses if the file changed on disk
since. The file is read for appending once (``append.prepare``); each change of the form checks
only the new records (``append.preview_plan``), and a click plans again with a full parse-back
of the new file (``append.plan_append``) before writing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from stances import append, atomicfile, evidence, positionsfile
from stances.load import parse_dataset
from stances.model import RECORD_MODELS, ActorKind, Dataset
from stances.pickers import labelled
from stances.problems import Problem

NEW = "\x00new"  # the "New ..." choice of a picker (no id can hold a NUL)
NULL_STANCE = "null"  # the stance picker's "declined to state"
REFERENCES = ("actor", "issue", "source")  # the position's fields that a new record can fill
SECTION = {"actor": "actors", "issue": "issues", "source": "sources"}
ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)  # country first: the default
# The text inputs of a new record, in the order shown (a new actor's kind and members are pickers).
NEW_FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("id", "name"),
    "issue": ("id", "title", "question"),
    "source": ("id", "publisher", "title", "date", "url", "author"),
}
# What a form field adds to its field's description in the model (stances.model): how to fill it in here.
FORM_HELP: dict[tuple[str, str], str] = {
    ("positions", "actors"): "Pick every other signatory here; leave it empty for one actor's statement.",
    ("positions", "quote"): "Character for character, in its own language; never a paraphrase or your translation.",
    ("positions", "language"): "For example en, fr, ru, zh, ko, ja.",
}
CONTEXT_HELP = (
    "The source's paragraph that holds the quote, copied as published. It is kept in "
    "`evidence/<source id>.txt` beside the positions file, so that readers see the quote in context "
    "and `python -m stances verify` can check it."
)
NOT_WRITABLE_NOTE = (
    "This file may not be written (it is read-only, or not yours): nothing can be appended to it here. "
    "Copy the block above into the file by hand, or make it writable and reload the page."
)
CHANGED_ON_DISK_NOTE = "The file changed on disk since this form was loaded: reload it before appending."
READ_ONLY_NOTE = (
    "Writing is turned off here (STANCES_READ_ONLY=1, the setting for shared deployments). "
    "Copy the block above into the file by hand, or run the app locally to append it."
)


def field_help(section: str, name: str) -> str:
    """The model's description of a field (the one copy of the text), plus what the form adds."""
    description = RECORD_MODELS[section].model_fields[name].description or ""
    return " ".join(filter(None, (description, FORM_HELP.get((section, name)))))


def position_help() -> dict[str, str]:
    """Field -> help text, for every field of a position."""
    return {name: field_help("positions", name) for name in RECORD_MODELS["positions"].model_fields}


@dataclass(frozen=True, slots=True)
class FormChoices:
    """What the form's pickers offer: id -> label, in the file's order."""

    actors: dict[str, str]
    issues: dict[str, str]
    sources: dict[str, str]
    stances: dict[int | str, str]  # scale value (or NULL_STANCE) -> label, most positive first

    def with_new(self, kind: str) -> dict[str, str]:
        """The actors, issues or sources, then the choice of a new one (:data:`NEW`)."""
        return {**getattr(self, SECTION[kind]), NEW: f"New {kind}…"}


def form_choices(dataset: Dataset) -> FormChoices:
    """The pickers' options for a dataset: ``"Russia (RUS)"``, ``"1 · supports"``..."""
    scale = dataset.scale
    stances: dict[int | str, str] = {s: f"{s} · {scale.label(s)}" for s in sorted(scale.labels, reverse=True)}
    stances[NULL_STANCE] = f"{NULL_STANCE} · {scale.label(None)}"
    sources = {s.id: s.publisher for s in dataset.sources}
    return FormChoices(
        actors=labelled(dataset.actor_names(), dataset.actor_names()),
        issues=labelled(dataset.issue_titles(), dataset.issue_titles()),
        sources=labelled(sources, sources),
        stances=stances,
    )


@dataclass(frozen=True)
class FormValues:
    """What the form's widgets hold, as typed.

    ``actor``, ``issue`` and ``source`` are an id, :data:`NEW` or None (not chosen yet); ``new``
    holds the fields of each new record, its id included (``{"actor": {"id": "FRA", ...}}``).
    """

    actor: str | None = None
    issue: str | None = None
    source: str | None = None
    stance: int | str | None = None  # a scale value, NULL_STANCE, or None (not chosen yet)
    joint_with: Sequence[str] = ()  # a joint statement's other signatories
    fields: Mapping[str, Any] = field(default_factory=dict)  # date, speaker, role, voice, quote, ...
    new: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def chosen(self, kind: str) -> str | None:
        """The id the position refers to: the picked one, or the new record's id."""
        choice = getattr(self, kind)
        return str(self.new.get(kind, {}).get("id", "")) if choice == NEW else choice

    def records(self) -> dict[str, dict[str, Any]]:
        """Section -> the record to append (append.clean_records: text stripped, empty left out)."""
        position: dict[str, Any] = {**self.fields, **{kind: self.chosen(kind) for kind in REFERENCES}}
        if str(position.get("language", "")).strip() == "en":
            position["language"] = ""  # the default: not written
        if self.joint_with:
            # clean_records gives a new actor the last signatory's id
            actor = position["actor"]
            signatories = [*self.joint_with, actor] if self.actor == NEW else [actor, *self.joint_with]
            position["actors"], position["actor"] = signatories, ""
        if self.stance is not None:
            position["stance"] = None if self.stance == NULL_STANCE else self.stance
        new = {
            kind: {k: v for k, v in self.new.get(kind, {}).items() if k != "id"} if getattr(self, kind) == NEW else None
            for kind in REFERENCES
        }
        return append.clean_records(position, **new)


def field_label(loc: str) -> str:
    """A problem's place as the form names it: ``positions[3].stance`` -> ``stance``,
    ``actors[2].name`` -> ``new actor name``."""
    section, _, name = loc.partition(".")
    kind = section.split("[", 1)[0]
    return name if kind == "positions" else f"new {kind.removesuffix('s')} {name}"


def missing_fields(plan: append.Plan) -> list[str]:
    """The form's fields still to fill in, in the order of the problems."""
    return [field_label(p.loc) for p in plan.errors if p.type == "missing-key"]


def field_problems(plan: append.Plan) -> list[Problem]:
    """The problems other than a field still empty."""
    return [p for p in plan.problems if p.type != "missing-key"]


def problem_lines(problems: Sequence[Problem], *, hints: bool = True) -> str:
    """One line a problem, named by the form's field: ``date: '2013-02-30' is not a day ...``."""
    return "\n".join(
        f"{field_label(p.loc)}: {p.message}" + (f" ({p.hint})" if hints and p.hint else "") for p in problems
    )


def block_heading(block: append.Block) -> str:
    """Where a block of new lines goes: ``At the end of the positions: list (it becomes lines 27-35):``."""
    return f"At the end of the {block.section}: list (it becomes {block.lines}):"


def change_note(change: append.LineChange) -> str:
    """Why an existing line changes (an empty inline list that items must follow)."""
    return (
        f"The list is written as an empty inline list, so line {change.line} changes too: "
        "its [] is removed so that items can follow."
    )


@dataclass
class FormFile:
    """The positions file as it was when the form loaded it: its bytes, their dataset, and their
    append layout (or, as text, why the file cannot take a record)."""

    path: str
    data: bytes
    dataset: Dataset
    layout: append.Layout | str
    # the last file stamp whose bytes were found equal to ``data``, and the last preview (key, plan)
    _unchanged_at: tuple[int, int] | None = field(default=None, init=False, repr=False)
    _preview: tuple[tuple[Any, ...], append.Plan] | None = field(default=None, init=False, repr=False)

    def changed_on_disk(self, stamp: tuple[int, int] | None) -> bool:
        """Whether the file no longer holds ``data``. ``stamp`` (its mtime and size) spares a new
        hash while it stays the same: hashing a 52 MB file took ~0.3 s of every rerun of the page."""
        if stamp is not None and stamp == self._unchanged_at:
            return False
        try:
            changed = append.fingerprint(Path(self.path).read_bytes()) != append.fingerprint(self.data)
        except OSError:
            return True
        if not changed:
            self._unchanged_at = stamp
        return changed

    def write_refusal(self) -> str | None:
        """Why this user may not write the file (``positions.yaml is read-only (mode 0444)``), or
        None (a file that cannot be read any more is said so by the click)."""
        try:
            return atomicfile.write_refusal(self.path)
        except OSError:
            return None

    def preview(self, records: Mapping[str, Any], today: dt.date | None = None) -> append.Plan:
        """append.preview_plan of ``records``, kept until they or the day change (at 100,000
        positions it takes ~0.2 s, mostly building the new file's 52 MB). The plan kept holds
        only what the page shows, not the file's bytes. CannotAppend when the file cannot take a
        record."""
        if isinstance(self.layout, str):
            raise append.CannotAppend(self.layout)
        key = (today or dt.date.today(), json.dumps(records, sort_keys=True, default=str))
        if self._preview is None or self._preview[0] != key:
            plan = append.preview_plan(self.layout, records, self.dataset)
            self._preview = (key, dataclasses.replace(plan, old=b"", new=b""))
        return self._preview[1]


def read_form_file(path: str, current: Dataset | None = None) -> FormFile:
    """The file's bytes for the form, with their dataset (``current`` when it was parsed from the
    same bytes, else parsed now). AppendError when the file cannot be read."""
    data = positionsfile.read_for_append(path)
    same = current is not None and current.content_hash == append.fingerprint(data)
    dataset = current if same and current is not None else parse_dataset(data, label=path)
    try:
        layout: append.Layout | str = append.prepare(data, label=path)
    except append.AppendError as exc:
        layout = str(exc)  # the page shows it where the preview would be
    return FormFile(path, data, dataset, layout)


def after_append(state: MutableMapping[str, Any]) -> None:
    """Set the form's widgets (``state``, keyed ``add_<field>`` and ``add_new_<kind>_<field>``) as
    after a successful append: a record added with the position is now picked by its id, its
    fields are cleared, and so are the quote and what goes with it, so that a second click cannot
    add the same position twice."""
    for kind in REFERENCES:
        new_id = str(state.get(f"add_new_{kind}_id", "")).strip()
        if state.get(f"add_{kind}") == NEW and new_id:
            state[f"add_{kind}"] = new_id
            for key in [k for k in state if k.startswith(f"add_new_{kind}_")]:
                state[key] = ""
    for key in ("add_quote", "add_translation", "add_note", "add_context"):
        state[key] = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a click on Append did: ``ok``, ``changed`` (the file changed on disk) or ``error``;
    a headline of ours and details to show as plain text."""

    kind: Literal["ok", "changed", "error"]
    headline: str
    details: str


def append_form(
    form: FormFile, records: Mapping[str, Any], context: str = "", on_wait: Callable[[str], None] | None = None
) -> Outcome:
    """Plan ``records`` against the form's file with the full parse-back and write them; then
    keep ``context`` (the quote's paragraph, if any) in the source's evidence archive.
    ``on_wait`` hears that the write waits for another program to finish writing the file."""
    try:
        if isinstance(form.layout, str):
            raise append.CannotAppend(form.layout)
        plan = append.plan_append(form.layout, records, old=form.dataset)
        if not plan.valid:
            return Outcome("error", "Nothing was written.", problem_lines(plan.errors, hints=False))
        positionsfile.write_plan(plan, form.path, on_wait=on_wait)
    except append.FileBusy as exc:
        headline = "Nothing was written: another program is still writing the file."
        return Outcome("changed", headline, str(exc))
    except append.FileRestored as exc:
        headline = "Nothing was added: another program wrote the file meanwhile, and its version is kept."
        return Outcome("changed", headline, str(exc))
    except append.FileChanged as exc:
        headline = "Nothing was written: the file changed on disk since this form was loaded."
        return Outcome("changed", headline, str(exc))
    except append.AppendError as exc:
        return Outcome("error", "Nothing was written.", str(exc))
    details = plan.describe() + archive_context(form, records, context)
    return Outcome("ok", "Added. The dashboard shows the new position now (open any page).", details)


def archive_context(form: FormFile, records: Mapping[str, Any], context: str) -> str:
    """Keep the quote's paragraph in the source's evidence archive; what happened, as a line."""
    if not context.strip():
        return ""
    try:
        return "\n" + evidence.archive_added_context(form.path, dict(records), context, form.dataset).describe()
    except evidence.WriteRefused as exc:
        return f"\nThe context paragraph was not archived: {exc}"
