"""The Add a position page under AppTest: choices from the dataset, live YAML, messages, writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stances.load import load_dataset

REPO = Path(__file__).parent.parent.parent
PAGE = str(REPO / "pages" / "add_page.py")
FIXTURES = REPO / "tests" / "data" / "append"
NEW = "\x00new"


@pytest.fixture
def dataset_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "positions.yaml"
    shutil.copyfile(FIXTURES / "basic.yaml", path)
    monkeypatch.setenv("POSITIONS_FILE", str(path))
    monkeypatch.delenv("STANCES_READ_ONLY", raising=False)
    monkeypatch.syspath_prepend(str(REPO))
    return path


def open_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, **values) -> AppTest:
    fields = {
        "actor": "CHN", "issue": "bmd", "source": "src", "stance": 1, "date": "2014-05-20",
        "speaker": "Hong Lei", "role": "Foreign Ministry spokesperson", "quote": "We hope so.",
    }  # fmt: skip
    fields.update(values)
    for name in ("actor", "issue", "source", "stance"):
        at.selectbox(key=f"add_{name}").select(fields[name])
    for name in ("date", "speaker", "role"):
        at.text_input(key=f"add_{name}").input(fields[name])
    at.text_area(key="add_quote").input(fields["quote"])
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join(str(t.value) for t in at.text)


def test_selects_are_filled_from_the_dataset(dataset_file):
    at = open_page()
    actor = at.selectbox(key="add_actor")
    assert actor.options == ["Russia (RUS)", "China (CHN)", "New actor…"]
    assert at.selectbox(key="add_issue").options == ["Missile defence in Europe (bmd)", "New issue…"]
    assert at.selectbox(key="add_source").options == ["Example Publisher (src)", "New source…"]
    assert at.selectbox(key="add_stance").options == [
        "2 · strongly supports",
        "1 · supports",
        "0 · ambiguous or conditional",
        "-1 · opposes",
        "-2 · strongly opposes",
        "null · declined to state",
    ]
    assert at.radio(key="add_voice").options == ["official", "expert", "reported"]


def test_an_empty_form_says_what_to_fill_in_and_cannot_append(dataset_file):
    at = open_page()
    assert [i.value for i in at.info] == ["Still to fill in: actor, issue, stance, date, speaker, role, quote, source."]
    assert at.button(key="add_append").disabled
    assert len(at.error) == 0


def test_the_filled_form_shows_the_exact_block_and_appends_it(dataset_file):
    old = dataset_file.read_bytes()
    at = fill(open_page())
    block = (
        '  - actor: "CHN"\n    issue: "bmd"\n    stance: 1\n    date: "2014-05-20"\n    speaker: "Hong Lei"\n'
        '    role: "Foreign Ministry spokesperson"\n    voice: "official"\n    quote: "We hope so."\n'
        '    source: "src"\n'
    )
    assert [c.value for c in at.code] == [block.rstrip("\n")]
    assert at.code[0].language == "yaml"
    assert "At the end of the positions: list (it becomes lines 27-35):" in texts(at)
    assert [s.value for s in at.success] == ["The record is valid."]
    assert not at.button(key="add_append").disabled

    at.button(key="add_append").click().run()

    assert not at.exception
    assert at.success[0].value.startswith("Added.")
    assert f"{dataset_file}: added lines 27-35 (positions)" in texts(at)
    assert dataset_file.read_bytes() == old + block.encode()
    assert load_dataset(dataset_file).positions[-1].speaker == "Hong Lei"
    assert at.text_area(key="add_quote").value == "", "cleared, so a second click cannot add it twice"
    assert at.button(key="add_append").disabled


def test_invalid_input_is_explained_inline_and_blocks_the_append(dataset_file):
    at = fill(open_page(), date="2013-02-30", quote="<b>bold</b> **not markdown** [x](javascript:alert(1))")
    at.text_input(key="add_language").input("EN").run()
    assert [e.value for e in at.error] == ["2 problems to fix before appending:"]
    shown = texts(at)
    assert "date: '2013-02-30' is not a day of the calendar (write YYYY, YYYY-MM or YYYY-MM-DD" in shown
    assert "language: 'EN' is not a two-letter language code" in shown
    assert at.button(key="add_append").disabled
    assert r'quote: "<b>bold</b> **not markdown** [x](javascript:alert(1))"' in at.code[0].value
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("not markdown" in value for value in rendered), "typed text never goes through Markdown"


def test_unknown_stance_choice_and_future_date(dataset_file):
    at = fill(open_page(), date="2999-01")
    assert "date: 2999-01 is after today" in texts(at)
    at.selectbox(key="add_stance").select("null · declined to state").run()
    assert "    stance: null" in at.code[0].value


def test_new_actor_and_new_source_are_added_with_the_position(dataset_file):
    at = open_page()
    at.selectbox(key="add_actor").set_value(NEW).run()
    at.text_input(key="add_new_actor_id").input("FRA")
    at.text_input(key="add_new_actor_name").input("France")
    at.selectbox(key="add_source").set_value(NEW).run()
    at.text_input(key="add_new_source_id").input("elysee-2014")
    at.text_input(key="add_new_source_publisher").input("Élysée")
    at.text_input(key="add_new_source_url").input("https://www.elysee.fr/x")
    at.run()
    fill(at, actor="New actor…", source="New source…")
    assert len(at.code) == 3, [c.value for c in at.code]
    assert at.code[0].value == '  - id: "FRA"\n    name: "France"\n    kind: "country"'

    at.button(key="add_append").click().run()

    dataset = load_dataset(dataset_file)
    assert dataset.errors == []
    assert dataset.actor_names()["FRA"] == "France"
    assert dataset.sources_by_id()["elysee-2014"].publisher == "Élysée"
    assert at.selectbox(key="add_actor").value == "FRA"
    assert at.selectbox(key="add_source").value == "elysee-2014"


def test_a_new_actor_without_a_name_is_reported(dataset_file):
    at = open_page()
    at.selectbox(key="add_actor").set_value(NEW).run()
    at.text_input(key="add_new_actor_id").input("FRA").run()
    assert "new actor name" in at.info[0].value


def test_read_only_mode_offers_no_write(dataset_file, monkeypatch):
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    old = dataset_file.read_bytes()
    at = fill(open_page())
    assert at.code, "the block is still shown, to copy by hand"
    assert at.button(key="add_append").disabled
    assert "STANCES_READ_ONLY=1" in at.info[-1].value
    at.run()
    assert dataset_file.read_bytes() == old


def test_a_change_on_disk_before_the_click_is_refused(dataset_file):
    at = fill(open_page())
    edited = dataset_file.read_text() + "# edited in an editor\n"
    dataset_file.write_text(edited)

    at.button(key="add_append").click().run()

    assert dataset_file.read_text() == edited
    assert [e.value for e in at.error] == ["Nothing was written: the file changed on disk since this form was loaded."]
    assert "changed on disk" in at.warning[0].value
    assert at.button(key="add_append").disabled
    reload = next(b for b in at.button if b.label == "Reload the file")
    reload.click().run()
    assert not at.warning
    assert not at.button(key="add_append").disabled
    at.button(key="add_append").click().run()
    assert dataset_file.read_text().endswith('    source: "src"\n# edited in an editor\n')
    assert load_dataset(dataset_file).positions[-1].speaker == "Hong Lei"


def test_an_empty_inline_list_announces_the_changed_line(dataset_file):
    shutil.copyfile(FIXTURES / "empty-flow.yaml", dataset_file)
    at = fill(open_page())
    assert "line 14 changes too" in at.warning[0].value
    assert at.code[-1].value == (
        "before: positions: []   # add the first one below\nafter:  positions: # add the first one below"
    )


def test_an_unsuitable_file_is_explained(dataset_file):
    shutil.copyfile(FIXTURES / "flow-one-line.yaml", dataset_file)
    at = open_page()
    assert at.error[0].value.startswith("This file cannot take a new record")
    assert "closing ']'" in texts(at)


def test_the_app_lists_the_page_and_runs_it(dataset_file):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("pages/add_page.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Add a position"


def test_a_joint_statement_names_every_signatory_in_one_record(dataset_file):
    at = fill(open_page(), actor="CHN")
    assert at.multiselect(key="add_joint_with").options == ["Russia (RUS)"]  # the chosen actor is not offered
    at.multiselect(key="add_joint_with").select("RUS").run()
    assert at.code[0].value.startswith('  - actors: ["CHN", "RUS"]\n    issue: "bmd"')
    at.button(key="add_append").click().run()
    assert not at.exception
    added = load_dataset(dataset_file).positions[-1]
    assert (added.actor, added.signatories) == (None, ("CHN", "RUS"))


def test_a_context_paragraph_is_archived_beside_the_file(dataset_file):
    at = fill(open_page())
    at.text_area(key="add_context").input("At the briefing, Hong Lei said: “We hope so.” Then he left.").run()
    assert not at.error
    at.button(key="add_append").click().run()
    assert not at.exception
    archive = dataset_file.parent / "evidence" / "src.txt"
    assert archive.read_text(encoding="utf-8").endswith(
        "---\nAt the briefing, Hong Lei said: “We hope so.” Then he left.\n"
    )
    assert f"{archive}: created with the context paragraph" in texts(at)


def test_a_context_paragraph_without_the_quote_blocks_the_append(dataset_file):
    at = fill(open_page())
    at.text_area(key="add_context").input("A paragraph about something else.").run()
    assert any("the quote is not in the context paragraph" in e.value for e in at.error)
    assert at.button(key="add_append").disabled
    assert not (dataset_file.parent / "evidence").exists()


def test_a_read_only_file_offers_no_append_and_says_why(dataset_file):
    dataset_file.chmod(0o444)
    old = dataset_file.read_bytes()
    at = fill(open_page())
    assert at.button(key="add_append").disabled
    assert "may not be written" in at.info[-1].value
    assert "positions.yaml is read-only (mode 0444)" in texts(at)
    assert dataset_file.read_bytes() == old


def test_another_programs_write_during_the_append_is_kept(dataset_file, monkeypatch):
    from stances import positionsfile

    theirs = dataset_file.read_bytes() + b"# saved by an editor meanwhile\n"
    real = positionsfile._ensure_unchanged

    def checked_then_edited(target, plan):  # the last check passes, then an editor saves in place
        real(target, plan)
        with open(target, "r+b") as handle:
            handle.write(theirs)

    monkeypatch.setattr(positionsfile, "_ensure_unchanged", checked_then_edited)
    at = fill(open_page())
    at.button(key="add_append").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Nothing was added: another program wrote the file meanwhile, and its version is kept."
    ]
    assert "nothing was added" in texts(at)
    assert dataset_file.read_bytes() == theirs
