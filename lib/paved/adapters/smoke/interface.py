"""HTTP smoke checks as data, and the pure judging of a response against one: its status and
its JSON body. Shared by deploy-strategy (before traffic, between steps) and rollback-guard
(a check of its analysis); no I/O here, the request is the HTTP client's."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.errors import UsageError

if TYPE_CHECKING:
    from paved.adapters.http.interface import HttpResponse

_SMOKE_STATUS = re.compile(r"status=(?P<status>[1-5][0-9][0-9])")
_SMOKE_JSON = re.compile(r"json\.(?P<path>[A-Za-z0-9_.-]+)=(?P<value>.*)")


@dataclass(frozen=True)
class SmokeCheck:
    """One HTTP request a version must answer as expected before it gets traffic."""

    path: str
    status: int = 200
    json_equals: tuple[tuple[str, str], ...] = ()
    """Dotted paths into the JSON body and the text their value must have."""

    def __str__(self) -> str:
        parts = [self.path, f"status={self.status}"]
        parts += [f"json.{path}={value}" for path, value in self.json_equals]
        return " ".join(parts)


def parse_smoke_check(text: str) -> SmokeCheck:
    """`/api/data status=200 json.version=1.2.3` -> SmokeCheck; the path comes first."""
    valid = "'/path [status=NNN] [json.key.path=value ...]', e.g. '/health json.status=healthy'"
    words = text.split()
    if not words or not words[0].startswith("/"):
        raise UsageError(f"{text!r} does not start with a path", name="smoke", valid=valid)
    status = 200
    expected: list[tuple[str, str]] = []
    for word in words[1:]:
        if match := _SMOKE_STATUS.fullmatch(word):
            status = int(match["status"])
        elif match := _SMOKE_JSON.fullmatch(word):
            expected.append((match["path"], match["value"]))
        else:
            raise UsageError(f"{word!r} in {text!r} is not understood", name="smoke", valid=valid)
    return SmokeCheck(words[0], status, tuple(expected))


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
