"""The command line: exit codes, every problem printed, JSON report, default path, no traceback."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stances import cli, cli_validate, settings
from stances.cli import main

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
FIVE = DATA / "five-mistakes.yaml"

# What `validate` prints for five-mistakes.yaml, before the summary (paths relative to the repo)
FIVE_LINES = [
    "tests/data/five-mistakes.yaml:7:11: error[wrong-type] the 2nd actor (actors[1].name): "
    "expected text, but 'NO' is read by YAML as a yes/no value; put it in quotes: \"NO\"",
    "tests/data/five-mistakes.yaml:17:11: error[invalid-date] the 1st source (sources[0].date): "
    "'2013-02-30' is not a day of the calendar; write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source",
    "tests/data/five-mistakes.yaml:33:13: error[out-of-range] the 2nd position (positions[1].stance): "
    "5 is not on the scale -2..2; use one of: -2 = strongly opposes, -1 = opposes, 0 = ambiguous or conditional, "
    "1 = supports, 2 = strongly supports, or null if the speaker declined to state a position",
    "tests/data/five-mistakes.yaml:44:5: error[unknown-key] the 3rd position (positions[2].speeker): "
    "unknown key 'speeker'; did you mean 'speaker'?",
    "tests/data/five-mistakes.yaml:49:12: error[unknown-reference] the 4th position (positions[3].actor): "
    "unknown actor 'RUSS'; did you mean RUS (Russia)? known actor ids: CHN, NOR, RUS",
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m stances ...`` in a real process, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "stances", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_five_mistakes_in_a_real_process() -> None:
    result = run("validate", "tests/data/five-mistakes.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    lines = result.stdout.splitlines()
    assert lines[:-1] == FIVE_LINES, output
    assert lines[-1].startswith(
        "tests/data/five-mistakes.yaml: 5 errors (2 actors, 1 issue, 1 source, 2 positions valid; "
    ), output
    assert result.stderr == ""


def test_five_mistakes_in_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["validate", "tests/data/five-mistakes.yaml"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert out.splitlines()[:-1] == FIVE_LINES, out
    assert err == ""


def test_valid_file_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "valid.yaml"
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    [line] = out.splitlines()
    assert line.startswith(f"{path}: valid (2 actors, 1 issue, 1 source, 2 positions valid; "), out
    assert line.endswith(" s)"), out


def test_warnings_alone_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(DATA / "problems" / "tie.yaml")])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert "warning[tie]" in out
    assert ": 1 warning (" in out.splitlines()[-1], out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "no/such/file.yaml"], "error: no/such/file.yaml: no such file"),
        (["validate", "tests"], "error: tests is a folder, not a positions file"),
    ],
)
def test_unreadable_path_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert err.strip() == message
    assert out == ""


@pytest.mark.parametrize(
    "argv",
    [[], ["frobnicate"], ["validate", "--format", "xml"], ["validate", "a.yaml", "b.yaml"], ["--no-such-option"]],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "usage: python -m stances" in err
    assert "Traceback" not in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--help"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "validate" in out and "schema" in out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "no/such/file.yaml"], 2),
        (["frobnicate"], 2),
    ],
)
def test_no_traceback_in_a_real_process(args: list[str], code: int) -> None:
    result = run(*args)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_unexpected_failure_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: object, **options: object) -> None:  # validate passes compact=False
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_validate, "load_dataset", broken)
    code = main(["validate", str(DATA / "valid.yaml")])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert err == "error: unexpected failure (RuntimeError: boom); please report it\n"


def test_json_format_is_the_report(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["validate", "tests/data/five-mistakes.yaml", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    report = json.loads(out)
    assert report["path"] == "tests/data/five-mistakes.yaml"
    assert report["valid"] is False
    assert (report["errors"], report["warnings"]) == (5, 0)
    assert report["counts"] == {"actors": 2, "issues": 1, "sources": 1, "positions": 2}
    assert [(p["line"], p["column"], p["type"]) for p in report["problems"]] == [
        (7, 11, "wrong-type"),
        (17, 11, "invalid-date"),
        (33, 13, "out-of-range"),
        (44, 5, "unknown-key"),
        (49, 12, "unknown-reference"),
    ]
    first = report["problems"][0]
    assert first == {
        "type": "wrong-type",
        "message": "expected text, but 'NO' is read by YAML as a yes/no value",
        "path": "tests/data/five-mistakes.yaml",
        "line": 7,
        "column": 11,
        "loc": "actors[1].name",
        "hint": 'put it in quotes: "NO"',
        "severity": "error",
    }


def test_json_for_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(DATA / "valid.yaml"), "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    report = json.loads(out)
    assert (report["valid"], report["errors"], report["problems"]) == (True, 0, [])


def test_json_keeps_non_ascii_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "é.yaml"
    path.write_text("title: Défense\npositons: []\n", encoding="utf-8")
    main(["validate", str(path), "--format", "json"])
    out, _ = capsys.readouterr()
    assert '"path": "' + str(path) + '"' in out  # not escaped as \u00e9
    assert json.loads(out)["problems"][0]["type"] == "unknown-key"


def test_positions_file_environment_variable_is_the_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSITIONS_FILE", str(FIVE))
    code = main(["validate"])
    out, _ = capsys.readouterr()
    assert code == 1, out
    assert out.splitlines()[-1].startswith(f"{FIVE}: 5 errors"), out


def test_without_environment_the_default_is_positions_yaml(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("POSITIONS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert settings.positions_file() == "positions.yaml"
    code = main(["validate"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == "error: positions.yaml: no such file\n"


def test_an_explicit_path_beats_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSITIONS_FILE", str(FIVE))
    assert main(["validate", str(DATA / "valid.yaml")]) == 0, capsys.readouterr().out


def test_bundled_dataset_is_valid(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("POSITIONS_FILE", raising=False)
    code = main(["validate"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert " 0 positions valid" not in out, "the bundled dataset validated nothing"


# --- usage errors that help ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "usage", "message"),
    [
        (["add", "--speeker", "X"], "python -m stances add", "unknown option --speeker; did you mean --speaker?"),
        (["add", "--speeker=X"], "python -m stances add", "unknown option --speeker; did you mean --speaker?"),
        (
            ["validate", "--formt", "json"],
            "python -m stances validate",
            "unknown option --formt; did you mean --format?",
        ),
        (["validate", "--zzz"], "python -m stances validate", "unknown option --zzz\n"),
        (["validate", "a.yaml", "b.yaml"], "python -m stances validate", "unexpected argument: b.yaml"),
        (["valdate"], "python -m stances [-h]", "unknown command 'valdate'; did you mean 'validate'?"),
        (["frobnicate"], "python -m stances [-h]", "unknown command 'frobnicate'; choose from validate, verify,"),
    ],
)
def test_a_usage_error_shows_the_commands_usage_and_the_nearest_name(
    argv: list[str], usage: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert err.startswith(f"usage: {usage}"), err
    assert message in err, err
    assert "unrecognized arguments" not in err
    assert out == ""


def test_help_lists_every_command_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name, command in cli.SUBCOMMANDS.items():
        assert re.search(rf"^\s+{name}\s+{re.escape(command.help)}$", out, flags=re.MULTILINE), (name, out)


def test_a_commands_help_shows_its_own_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m stances add [--file PATH] --actor ID")
    assert "--new-source-publisher" in out


def test_every_command_module_has_add_arguments_and_run() -> None:
    parser = cli.build_parser()
    assert list(parser.subcommands) == list(cli.SUBCOMMANDS)
    for name, command in cli.SUBCOMMANDS.items():
        module = importlib.import_module(command.module)
        assert callable(module.add_arguments) and callable(module.run), name
        if name != "schema":  # the one command without arguments
            assert parser.subcommands[name]._actions[1:], f"{name}: no argument was added"  # [0] is --help


# --- imports: no cycle, and a validate that starts fast -------------------------------------------------


# Runs a command as `python -m stances` would, then lists every module it loaded (sys.modules: also
# those imported by importlib.import_module, which `python -X importtime` does not list by name).
LOADED = """
import contextlib, io, sys
from stances.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(code, *sorted(sys.modules))
"""


def imported_by(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``python -m stances <args>`` (which must exit 0)."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "STANCES_NO_CACHE": "1"},
    )
    code, *modules = result.stdout.split()
    assert code == "0", result.stdout + result.stderr
    return set(modules)


HEAVY = {"pandas", "plotly", "streamlit", "kaleido", "numpy"}
OTHER_COMMANDS = {"stances.cli_add", "stances.cli_export", "stances.cli_verify", "stances.cli_generate"}


@pytest.mark.parametrize(
    ("args", "own"),
    [
        (("validate", "positions.yaml"), "stances.cli_validate"),
        (("schema",), "stances.cli_schema"),
    ],
)
def test_validate_and_schema_import_no_dataframe_chart_or_ui_library(args: tuple[str, ...], own: str) -> None:
    imported = imported_by(*args)
    assert own in imported, "the listing did not show the command's own module"
    assert HEAVY & imported == set()
    assert OTHER_COMMANDS & imported == set()
    assert {"stances.evidence", "stances.append", "stances.generate"} & imported == set()


def test_help_imports_no_command() -> None:
    imported = imported_by("--help")
    assert "stances.cli" in imported
    assert {m for m in imported if m.startswith("stances.cli_")} == set()
    assert {"stances.load", "pydantic", "yaml"} & imported == set()


def test_nothing_in_the_core_imports_the_command_line() -> None:
    importers = []
    for path in sorted((ROOT / "stances").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if "stances.cli" in names and path.name != "__main__.py":
                importers.append(path.name)
    assert importers == [], f"stances.cli wires the commands; nothing imports it back: {importers}"
