"""JSON Schema of the positions file, generated from the model (editor completion and checks)."""

from __future__ import annotations

import json

from stances.model import DocumentFields


def schema_dict() -> dict[str, object]:
    """The JSON Schema as a dict."""
    schema = DocumentFields.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "Countries' stated positions on missile defence: actors, issues (propositions), sources "
        "and positions with verbatim quotes. See docs/data-format.md."
    )
    return schema


def schema_json() -> str:
    """The JSON Schema as stable, indented text with a final newline."""
    return json.dumps(schema_dict(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
