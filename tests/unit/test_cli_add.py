"""``python -m stances add``: flags, prompts, exit codes, and the same guarantees as the page."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from stances import cli_add
from stances.cli import main
from stances.load import load_dataset

FIXTURES = Path(__file__).parent.parent / "data" / "append"
REPO = Path(__file__).parent.parent.parent
FLAGS = [
    "--actor", "CHN", "--issue", "bmd", "--stance", "1", "--date", "2014-05-20", "--speaker", "Hong Lei",
    "--role", "Foreign Ministry spokesperson", "--voice", "official", "--quote", "We hope so.", "--source", "src",
]  # fmt: skip


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    path = tmp_path / "positions.yaml"
    shutil.copyfile(FIXTURES / "basic.yaml", path)
    return path


def run(path: Path, *flags: str) -> int:
    return main(["add", "--file", str(path), *flags])


def test_flags_append_one_position(dataset_file, capsys):
    old = dataset_file.read_bytes()
    code = run(dataset_file, *FLAGS, "--note", "Coded 1: hope")
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{dataset_file}: added lines 27-36 (positions)" in out
    assert "next rerun" in out
    assert dataset_file.read_bytes().startswith(old)
    last = load_dataset(dataset_file).positions[-1]
    assert (last.actor, last.stance, last.speaker, last.note) == ("CHN", 1, "Hong Lei", "Coded 1: hope")


def test_new_actor_and_new_source_in_the_same_write(dataset_file, capsys):
    flags = [*FLAGS]
    flags[flags.index("CHN")] = "FRA"
    flags[flags.index("src")] = "elysee-2014"
    code = run(
        dataset_file,
        *flags,
        "--new-actor-name", "France",
        "--new-source-publisher", "Élysée",
        "--new-source-date", "2014-05-21",
        "--new-source-url", "https://www.elysee.fr/x",
        "--language", "fr", "--quote", "Nous espérons.",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    dataset = load_dataset(dataset_file)
    assert dataset.errors == []
    assert dataset.actor_names()["FRA"] == "France"
    assert dataset.sources_by_id()["elysee-2014"].url == "https://www.elysee.fr/x"
    assert (dataset.positions[-1].quote, dataset.positions[-1].language) == ("Nous espérons.", "fr")
    assert "(actors)" in out and "(sources)" in out and "(positions)" in out


def test_invalid_record_prints_problems_like_validate_and_exits_1(dataset_file, capsys):
    old = dataset_file.read_bytes()
    flags = [*FLAGS]
    flags[flags.index("1")] = "7"
    flags[flags.index("official")] = "offical"
    code = run(dataset_file, *flags)
    out = capsys.readouterr().out
    assert code == 1, out
    assert f"{dataset_file}: error[out-of-range] the 2nd position (positions[1].stance): 7 is not on the scale" in out
    assert "error[invalid-value] the 2nd position (positions[1].voice): 'offical' is not one of" in out
    assert "did you mean 'official'?" in out
    assert "2 errors in the new record; nothing was written" in out
    assert dataset_file.read_bytes() == old


@pytest.mark.parametrize("stance", ["1.5", "strongly"])
def test_a_stance_that_is_not_a_whole_number_is_a_problem(dataset_file, capsys, stance):
    flags = [*FLAGS]
    flags[flags.index("1")] = stance
    assert run(dataset_file, *flags) == 1
    assert "error[wrong-type] the 2nd position (positions[1].stance)" in capsys.readouterr().out


def test_null_stance_means_declined_to_state(dataset_file, capsys):
    flags = [*FLAGS]
    flags[flags.index("1")] = "null"
    assert run(dataset_file, *flags) == 0, capsys.readouterr()
    assert load_dataset(dataset_file).positions[-1].stance is None


def test_missing_flags_without_a_terminal_is_a_usage_error(dataset_file, capsys, monkeypatch):
    monkeypatch.setattr(cli_add, "interactive", lambda: False)
    old = dataset_file.read_bytes()
    assert run(dataset_file, "--actor", "CHN") == 2
    err = capsys.readouterr().err
    assert "missing --issue, --stance, --date, --speaker, --role, --voice, --quote, --source" in err
    assert dataset_file.read_bytes() == old


def test_read_only_refuses_to_write_but_allows_a_dry_run(dataset_file, capsys, monkeypatch):
    old = dataset_file.read_bytes()
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    assert run(dataset_file, *FLAGS) == 2
    assert "STANCES_READ_ONLY=1" in capsys.readouterr().err
    assert run(dataset_file, *FLAGS, "--dry-run") == 0
    assert "nothing was written (--dry-run)" in capsys.readouterr().out
    assert dataset_file.read_bytes() == old


def test_dry_run_shows_the_block_and_writes_nothing(dataset_file, capsys):
    old = dataset_file.read_bytes()
    assert run(dataset_file, *FLAGS, "--dry-run") == 0
    out = capsys.readouterr().out
    assert '  - actor: "CHN"\n    issue: "bmd"\n    stance: 1\n' in out
    assert dataset_file.read_bytes() == old


def test_unreadable_or_unsuitable_files_exit_2(tmp_path, capsys):
    assert run(tmp_path / "nope.yaml", *FLAGS) == 2
    assert "no such file" in capsys.readouterr().err
    one_line = tmp_path / "flow.yaml"
    shutil.copyfile(FIXTURES / "flow-one-line.yaml", one_line)
    assert run(one_line, *FLAGS) == 2
    assert "closing ']'" in capsys.readouterr().err


def scripted(monkeypatch, answers: list[str], on_ask=None) -> list[str]:
    """Answer prompts in order; returns the prompts seen."""
    prompts: list[str] = []
    monkeypatch.setattr(cli_add, "interactive", lambda: True)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        if on_ask:
            on_ask(prompt)
        return answers.pop(0)

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


def test_interactive_prompts_fill_the_missing_fields_and_add_a_new_actor(dataset_file, capsys, monkeypatch):
    answers = [
        "IND", "y", "India", "country",  # actor, new? name, kind
        "bmd", "0", "2014-05", "A Spokesperson", "Ministry of External Affairs", "official",
        "We are studying it.", "", "src", "", "y",  # quote, language, source, note, confirm
    ]  # fmt: skip
    prompts = scripted(monkeypatch, answers)
    code = run(dataset_file)
    out = capsys.readouterr().out
    assert code == 0, out
    assert answers == []
    assert "known actors: CHN (China), RUS (Russia)" in out
    assert any("-2 = strongly opposes" in p for p in prompts)
    assert any("reported = the source's paraphrase" in p for p in prompts)
    dataset = load_dataset(dataset_file)
    assert dataset.errors == []
    assert dataset.actor_names()["IND"] == "India"
    assert dataset.positions[-1].quote == "We are studying it."


def test_interactive_refuses_when_the_file_changes_while_prompting(dataset_file, capsys, monkeypatch):
    answers = ["We hope so.", "", "", "y"]

    def someone_edits(prompt: str) -> None:
        if prompt.startswith("Append"):
            dataset_file.write_text(dataset_file.read_text() + "# edited in another window\n")

    flags = [f for f in FLAGS if f not in ("--quote", "We hope so.")]
    scripted(monkeypatch, answers, someone_edits)
    assert run(dataset_file, *flags) == 2
    assert "changed on disk" in capsys.readouterr().err
    assert dataset_file.read_text().endswith("# edited in another window\n")
    assert len(load_dataset(dataset_file).positions) == 1


def test_declining_the_confirmation_writes_nothing(dataset_file, capsys, monkeypatch):
    old = dataset_file.read_bytes()
    flags = [f for f in FLAGS if f not in ("--quote", "We hope so.")]
    scripted(monkeypatch, ["We hope so.", "", "", "n"])
    assert run(dataset_file, *flags) == 2
    assert dataset_file.read_bytes() == old


def test_python_m_stances_add_runs_as_a_process(dataset_file):
    result = subprocess.run(
        [sys.executable, "-m", "stances", "add", "--file", str(dataset_file), *FLAGS],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert load_dataset(dataset_file).positions[-1].speaker == "Hong Lei"


def test_the_walkthrough_in_adding_positions_md_works(tmp_path, capsys, monkeypatch):
    """Follow docs/adding-positions.md: practice file, three blocks pasted by hand, then the CLI."""
    doc = (REPO / "docs" / "adding-positions.md").read_text(encoding="utf-8")
    practice, actor, source, position = re.findall(r"^```yaml\n(.*?)^```", doc, flags=re.MULTILINE | re.DOTALL)[:4]
    path = tmp_path / "practice.yaml"
    path.write_text(practice, encoding="utf-8")
    assert load_dataset(path).errors == []
    text = practice
    for key, block in (("actors:", actor), ("sources:", source), ("positions:", position)):
        text = text.replace(f"\n{key}\n", f"\n{key}\n{block}", 1)
    path.write_text(text, encoding="utf-8")
    by_hand = load_dataset(path)
    assert by_hand.errors == [], [p.format() for p in by_hand.errors]
    assert [(p.actor, p.speaker) for p in by_hand.positions] == [("DEU", "Angela Merkel")]

    command = re.search(r"^```sh\n(\.venv/bin/python -m stances add .*?)^```", doc, flags=re.MULTILINE | re.DOTALL)
    argv = shlex.split(command.group(1).replace("\\\n", " "))[3:]
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0, capsys.readouterr()
    dataset = load_dataset(path)
    assert dataset.errors == []
    assert dataset.actor_names()["USA"] == "United States"
    assert dataset.positions[-1].speaker == "Barack Obama"


def test_the_documented_quotes_are_the_bundled_ones():
    """The walkthrough copies real records: no quote in the docs is made up."""
    doc = (REPO / "docs" / "adding-positions.md").read_text(encoding="utf-8")
    bundled = {p.quote for p in load_dataset(REPO / "positions.yaml").positions}
    quoted = re.findall(r'quote: "(.*)"', doc) + re.findall(r'--quote "(.*)"', doc)
    quoted += re.findall(r"paste, as published \(it stays in French\):\n\s+`(.*)`", doc)
    assert len(quoted) == 3
    assert set(quoted) <= bundled


def test_the_pre_commit_hook_validates_positions_yaml(tmp_path):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert hook["entry"] == "python -m stances validate" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "positions.yaml") and not re.search(hook["files"], "docs/positions.yaml.md")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["PYTHONPATH"] = str(REPO)
    broken = tmp_path / "positions.yaml"
    broken.write_text((FIXTURES / "basic.yaml").read_text().replace("speaker:", "speeker:"))
    result = subprocess.run(shlex.split(hook["entry"]), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "did you mean 'speaker'?" in result.stdout
    shutil.copyfile(FIXTURES / "basic.yaml", broken)
    result = subprocess.run(shlex.split(hook["entry"]), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_repeated_actor_flag_writes_one_joint_statement(dataset_file, capsys):
    code = run(dataset_file, *FLAGS, "--actor", "RUS")
    out = capsys.readouterr().out
    assert code == 0, out
    assert '  - actors: ["CHN", "RUS"]' in out
    last = load_dataset(dataset_file).positions[-1]
    assert (last.actor, last.signatories) == (None, ("CHN", "RUS"))


def test_a_joint_statement_with_an_unknown_signatory_writes_nothing(dataset_file, capsys):
    old = dataset_file.read_bytes()
    code = run(dataset_file, *FLAGS, "--actor", "RUZ")
    out = capsys.readouterr().out
    assert code == 1, out
    assert "unknown actor 'RUZ' among the signatories; did you mean RUS (Russia)? or add it with" in out
    assert dataset_file.read_bytes() == old


def test_a_new_actor_in_a_joint_statement_takes_the_last_id(dataset_file, capsys):
    code = run(dataset_file, *FLAGS, "--actor", "FRA", "--new-actor-name", "France")
    out = capsys.readouterr().out
    assert code == 0, out
    dataset = load_dataset(dataset_file)
    assert [a.id for a in dataset.actors][-1] == "FRA"
    assert dataset.positions[-1].signatories == ("CHN", "FRA")


def test_a_context_paragraph_goes_to_the_sources_archive(dataset_file, capsys):
    context = "Asked about it, Hong Lei said: “We hope so.” He added nothing."
    assert run(dataset_file, *FLAGS, "--context", context) == 0
    archive = dataset_file.parent / "evidence" / "src.txt"
    assert f"{archive}: created with the context paragraph" in capsys.readouterr().out
    text = archive.read_text(encoding="utf-8")
    assert text.startswith("source: src\n") and text.endswith(f"---\n{context}\n")
    # a second position from the same source appends its paragraph; the first stays as it was
    flags = [*FLAGS]
    flags[flags.index("We hope so.")] = "Not at all."
    flags[flags.index("2014-05-20")] = "2014-05-22"
    assert run(dataset_file, *flags, "--context", "Later: “Not at all.”") == 0
    assert archive.read_text(encoding="utf-8") == text + "\n[...]\n\nLater: “Not at all.”\n"
    assert main(["verify", str(dataset_file)]) == 1  # the fixture's older quote has no archive text


def test_a_context_paragraph_without_the_quote_writes_nothing(dataset_file, capsys):
    old = dataset_file.read_bytes()
    assert run(dataset_file, *FLAGS, "--context", "A paragraph about something else.") == 1
    assert "the quote is not in the context paragraph" in capsys.readouterr().err
    assert dataset_file.read_bytes() == old
    assert not (dataset_file.parent / "evidence").exists()


# --- messages that help -------------------------------------------------------------------------------


@pytest.fixture
def with_germany(dataset_file: Path) -> Path:
    """The fixture with Germany (DEU) and Georgia (GEO), whose id is the closer spelling of GER."""
    text = dataset_file.read_text(encoding="utf-8")
    extra = "  - id: DEU\n    name: Germany\n  - id: GEO\n    name: Georgia\n"
    dataset_file.write_text(text.replace("issues:\n", extra + "issues:\n", 1), encoding="utf-8")
    return dataset_file


def with_flag(flag: str, value: str) -> list[str]:
    flags = [*FLAGS]
    flags[flags.index(flag) + 1] = value
    return flags


@pytest.mark.parametrize("typed", ["GER", "Germany", "germany"])
def test_an_unknown_actor_gets_the_id_it_means_by_id_or_name(with_germany, capsys, typed):
    old = with_germany.read_bytes()
    assert run(with_germany, *with_flag("--actor", typed)) == 1
    out = capsys.readouterr().out
    assert (
        f"error[unknown-reference] the 2nd position (positions[1].actor): unknown actor '{typed}'; "
        "did you mean DEU (Germany)? or add it with --new-actor-name NAME\n"
    ) in out
    assert with_germany.read_bytes() == old


def test_an_unknown_issue_or_source_gets_the_one_it_means_with_its_title(dataset_file, capsys):
    flags = with_flag("--issue", "missile")  # the beginning of its title
    flags[flags.index("src")] = "srcc"
    assert run(dataset_file, *flags) == 1
    out = capsys.readouterr().out
    assert "unknown issue 'missile'; did you mean bmd (Missile defence in Europe)? or add it with" in out
    assert "unknown source 'srcc'; did you mean src (Example Publisher)? or add it with --new-source-publisher" in out


def test_an_unknown_id_without_a_near_one_lists_the_known_ones(dataset_file, capsys):
    assert run(dataset_file, *with_flag("--actor", "XYZ")) == 1
    out = capsys.readouterr().out
    assert "unknown actor 'XYZ'; known actor ids: CHN, RUS; or add it with --new-actor-name NAME\n" in out


@pytest.mark.parametrize(("typed", "stance"), [("supports", 1), ("Strongly Opposes", -2)])
def test_a_stance_may_be_given_by_its_label(dataset_file, capsys, typed, stance):
    assert run(dataset_file, *with_flag("--stance", typed)) == 0, capsys.readouterr()
    assert load_dataset(dataset_file).positions[-1].stance == stance


def test_a_stance_that_is_no_label_says_which_number_to_use(dataset_file, capsys):
    assert run(dataset_file, *with_flag("--stance", "support")) == 1
    out = capsys.readouterr().out
    assert 'found the text "support"; use a number from -2 to 2 (supports = 1)\n' in out


@pytest.mark.parametrize(("typed", "iso"), [("2016-7-8", "2016-07-08"), ("8 July 2016", "2016-07-08")])
def test_a_date_in_another_form_gets_the_hint_once_and_its_iso_form(dataset_file, capsys, typed, iso):
    assert run(dataset_file, *with_flag("--date", typed)) == 1
    out = capsys.readouterr().out
    assert (
        f"error[invalid-date] the 2nd position (positions[1].date): '{typed}' is not a date; "
        f"write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source; did you mean {iso}?\n"
    ) in out
    assert out.count("YYYY-MM-DD") == 1


def test_an_ambiguous_date_gets_no_proposal(dataset_file, capsys):
    assert run(dataset_file, *with_flag("--date", "7/8/2016")) == 1
    out = capsys.readouterr().out
    assert "'7/8/2016' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source\n" in out


def test_a_misspelt_option_gets_the_commands_usage_and_the_option_it_means(dataset_file, capsys):
    assert main(["add", "--file", str(dataset_file), "--speeker", "Hong Lei"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m stances add ")
    assert err.endswith("python -m stances add: error: unknown option --speeker; did you mean --speaker?\n")


def test_each_flags_help_is_its_fields_description_in_the_model():
    from stances.cli import build_parser
    from stances.model import RECORD_MODELS

    parser = build_parser(only="add").subcommands["add"]
    helps = {action.dest: action.help for action in parser._actions}
    fields = [("positions", name, name) for name in (*cli_add.REQUIRED, *cli_add.OPTIONAL)]
    fields += [
        (section, name, f"{prefix}_{name}") for prefix, (section, _, names) in cli_add.NEW.items() for name in names
    ]
    assert len(fields) == 25
    for section, name, dest in fields:
        description = RECORD_MODELS[section].model_fields[name].description
        assert description and helps[dest].startswith(description), (dest, helps[dest])


def test_a_file_with_problems_of_its_own_is_named_as_the_cause_not_a_missing_issue(tmp_path, capsys):
    """A file cut short (as a half-written one is) lacks the issue and source: say that the file has
    problems, at the first one's line, rather than "no issue is defined yet"."""
    text = (FIXTURES / "basic.yaml").read_text()
    path = tmp_path / "positions.yaml"
    path.write_text(text[: text.index("    name: China")])  # the tail is missing: CHN has no name
    past = os.stat(path).st_mtime - 60
    os.utime(path, (past, past))

    code = run(path, *FLAGS)

    captured = capsys.readouterr()
    assert code == 1
    assert "no issue is defined yet" not in captured.out + captured.err
    assert "add it with --new-issue-title" not in captured.out
    assert f"{path} has 1 problem of its own" in captured.out
    assert f"the first at line 7: {path}:7:" in captured.out
    assert "python -m stances validate" in captured.out
    assert load_dataset(path).errors  # the file itself is as it was
