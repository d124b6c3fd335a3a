"""The Add page's form without Streamlit: choices, help texts, records, preview, writes, messages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from stances import addform, append, positionsfile
from stances.addform import NEW, NULL_STANCE, FormValues, Outcome
from stances.load import load_dataset, parse_dataset
from stances.model import RECORD_MODELS

FIXTURES = Path(__file__).parent.parent / "data" / "append"
TODAY = dt.date(2024, 1, 1)
FILLED = {
    "date": "2014-05-20",
    "speaker": " Hong Lei ",
    "role": "Foreign Ministry spokesperson",
    "voice": "official",
    "quote": "We hope so.",
    "language": "en",
    "translation": "",
    "translation_source": None,
    "note": "",
}


@pytest.fixture
def positions(tmp_path: Path) -> Path:
    path = tmp_path / "positions.yaml"
    shutil.copyfile(FIXTURES / "basic.yaml", path)
    return path


def filled(**changes) -> FormValues:
    values = {"actor": "CHN", "issue": "bmd", "source": "src", "stance": 1, "fields": FILLED}
    return FormValues(**(values | changes))


# --- help texts and choices -----------------------------------------------------------------------


def test_help_is_the_models_description_plus_what_the_form_adds():
    quote = RECORD_MODELS["positions"].model_fields["quote"].description
    assert addform.field_help("positions", "quote") == f"{quote} {addform.FORM_HELP[('positions', 'quote')]}"
    assert addform.field_help("sources", "url") == RECORD_MODELS["sources"].model_fields["url"].description


def test_every_field_the_form_shows_has_help():
    helps = addform.position_help()
    assert set(helps) == set(RECORD_MODELS["positions"].model_fields)
    assert all(helps.values()), [name for name, text in helps.items() if not text]
    for kind, names in addform.NEW_FIELDS.items():
        assert all(addform.field_help(addform.SECTION[kind], name) for name in names), kind


def test_choices_label_each_record_and_the_scale(positions):
    choices = addform.form_choices(load_dataset(positions))
    assert choices.actors == {"RUS": "Russia (RUS)", "CHN": "China (CHN)"}
    assert choices.with_new("source") == {"src": "Example Publisher (src)", NEW: "New source…"}
    assert list(choices.stances.items()) == [
        (2, "2 · strongly supports"),
        (1, "1 · supports"),
        (0, "0 · ambiguous or conditional"),
        (-1, "-1 · opposes"),
        (-2, "-2 · strongly opposes"),
        (NULL_STANCE, "null · declined to state"),
    ]


# --- the records a form makes ---------------------------------------------------------------------


def test_a_filled_form_makes_one_clean_position():
    assert filled().records() == {
        "positions": {
            "date": "2014-05-20",
            "speaker": "Hong Lei",
            "role": "Foreign Ministry spokesperson",
            "voice": "official",
            "quote": "We hope so.",
            "actor": "CHN",
            "issue": "bmd",
            "source": "src",
            "stance": 1,
        }
    }, "stripped, empty fields and the default language left out"


def test_language_other_than_the_default_is_kept():
    assert filled(fields=FILLED | {"language": "zh"}).records()["positions"]["language"] == "zh"


def test_stance_null_is_written_and_no_stance_is_left_out():
    assert filled(stance=NULL_STANCE).records()["positions"]["stance"] is None
    assert "stance" not in filled(stance=None).records()["positions"]


def test_a_new_record_takes_its_id_from_the_position():
    new = {
        "actor": {"id": "FRA", "name": "France", "kind": "country"},
        "source": {"id": "elysee", "publisher": "Élysée", "url": ""},
    }
    values = filled(actor=NEW, source=NEW, new=new)
    records = values.records()
    assert records["actors"] == {"id": "FRA", "name": "France", "kind": "country"}
    assert records["sources"] == {"id": "elysee", "publisher": "Élysée"}
    assert (records["positions"]["actor"], records["positions"]["source"]) == ("FRA", "elysee")
    assert "issues" not in records


def test_a_joint_statement_lists_the_picked_actor_first():
    position = filled(joint_with=["RUS"]).records()["positions"]
    assert position["actors"] == ["CHN", "RUS"]
    assert "actor" not in position


def test_a_new_actor_in_a_joint_statement_signs_last_and_gets_the_record():
    records = filled(actor=NEW, joint_with=["RUS"], new={"actor": {"id": "FRA", "name": "France"}}).records()
    assert records["positions"]["actors"] == ["RUS", "FRA"]
    assert records["actors"] == {"id": "FRA", "name": "France"}


def test_a_problem_is_named_by_the_forms_field():
    assert addform.field_label("positions[3].stance") == "stance"
    assert addform.field_label("actors[2].name") == "new actor name"
    assert addform.field_label("sources[0].url") == "new source url"


# --- the file, its preview and the check for changes ----------------------------------------------


def test_the_form_file_reuses_the_dataset_parsed_from_the_same_bytes(positions):
    current = load_dataset(positions)
    assert addform.read_form_file(str(positions), current).dataset is current
    stale = parse_dataset(b"title: other\n", label="other.yaml")
    form = addform.read_form_file(str(positions), stale)
    assert form.dataset is not stale
    assert [p.speaker for p in form.dataset.positions] == ["Sergei Ryabkov"]
    assert isinstance(form.layout, append.Layout)


def test_an_unreadable_file_raises_and_an_unsuitable_one_explains(tmp_path):
    with pytest.raises(append.CannotAppend, match="no such file"):
        addform.read_form_file(str(tmp_path / "missing.yaml"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n")
    form = addform.read_form_file(str(broken))
    assert isinstance(form.layout, str) and form.layout.endswith("fix this first, then add the record")
    assert form.dataset.errors, "the form still holds the file's parse, problems and all"
    with pytest.raises(append.CannotAppend, match="fix this first"):
        form.preview(filled().records(), TODAY)
    outcome = addform.append_form(form, filled().records())
    assert (outcome.kind, outcome.details) == ("error", form.layout)
    flow = tmp_path / "flow.yaml"
    shutil.copyfile(FIXTURES / "flow-one-line.yaml", flow)
    with pytest.raises(append.CannotAppend, match="closing ']'"):
        addform.read_form_file(str(flow)).preview(filled().records(), TODAY)


def test_a_block_of_one_line_is_called_one_line():
    """An empty form's preview is one line ('- voice: "official"'): not "lines 2537-2537"."""
    one = append.Block("positions", 2537, 2537, '  - voice: "official"\n')
    assert addform.block_heading(one) == "At the end of the positions: list (it becomes line 2537):"
    assert (
        addform.block_heading(append.Block("issues", 8, 9, ""))
        == "At the end of the issues: list (it becomes lines 8-9):"
    )


