"""The checks of one record and of the file's header, as problems in the user's terms.

pydantic validates each record with its model (stances.model); this module turns its errors into
problems with a hint saying what to write instead, placed at the offending key or value (a
stances.records.Fields says where each is). The title and the scale are checked here too, so
both load paths apply the same rules: the reference path reports what this finds, the fast path
steps aside whenever it finds anything. A value is quoted cut to a bound (stances.problems.quoted):
a file may repeat a megabyte-long value by thousands of aliases.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from stances.compose import PLAIN_INT
from stances.hints import closest, date_hint, did_you_mean, stance_hint
from stances.model import Compactor, Position, Record, Scale
from stances.problems import quoted, shortened
from stances.records import INVALID, Fields, Place, Report

SCALE_HINT = "write labels for every integer from -k to k, e.g. -2: strongly opposes ... 2: strongly supports"
# A longer text in a field of ids or choices is handed to pydantic cut to this length: pydantic
# copies the whole text to compare it (a 6 MB voice took 0.7 ms, repeated by 9,000 aliases 6 s)
# and fails it the same way at any length past 100; messages quote the whole text's length.
MAX_SHORT_FIELD_CHARS = 1000


def read_title(value: Any, place: Place | None, label: str, report: Report) -> str:
    """The dataset title from the converted ``title`` value (the file name when there is none)."""
    fallback = Path(label).name
    if value is None or value is INVALID:
        return fallback
    if isinstance(value, str) and not value.strip():
        report.add("empty-text", place, "title", "the title must not be empty", "write a title or remove the key")
        return fallback
    if not isinstance(value, str):
        report.add("wrong-type", place, "title", *_text_expected(value, place.text if place else None))
        return fallback
    return value


def read_scale(value: Any, place: Place | None, report: Report) -> Scale:
    """The stance scale from the converted ``scale`` value; the default -2..2 when absent or unusable.

    Keys arrive as text (the reference) or as ints (yaml-rs): both are read alike.
    """
    if value is None or value is INVALID:
        return Scale()
    if not isinstance(value, dict) or not value:
        report.add("invalid-scale", place, "scale", "the scale must be a mapping of stances to labels", SCALE_HINT)
        return Scale()
    if not all(type(k) is int or (isinstance(k, str) and PLAIN_INT.match(k)) for k in value):
        report.add("invalid-scale", place, "scale", "every stance on the scale must be a whole number", SCALE_HINT)
        return Scale()
    labels = {int(k): v for k, v in value.items()}
    k = max(labels)
    if k < 1 or set(labels) != set(range(-k, k + 1)):
        found = ", ".join(str(s) for s in sorted(labels))
        message = f"the scale must run from -k to k without gaps; found {found}"
        report.add("invalid-scale", place, "scale", message, SCALE_HINT)
        return Scale()
    if not all(isinstance(v, str) and v.strip() for v in labels.values()):
        report.add("invalid-scale", place, "scale", "every stance on the scale needs a text label", SCALE_HINT)
        return Scale()
    return Scale(labels=labels)


def check_record(
    model: type[Record], fields: Fields, scale: Scale, report: Report, compactor: Compactor
) -> Record | None:
    """Validate one record's fields with its model and report every mistake; the compact record,
    or None when it has a problem (``INVALID`` values were reported when they were read)."""
    loc = fields.loc
    broken = {k for k, v in fields.values.items() if v is INVALID}
    data = {k: v for k, v in fields.values.items() if k not in broken}
    originals = _cut_long_values(model, data)
    stance = data.get("stance")
    if model is Position and type(stance) is int and stance not in scale.labels:
        report.add(
            "out-of-range",
            fields.place("stance"),
            f"{loc}.stance",
            f"{stance} is not on the scale {scale.low}..{scale.high}",
            f"use one of: {scale.describe()}, or null if the speaker declined to state a position",
        )
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        if report.full:  # past the listing limit: count, but skip the costly hints
            report.reported += exc.error_count()
            return None
        errors = exc.errors(include_url=False, include_context=False)
        if originals:
            _restore_inputs(errors, originals)
        guessed = {closest(str(e["loc"][0]), model.model_fields) for e in errors if e["type"] == "extra_forbidden"}
        if model is Position and not {"actor", "actors"} & (data.keys() | broken | guessed):
            # the record-level check runs only once every field is valid: say it now, with the rest
            errors = [{"type": "missing", "loc": ("actor",)}, *(e for e in errors if e["loc"])]
        for error in errors:
            name = str(error["loc"][0]) if error["loc"] else ""
            if name in broken or (error["type"] == "missing" and name in guessed):
                continue  # already reported: a broken value, or a misspelt key
            if not error["loc"]:  # record-level; "missing" is said above or at the broken key
                if error["type"] != "missing":
                    _signatories_problem(error["type"], fields, report)
                continue
            _translate(error, model, fields, report, scale)
        return None
    if broken:
        return None
    return compactor.compact(record, fields.line, fields.column)


@cache
def _short_fields(model: type[Record]) -> frozenset[str]:
    """The fields whose valid values are short: ids (a length limit) and choices (a fixed set),
    or lists of them, as the model's JSON Schema says."""

    def short(schema: dict[str, Any]) -> bool:
        if "enum" in schema or "const" in schema or "maxLength" in schema:
            return True
        items = schema.get("items")
        return any(short(option) for option in schema.get("anyOf", ())) or (items is not None and short(items))

    return frozenset(name for name, schema in model.model_json_schema()["properties"].items() if short(schema))


