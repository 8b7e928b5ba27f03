"""Judging a smoke check's response: status and JSON body assertions. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paved.adapters.http.interface import HttpResponse
    from paved.deploystrategy.options import SmokeCheck


@dataclass(frozen=True)
class SmokeResult:
    """One smoke check against one endpoint; `expected`/`got` say what differed."""

    check: SmokeCheck
    url: str
    status: int | None
    ok: bool
    expected: str = ""
    got: str = ""
    seconds: float = 0.0


def _lookup(document: object, path: str) -> tuple[bool, object]:
    node = document
    for key in path.split("."):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return False, None
    return True, node


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return value if isinstance(value, str) else json.dumps(value)


def judge(check: SmokeCheck, response: HttpResponse) -> SmokeResult:  # noqa: PLR0911 - one per check
    """Whether `response` is what `check` asks for, and if not, the first difference."""

    def result(expected: str = "", got: str = "") -> SmokeResult:
        return SmokeResult(
            check, response.url, response.status, not expected, expected, got, response.seconds
        )

    if response.status is None:
        return result(f"status {check.status}", response.error or "no answer")
    if response.status != check.status:
        return result(f"status {check.status}", f"status {response.status}")
    if not check.json_equals:
        return result()
    try:
        document = json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return result("a JSON body", "not JSON")
    for path, value in check.json_equals:
        found, actual = _lookup(document, path)
        if not found:
            return result(f"{path}={value}", f"no {path}")
        if _as_text(actual) != value:
            return result(f"{path}={value}", f"{path}={_as_text(actual)}")
    return result()