def test_the_preview_shows_the_block_and_is_kept_until_the_form_changes(positions):
    form = addform.read_form_file(str(positions))
    plan = form.preview(filled().records(), TODAY)
    assert plan.valid, plan.problems
    assert [addform.block_heading(b) for b in plan.blocks] == [
        "At the end of the positions: list (it becomes lines 27-35):"
    ]
    assert plan.blocks[0].text.startswith('  - actor: "CHN"\n')
    assert (plan.old, plan.new) == (b"", b""), "the kept plan does not hold the file twice"
    assert form.preview(filled().records(), TODAY) is plan
    assert form.preview(filled(stance=2).records(), TODAY) is not plan
    assert form.preview(filled().records(), TODAY + dt.timedelta(days=1)) is not plan


def test_the_preview_says_what_is_missing_and_what_is_wrong(positions):
    form = addform.read_form_file(str(positions))
    values = FormValues(actor="CHN", fields={"date": "2013-02-30", "language": "EN"})
    plan = form.preview(values.records(), TODAY)
    assert addform.missing_fields(plan) == ["issue", "stance", "speaker", "role", "voice", "quote", "source"]
    assert [p.type for p in addform.field_problems(plan)] == ["invalid-date", "invalid-value"]
    lines = addform.problem_lines(addform.field_problems(plan)).splitlines()
    assert lines[0].startswith("date: '2013-02-30' is not a day of the calendar (write YYYY")
    assert lines[1].startswith("language: 'EN' is not a two-letter language code")


def test_an_empty_inline_list_announces_its_changed_line(tmp_path):
    path = tmp_path / "positions.yaml"
    shutil.copyfile(FIXTURES / "empty-flow.yaml", path)
    plan = addform.read_form_file(str(path)).preview(filled().records(), TODAY)
    assert [addform.change_note(c) for c in plan.changed] == [
        "The list is written as an empty inline list, so line 14 changes too: "
        "its [] is removed so that items can follow."
    ]


def test_a_change_on_disk_is_seen_and_an_unmoved_stamp_spares_the_hash(positions):
    form = addform.read_form_file(str(positions))
    assert not form.changed_on_disk((1, 1))
    positions.write_text(positions.read_text() + "# edited\n")
    assert not form.changed_on_disk((1, 1)), "the same stamp: the file is taken as unchanged, not hashed"
    assert form.changed_on_disk((2, 2))
    assert form.changed_on_disk(None)
    positions.unlink()
    assert form.changed_on_disk((3, 3))


# --- appending ------------------------------------------------------------------------------------