def _cut_long_values(model: type[Record], data: dict[str, Any]) -> dict[str, Any]:
    """Cut, in ``data``, each text longer than MAX_SHORT_FIELD_CHARS in a field of ids or choices
    (or in a list of ids) to that length plus one; the original values, by field."""
    limit = MAX_SHORT_FIELD_CHARS
    originals: dict[str, Any] = {}
    # a look at each value's length first: this runs for every record of a file
    long = [name for name, value in data.items() if type(value) is list or (type(value) is str and len(value) > limit)]
    if not long:
        return originals
    for name in _short_fields(model).intersection(long):
        value = data[name]
        if type(value) is str and len(value) > limit:
            originals[name], data[name] = value, value[: limit + 1]
        elif type(value) is list and any(type(item) is str and len(item) > limit for item in value):
            cut = [item[: limit + 1] if type(item) is str else item for item in value]
            originals[name], data[name] = value, cut
    return originals


def _restore_inputs(errors: list[dict[str, Any]], originals: dict[str, Any]) -> None:
    """Give each error about a cut value the whole value back, so that messages say its length."""
    for error in errors:
        path = error["loc"]
        if not path or path[0] not in originals:
            continue
        value = originals[path[0]]
        if len(path) > 1 and isinstance(path[1], int) and isinstance(value, list):
            value = value[path[1]]
        error["input"] = value


def _signatories_problem(kind: str, fields: Fields, report: Report) -> None:
    """A position's record-level mistake: both ``actor`` and ``actors``, or a signatory twice."""
    if kind == "actor_and_actors":
        report.add(
            "invalid-value",
            fields.keys.get("actors"),
            f"{fields.loc}.actors",
            "a position names its actor once: 'actor' and 'actors' are both given",
            "keep 'actor: ID' for one actor, or 'actors: [ID, ID]' for a joint statement, not both",
        )
    else:  # repeated_signatory
        report.add(
            "invalid-value",
            fields.place("actors"),
            f"{fields.loc}.actors",
            "a joint statement lists one of its signatories twice",
            "name each signatory once: actors: [RUS, CHN]",
        )


