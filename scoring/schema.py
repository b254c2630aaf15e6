"""The JSON Schema of format 1 and its errors rephrased for methodologists."""

from __future__ import annotations

import datetime
import difflib
import functools
import json
from pathlib import Path
from typing import Any, Callable

import jsonschema

from .errors import ValidationIssue, join_path, path_of

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "questionnaires" / "schema.json"

_TYPE_NAMES = {"string": "text", "number": "a number", "integer": "a whole number",
               "object": "a mapping of keys to values", "array": "a list",
               "boolean": "true or false", "null": "empty"}


@functools.cache
def schema() -> dict:
    """The JSON Schema of questionnaire files (questionnaires/schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """A reusable validator for :func:`schema`."""
    return jsonschema.Draft202012Validator(schema())


def schema_issues(data: Any, source: str,
                  line_of: Callable[[str], int | None]) -> list[ValidationIssue]:
    """Every way ``data`` breaks the schema, one plain-English issue each."""
    issues = []
    for error in validator().iter_errors(data):
        for path, message in _explain(error):
            issues.append(ValidationIssue(source, path, message, line_of(path)))
    return issues


def _explain(error: jsonschema.ValidationError) -> list[tuple[str, str]]:
    path = path_of(error.absolute_path)
    if "propertyNames" in error.relative_schema_path:
        path = join_path(path, str(error.instance))
    custom = error.schema.get("x-messages", {}) if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        return [_missing(path, error, custom)]
    if error.validator == "additionalProperties":
        return _unknown_keys(path, error)
    if error.validator in custom:
        return [(path, _with_value(error, custom[error.validator]))]
    return [(path, _RULES.get(error.validator, _fallback)(error))]


def _missing(path: str, error: jsonschema.ValidationError, custom: dict) -> tuple[str, str]:
    missing = next(k for k in error.validator_value if k not in error.instance)
    message = custom.get("required", "is required but missing")
    return join_path(path, missing), message


def _unknown_keys(path: str, error: jsonschema.ValidationError) -> list[tuple[str, str]]:
    allowed = sorted(error.schema.get("properties", {}))
    result = []
    for key in error.instance:
        if key in allowed:
            continue
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"allowed here: {', '.join(allowed)}"
        result.append((join_path(path, str(key)), f"unknown key '{key}'; {advice}"))
    return result


def _with_value(error: jsonschema.ValidationError, message: str) -> str:
    if error.validator in ("pattern", "const"):
        return f"{_describe(error.instance)} {message}"
    return message


def _type(error: jsonschema.ValidationError) -> str:
    expected = error.validator_value
    names = [expected] if isinstance(expected, str) else expected
    wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
    message = f"must be {wanted}, not {_kind(error.instance)}"
    if "string" in names and isinstance(error.instance, (int, float, datetime.date)):
        message += f' (put it in quotes: "{_kind(error.instance, bare=True)}")'
    return message


def _enum(error: jsonschema.ValidationError) -> str:
    allowed = [str(v) for v in error.validator_value]
    hint = difflib.get_close_matches(str(error.instance), allowed, n=1)
    advice = f"; did you mean '{hint[0]}'?" if hint else ""
    return f"{_describe(error.instance)} is not allowed: use one of {', '.join(allowed)}{advice}"


def _min_items(error: jsonschema.ValidationError) -> str:
    if error.validator_value == 1:
        return "must not be empty"
    return f"must have at least {error.validator_value} items"


def _fallback(error: jsonschema.ValidationError) -> str:
    return f"is not valid here ({error.message})"


_RULES: dict[str, Callable[[jsonschema.ValidationError], str]] = {
    "type": _type,
    "enum": _enum,
    "const": lambda e: f"{_describe(e.instance)} is not allowed: use {e.validator_value}",
    "minItems": _min_items,
    "minLength": lambda e: "must not be empty",
    "minProperties": lambda e: "must give a text in each of the questionnaire's languages",
    "uniqueItems": lambda e: "lists the same value more than once",
    "minimum": lambda e: f"must be at least {e.validator_value}, not {e.instance}",
    "maximum": lambda e: f"must be at most {e.validator_value}, not {e.instance}",
    "exclusiveMinimum": lambda e: f"must be greater than {e.validator_value}, not {e.instance}",
    "pattern": lambda e: f"{_describe(e.instance)} does not have the expected form",
}


def _describe(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def _kind(value: Any, bare: bool = False) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if bare:
        return str(value)
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if value is None:
        return "nothing (the value is empty)"
    return "a list" if isinstance(value, list) else "a mapping"
