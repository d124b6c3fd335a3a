"""The documentation matches the code: every problem type, field and command is documented."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import yaml

import stances
from stances.cli import build_parser
from stances.load import load_dataset, parse_dataset
from stances.model import RECORD_MODELS, TOP_LEVEL_KEYS, VOICES
from stances.problems import PROBLEM_TYPES

ROOT = Path(__file__).parents[2]
DATA_FORMAT = ROOT / "docs" / "data-format.md"


@pytest.fixture(scope="module")
def data_format() -> str:
    return DATA_FORMAT.read_text(encoding="utf-8")


def sections(markdown: str, level: str = "###") -> dict[str, str]:
    """Heading text -> the text under it, up to the next heading of the same or a higher level."""
    parts = re.split(rf"^({level} .*)$", markdown, flags=re.MULTILINE)
    return {heading.lstrip("# ").strip(): body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def problem_section(markdown: str, kind: str) -> str | None:
    for heading, body in sections(markdown).items():
        if re.search(rf"(?<![\w-]){re.escape(kind)}(?![\w-])", heading):
            return body
    return None


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("kind", sorted(PROBLEM_TYPES))
def test_every_problem_type_has_a_section_with_an_example(data_format: str, kind: str) -> None:
    body = problem_section(data_format, kind)
    assert body is not None, f"docs/data-format.md has no '### `{kind}`' section"
    examples = re.findall(r"^\S+: (error|warning)\[([\w-]+)\]", body, flags=re.MULTILINE)
    assert examples, f"the '{kind}' section shows no example message"
    assert {found for _, found in examples} == {kind}, f"the '{kind}' section shows messages of another type"
    assert "Fix:" in body, f"the '{kind}' section does not say how to fix it"


def test_problem_type_sections_are_all_known(data_format: str) -> None:
    problems = data_format.split("\n## Problems\n", 1)[1]
    documented = {re.sub(r"[`#\s]", "", h) for h in sections(problems)}
    assert documented == set(PROBLEM_TYPES), "a section documents a problem type the code does not have"


def test_the_complete_example_is_valid(data_format: str) -> None:
    example = yaml_blocks(data_format)[0]
    dataset = parse_dataset(example, label="example")
    assert [p.format() for p in dataset.problems] == []
    assert len(dataset.positions) >= 2, "the example validated nothing"
    assert {p.voice for p in dataset.positions} <= set(VOICES)


def test_the_example_quotes_are_real(data_format: str) -> None:
    # the example copies records from the bundled dataset: no quote is made up for the docs
    example = yaml.safe_load(yaml_blocks(data_format)[0])
    bundled = yaml.safe_load((ROOT / "positions.yaml").read_text(encoding="utf-8"))

    def key(p: dict) -> tuple:
        return (p.get("actor"), tuple(p.get("actors") or ()), p["quote"], p["source"])

    held = {key(p) for p in bundled["positions"]}
    for position in example["positions"]:
        assert key(position) in held, position["quote"][:60]


@pytest.mark.parametrize("section", sorted(RECORD_MODELS))
def test_every_field_of_every_record_is_documented(data_format: str, section: str) -> None:
    body = sections(data_format)[section]
    for name, info in RECORD_MODELS[section].model_fields.items():
        row = re.search(rf"^\| `{name}` \| (yes|no) \|", body, flags=re.MULTILINE)
        assert row, f"docs/data-format.md: no row for `{name}` under '### {section}'"
        assert (row.group(1) == "yes") == info.is_required(), f"{section}.{name}: required column is wrong"


def test_every_top_level_key_and_voice_is_documented(data_format: str) -> None:
    for key in TOP_LEVEL_KEYS:
        assert f"| `{key}` |" in data_format, key
    for voice in VOICES:
        assert f"| `{voice}` |" in data_format, voice


def cli_commands() -> list[str]:
    """Every sub-command, after importing every core module (some register their own)."""
    for module in pkgutil.iter_modules(stances.__path__):
        if module.name != "__main__":
            importlib.import_module(f"stances.{module.name}")
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


def test_cli_commands_are_found() -> None:
    assert {"validate", "schema"} <= set(cli_commands())


def test_every_cli_command_is_documented() -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md is not written yet")
    docs = [readme, *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(path.read_text(encoding="utf-8") for path in docs)
    missing = [name for name in cli_commands() if not re.search(rf"stances {re.escape(name)}\b", text)]
    assert missing == [], f"commands not mentioned as 'stances <command>' in README.md or docs/: {missing}"


def test_the_readme_counts_the_bundled_evidence_right() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    dataset = load_dataset(ROOT / "positions.yaml")
    said = re.search(r"holds (\d+) positions by (\d+) actors on (\d+) issues", readme)
    assert said, "README.md states the bundled counts"
    assert [int(n) for n in said.groups()] == [len(dataset.positions), len(dataset.actors), len(dataset.issues)]
    assert f"each of its {len(dataset.sources)} sources" in readme
