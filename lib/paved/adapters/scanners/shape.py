"""A scanner's report counts only when it has the shape that scanner documents.

A scanner that exits 0 and prints `{}` has not said "no findings"; it has said nothing. Each
parser loads its report through `load(tool, text, SHAPE)`, where SHAPE names every key the
gate relies on (the list of results, and what was scanned). Anything else is a ScannerError,
so the gate fails closed (exit 3) instead of counting a broken tool as a clean scan.

A shape is a Python type (`str`, `int`, `bool`, `dict`, `list`), a `{key: shape}` mapping (every
key required unless wrapped in `Optional`), a one-element list `[item_shape]` (a list whose
every item has that shape), `Mapping(value_shape)` (a JSON object of arbitrary keys), or
`Literal(value, ...)`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from paved.adapters.scanners.interface import ScannerError


@dataclass(frozen=True)
class Optional:
    """A key that may be absent (or null); when present it has `shape`."""

    shape: object


@dataclass(frozen=True)
class Mapping:
    """A JSON object with arbitrary keys, every value of `shape`."""

    shape: object


class Literal:
    """One of a few exact values (a format name, a schema version)."""

    def __init__(self, *values: object) -> None:
        self.values = values


_JSON_TYPE = {str: "a string", int: "a number", float: "a number", bool: "true or false"}
_JSON_TYPE |= {dict: "an object", list: "a list"}


def problem(value: object, shape: object, where: str = "$") -> str | None:
    """The first way `value` differs from `shape`, as `where: what`, or None when it fits."""
    found: str | None = None
    if isinstance(shape, Literal):
        if value not in shape.values:
            found = f"{where}: is {value!r}, expected one of {list(shape.values)!r}"
    elif isinstance(shape, Optional):
        found = None if value is None else problem(value, shape.shape, where)
    elif isinstance(shape, type):
        found = _type_problem(value, shape, where)
    elif isinstance(shape, Mapping):
        found = _type_problem(value, dict, where) or _first(
            problem(item, shape.shape, f"{where}.{key}") for key, item in _items(value)
        )
    elif isinstance(shape, dict):
        found = _type_problem(value, dict, where) or _object_problem(value, shape, where)
    elif isinstance(shape, list):
        found = _type_problem(value, list, where) or _first(
            problem(item, shape[0], f"{where}[{index}]") for index, item in enumerate(_seq(value))
        )
    return found


def load(tool: str, text: str, shape: object) -> Any:  # noqa: ANN401 - JSON of a known shape
    """Parse `text` as JSON and check it against `shape`; a ScannerError says what is off."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScannerError(tool, f"printed no JSON report ({exc})") from exc
    wrong = problem(document, shape)
    if wrong is not None:
        raise ScannerError(tool, f"printed a report that is not {tool}'s format ({wrong})")
    return document


def _type_problem(value: object, expected: type, where: str) -> str | None:
    # JSON has one number type; bool is not a number there even though Python says so.
    if expected in {int, float}:
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        fits = isinstance(value, expected)
    if fits:
        return None
    shown = "missing" if value is None else f"{_JSON_TYPE.get(type(value), type(value).__name__)}"
    return f"{where}: is {shown}, expected {_JSON_TYPE.get(expected, expected.__name__)}"


def _object_problem(value: object, shape: dict[str, object], where: str) -> str | None:
    document = value if isinstance(value, dict) else {}
    for key, item_shape in shape.items():
        if key not in document and not isinstance(item_shape, Optional):
            return f"{where}.{key}: is missing"
        wrong = problem(document.get(key), item_shape, f"{where}.{key}")
        if wrong is not None:
            return wrong
    return None


def _items(value: object) -> list[tuple[str, object]]:
    return list(value.items()) if isinstance(value, dict) else []


def _seq(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _first(problems: Any) -> str | None:  # noqa: ANN401 - any iterable of problems
    return next((p for p in problems if p is not None), None)
