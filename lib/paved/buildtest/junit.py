"""Parse JUnit XML (pytest, jest-junit, go-junit-report, gotestsum) into test results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from paved.errors import UsageError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


class CaseStatus(StrEnum):
    """How one test case ended."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    XFAILED = "xfailed"


@dataclass(frozen=True)
class TestCase:
    """One test case from a JUnit report."""

    name: str
    classname: str
    status: CaseStatus
    time: float
    file: str | None = None
    """As the report names it (relative to the project for pytest)."""
    line: int | None = None
    """1-based line of the failure when it can be found, else of the test."""
    message: str = ""
    detail: str = ""

    @property
    def collection_error(self) -> bool:
        """pytest reports a module it could not collect as an error case with no class."""
        return (
            self.status is CaseStatus.ERROR
            and not self.classname
            and self.message == "collection failure"
        )


@dataclass(frozen=True)
class TestReport:
    """All test cases of one run, with totals."""

    cases: tuple[TestCase, ...]
    time: float

    def count(self, status: CaseStatus) -> int:
        """How many cases ended with `status`."""
        return sum(1 for case in self.cases if case.status is status)

    @property
    def total(self) -> int:
        """Number of test cases."""
        return len(self.cases)

    def slowest(self, n: int) -> tuple[TestCase, ...]:
        """The `n` slowest cases, slowest first."""
        return tuple(sorted(self.cases, key=lambda case: case.time, reverse=True)[:n])


# Traceback locations such as "tests/test_app.py:15: AssertionError".
_TRACE_LOCATION = re.compile(r"^(?P<file>[^\s:][^:\n]*?\.\w+):(?P<line>\d+):", re.MULTILINE)


def parse_junit(text: str, *, source: str = "JUnit XML", project: str | None = None) -> TestReport:
    """Parse a JUnit XML document. Raise UsageError naming `source` if it is not JUnit.

    Cases without a file attribute (node --test, jest) get the file and line of the first
    stack frame inside `project`, so their annotations still point at the failing line.
    """
    try:
        root = SafeET.fromstring(text)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise UsageError(
            f"is not well-formed XML: {exc}", name=source, valid="a JUnit XML report"
        ) from exc
    if root.tag not in {"testsuites", "testsuite"}:
        raise UsageError(
            f"has root element <{root.tag}>",
            name=source,
            valid="a JUnit XML report with <testsuites> or <testsuite> at its root",
        )
    # Every suite, nested ones included (jest nests them; some tools nest under a <testsuite>
    # root); each contributes only its direct <testcase> children, so none is counted twice.
    # node --test writes <testcase> straight under <testsuites>.
    cases: list[TestCase] = [_case(e, None, project) for e in root.findall("testcase")]
    if root.tag == "testsuite":
        cases = []
    for suite in root.iter("testsuite"):
        suite_file = suite.get("file")
        cases.extend(_case(e, suite_file, project) for e in suite.findall("testcase"))
    if root.get("time"):
        total_time = _float(root.get("time"))
    else:
        total_time = sum(_float(suite.get("time")) for suite in root.findall("testsuite"))
    return TestReport(cases=tuple(cases), time=total_time)


def _case(element: Element, suite_file: str | None, project: str | None) -> TestCase:
    status = CaseStatus.PASSED
    message = ""
    detail = ""
    for tag, case_status in (
        ("failure", CaseStatus.FAILED),
        ("error", CaseStatus.ERROR),
        ("skipped", CaseStatus.SKIPPED),
    ):
        found = element.find(tag)
        if found is not None:
            status = case_status
            if tag == "skipped" and found.get("type") == "pytest.xfail":
                status = CaseStatus.XFAILED
            message = found.get("message") or ""
            detail = found.text or ""
            break
    file = element.get("file") or suite_file
    failed = status in {CaseStatus.FAILED, CaseStatus.ERROR}
    line = _failure_line(file, detail) if failed else None
    if failed and file is None and project is not None:
        file, line = _stack_location(detail, project)
    if line is None and element.get("line") is not None:
        # pytest's xunit1 "line" is the 0-based line of the test function.
        line = int(_float(element.get("line"))) + 1
    return TestCase(
        name=element.get("name") or "",
        classname=element.get("classname") or "",
        status=status,
        time=_float(element.get("time")),
        file=file,
        line=line,
        message=message,
        detail=detail,
    )


def _failure_line(file: str | None, detail: str) -> int | None:
    """The line in the test's own file where the failure was raised (last traceback entry)."""
    if file is None:
        return None
    found = [int(m["line"]) for m in _TRACE_LOCATION.finditer(detail) if m["file"] == file]
    return found[-1] if found else None


# "/abs/project/test/math.test.js:9:10" inside a JavaScript or similar stack trace.
_STACK_FRAME = re.compile(r"(?P<path>/[^\s():'\"]+):(?P<line>\d+)(?::\d+)?")


def _stack_location(detail: str, project: str) -> tuple[str | None, int | None]:
    """The first stack frame in the project's own code (not in node_modules)."""
    root = project.rstrip("/") + "/"
    for match in _STACK_FRAME.finditer(detail):
        path = match["path"]
        if path.startswith(root) and "/node_modules/" not in path:
            return path[len(root) :], int(match["line"])
    return None, None


def _float(value: str | None) -> float:
    if not value:
        return 0.0
    try:
        return float(value.replace(",", ""))
    except ValueError:
        return 0.0
