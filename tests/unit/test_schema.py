"""positions.schema.json: generated from the model, kept in sync, strict about unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stances.cli import main
from stances.compose import TextDatesLoader
from stances.schema import schema_dict, schema_json

ROOT = Path(__file__).parents[2]
SCHEMA_FILE = ROOT / "positions.schema.json"
RECORDS = ("Actor", "Issue", "Source", "Position")


def read_yaml(path: Path) -> object:
    """Plain data as the loader sees it (dates stay text), for checking against the schema."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=TextDatesLoader)  # a CSafeLoader subclass


def test_schema_file_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "positions.schema.json is stale: run `make schema` and commit the result"
    )


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_json()


def test_schema_forbids_additional_properties_everywhere() -> None:
    schema = schema_dict()
    assert schema["additionalProperties"] is False
    for name in RECORDS:
        assert schema["$defs"][name]["additionalProperties"] is False, name


def test_schema_requires_what_the_model_requires() -> None:
    defs = schema_dict()["$defs"]
    assert defs["Actor"]["required"] == ["id", "name"]
    assert defs["Source"]["required"] == ["id", "publisher"]
    assert sorted(defs["Position"]["required"]) == sorted(
        ["issue", "stance", "date", "speaker", "role", "voice", "quote", "source"]
    )
    # one actor or a joint statement's signatories, never both and never neither
    assert defs["Position"]["oneOf"] == [{"required": ["actor"]}, {"required": ["actors"]}]
    assert defs["Position"]["properties"]["actors"]["anyOf"][0]["minItems"] == 2
    assert defs["Position"]["properties"]["voice"]["enum"] == ["official", "expert", "reported"]


def test_schema_is_stable_text() -> None:
    assert schema_json() == schema_json()
    assert json.loads(schema_json())["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_valid_files_pass_the_schema_and_a_misspelt_key_fails(valid_file: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema_dict())
    for path in (valid_file, ROOT / "positions.yaml"):
        errors = [e.message for e in validator.iter_errors(read_yaml(path))]
        assert errors == [], f"{path}: {errors}"
    data = read_yaml(valid_file)
    data["positions"][0]["speeker"] = data["positions"][0].pop("speaker")
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("'speeker' was unexpected" in m for m in messages), messages
    assert any("'speaker' is a required property" in m for m in messages), messages