def _translate(error: dict[str, Any], model: type[Record], fields: Fields, report: Report, scale: Scale) -> None:
    """Turn one pydantic error into a problem with a hint in the user's terms."""
    path = error["loc"]
    name = str(path[0]) if path else ""
    where = f"{fields.loc}.{name}" + "".join(f"[{p}]" for p in path[1:])
    place = fields.place(name)
    for step in path[1:]:
        if place is not None and isinstance(step, int) and step < len(place.items):
            place = place.items[step]
    kind, value = error["type"], error.get("input")
    raw = place.text if place is not None else None
    first = Place(fields.line, fields.column)

    def add(problem_type: str, message: str, hint: str, at: Place | None = place) -> None:
        report.add(problem_type, at, where, message, hint)

    if kind == "extra_forbidden":
        hint = did_you_mean(name, list(model.model_fields))
        add("unknown-key", f"unknown key {quoted(name)}", hint, fields.keys.get(name))
    elif kind == "missing":
        present = shortened(", ".join(fields.keys), 200) or "none"
        joint = " (or 'actors: [ID, ID]' for a joint statement)" if model is Position and name == "actor" else ""
        add(
            "missing-key",
            f"missing required key '{name}'",
            f"add '{name}: ...'{joint} to this record (keys present: {present})",
            first,
        )
    elif kind == "string_type":
        add("wrong-type", *_text_expected(value, raw))
    elif kind in ("int_type", "int_from_float", "int_parsing"):
        message, hint = _integer_expected(value, raw, place is not None and place.plain)
        if name == "stance" and isinstance(value, str) and not value.strip().lstrip("+-").isdigit():
            hint = stance_hint(value.strip(), scale.labels)  # 'supports': "use a number ... (supports = 1)"
        add("wrong-type", message, hint)
    elif kind == "literal_error":
        choices = _choices(name, model)
        written = str(raw if raw is not None else value)
        add(
            "invalid-value",
            f"{quoted(written)} is not one of: {', '.join(choices)}",
            did_you_mean(written, choices) or f"write one of: {', '.join(choices)}",
        )
    elif kind == "string_pattern_mismatch" and name == "language":
        add(
            "invalid-value",
            f"{quoted(str(value))} is not a two-letter language code",
            "write an ISO 639-1 code such as en, fr, ru, zh",
        )
    elif kind in ("string_pattern_mismatch", "string_too_long"):
        add(
            "invalid-id",
            f"{quoted(str(value))} cannot be an id",
            "ids are letters, digits, '-', '_' and '.', start with a letter or digit, at most 100 characters",
        )
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        if name == "date":
            add("invalid-date", message, date_hint(str(raw if raw is not None else value)))
        elif name == "url":
            add("invalid-url", message, "write the full address starting with https:// or leave the url out")
        else:
            add("empty-text", f"'{name}' {message}", f"write the {name}, or remove the key if it is optional")
    elif kind == "too_short" and name == "actors":
        add(
            "invalid-value",
            "a joint statement names at least two actors",
            "for one actor write 'actor: ID' instead of 'actors:'",
        )
    elif kind == "list_type":
        add("wrong-type", f"'{name}' must be a list", f"write {name}: [A, B]")
    else:
        add("wrong-type", str(error["msg"]), "see docs/data-format.md for this field")


def _text_expected(value: object, raw: str | None) -> tuple[str, str]:
    raw = None if raw is None else shortened(raw)
    if isinstance(value, bool):
        return (f"expected text, but '{raw}' is read by YAML as a yes/no value", f'put it in quotes: "{raw}"')
    if isinstance(value, (int, float)):
        return (f"expected text, but {raw} is read as a number", f'put it in quotes: "{raw}"')
    if value is None:
        return ("expected text, found nothing", "write the text, or remove the key if it is optional")
    kind = "a list" if isinstance(value, list) else "a mapping"
    return (f"expected text, found {kind}", 'write the text on one line, in double quotes: "..."')


def _integer_expected(value: object, raw: str | None, plain: bool = False) -> tuple[str, str]:
    raw = None if raw is None else shortened(raw)
    if isinstance(value, bool):
        return (
            f"expected a whole number, but '{raw}' is read by YAML as a yes/no value",
            "write an integer such as -1",
        )
    if isinstance(value, float):
        whole = shortened(f"{value:.0f}")
        return (f"expected a whole number, found {raw}", f"write an integer: {whole}")
    if isinstance(value, str) and plain:  # e.g. 08: not octal, so YAML 1.1 reads it as text
        return (
            f"expected a whole number, but YAML reads {shortened(value)} as text",
            "write an integer such as -1, 0 or 2",
        )
    if isinstance(value, str):
        return (
            "expected a whole number, found the text " + quoted(value, '"'),
            f"write an integer without quotes: {shortened(value.strip())}",
        )
    return ("expected a whole number", "write an integer such as -1")


def _choices(name: str, model: type[Record]) -> list[str]:
    annotation = model.model_fields[name].annotation
    args = getattr(annotation, "__args__", ())
    return [str(a) for a in args if a is not type(None)] or []


def yaml11_int(text: str) -> str:
    """How YAML 1.1 reads an integer-looking text such as ``012`` (for the message), cut to a bound;
    ``?`` when Python cannot write it (more than 4,300 digits: int() refuses, see sys.int_info)."""
    try:
        return shortened(str(yaml.safe_load(text)))
    except (yaml.YAMLError, ValueError):
        return "?"