def test_append_writes_the_block_and_says_where(positions):
    old = positions.read_bytes()
    outcome = addform.append_form(addform.read_form_file(str(positions)), filled().records())
    assert outcome == Outcome(
        "ok",
        "Added. The dashboard shows the new position now (open any page).",
        f"{positions}: added lines 27-35 (positions)",
    )
    assert positions.read_bytes().startswith(old)
    assert load_dataset(positions).positions[-1].speaker == "Hong Lei"


def test_append_refuses_an_invalid_form_and_names_its_fields(positions):
    old = positions.read_bytes()
    outcome = addform.append_form(addform.read_form_file(str(positions)), filled(fields={"date": "2999"}).records())
    assert (outcome.kind, outcome.headline) == ("error", "Nothing was written.")
    lines = outcome.details.splitlines()
    assert any(line.startswith("date: 2999 is after today") for line in lines), lines
    assert "speaker: missing required key 'speaker'" in lines
    assert positions.read_bytes() == old


def test_append_refuses_a_file_changed_since_the_form_loaded(positions):
    form = addform.read_form_file(str(positions))
    positions.write_text(positions.read_text() + "# edited\n")
    outcome = addform.append_form(form, filled().records())
    assert outcome.kind == "changed"
    assert outcome.headline == "Nothing was written: the file changed on disk since this form was loaded."
    assert "changed on disk" in outcome.details
    assert positions.read_text().endswith("# edited\n")


def test_append_is_refused_when_writing_is_off(positions, monkeypatch):
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    old = positions.read_bytes()
    outcome = addform.append_form(addform.read_form_file(str(positions)), filled().records())
    assert outcome.kind == "error"
    assert "STANCES_READ_ONLY=1" in outcome.details
    assert positions.read_bytes() == old


def test_append_keeps_the_context_paragraph_or_says_why_not(positions):
    form = addform.read_form_file(str(positions))
    outcome = addform.append_form(form, filled().records(), "Hong Lei said: “We hope so.” Then he left.")
    archive = positions.parent / "evidence" / "src.txt"
    assert outcome.details.splitlines()[1] == f"{archive}: created with the context paragraph"
    assert archive.read_text(encoding="utf-8").endswith("---\nHong Lei said: “We hope so.” Then he left.\n")

    form = addform.read_form_file(str(positions))
    records = filled(source="gone").records()
    assert addform.archive_context(form, records, "We hope so.") == (
        "\nThe context paragraph was not archived: source 'gone' not found: nothing was written"
    )
    assert addform.archive_context(form, records, "  ") == ""


def test_after_an_append_the_new_records_are_picked_and_the_quote_cleared():
    state = {
        "add_actor": NEW, "add_new_actor_id": " FRA ", "add_new_actor_name": "France",
        "add_issue": "bmd", "add_source": NEW, "add_new_source_id": "",
        "add_quote": "We hope so.", "add_translation": "x", "add_note": "y", "add_context": "z",
        "add_speaker": "Hong Lei",
    }  # fmt: skip
    addform.after_append(state)
    assert state == {
        "add_actor": "FRA", "add_new_actor_id": "", "add_new_actor_name": "",
        "add_issue": "bmd", "add_source": NEW, "add_new_source_id": "",
        "add_quote": "", "add_translation": "", "add_note": "", "add_context": "",
        "add_speaker": "Hong Lei",
    }, "a new source without an id stays new; the speaker stays for the next quote"  # fmt: skip


def test_a_read_only_file_is_named_before_the_click_and_refused_on_it(positions):
    positions.chmod(0o444)
    old = positions.read_bytes()
    form = addform.read_form_file(str(positions))
    assert form.write_refusal() == "positions.yaml is read-only (mode 0444)"
    outcome = addform.append_form(form, filled().records())
    assert (outcome.kind, outcome.headline) == ("error", "Nothing was written.")
    assert outcome.details.startswith("positions.yaml is read-only (mode 0444); nothing was written")
    assert positions.read_bytes() == old
    positions.chmod(0o644)
    assert form.write_refusal() is None


def test_another_programs_write_during_the_append_is_kept_and_nothing_added(positions, monkeypatch):
    theirs = positions.read_bytes() + b"# saved by an editor meanwhile\n"
    real = positionsfile._ensure_unchanged

    def checked_then_edited(target, plan):  # the last check passes, then an editor saves in place
        real(target, plan)
        with open(target, "r+b") as handle:
            handle.write(theirs)

    monkeypatch.setattr(positionsfile, "_ensure_unchanged", checked_then_edited)
    outcome = addform.append_form(addform.read_form_file(str(positions)), filled().records())
    assert outcome.kind == "changed"
    assert outcome.headline == "Nothing was added: another program wrote the file meanwhile, and its version is kept."
    assert "nothing was added" in outcome.details
    assert positions.read_bytes() == theirs
