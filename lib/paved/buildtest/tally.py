"""How many tests ended how: from pytest's own verdicts when we have them, else from JUnit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.buildtest.junit import CaseStatus
from paved.errors import UsageError

if TYPE_CHECKING:
    from paved.buildtest.junit import TestReport

TALLY_SCHEMA = "paved/pytest-tally/v1"


@dataclass(frozen=True)
class Tally:
    """Counts as pytest's summary line gives them; collection errors are kept apart."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    xfailed: int = 0
    xpassed: int = 0
    errors: int = 0
    """Errors in a test's setup or teardown (a test can fail and then error in teardown)."""
    collection_errors: tuple[str, ...] = ()
    """Test modules that could not be collected (import errors, syntax errors)."""

    @property
    def total(self) -> int:
        """Every counted outcome of a test (collection errors are not tests)."""
        return self.passed + self.failed + self.skipped + self.xfailed + self.xpassed + self.errors

    @property
    def executed(self) -> int:
        """Tests that ran to a verdict of their own: skipped and xfailed ones do not count,
        so a suite of skips and expected failures is not a passing suite."""
        return self.passed + self.failed + self.xpassed + self.errors

    @property
    def broken(self) -> int:
        """Tests that failed or ended in an error."""
        return self.failed + self.errors


def parse_tally(text: str, *, source: str = "pytest tally") -> Tally:
    """The JSON the paved_pytest_tally plugin writes; UsageError naming `source` otherwise."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"is not JSON: {exc}", name=source, valid=TALLY_SCHEMA) from exc
    if not isinstance(document, dict) or document.get("schema") != TALLY_SCHEMA:
        raise UsageError("is not a pytest tally", name=source, valid=TALLY_SCHEMA)
    counts = document.get("counts")
    errors = document.get("collection_errors")
    if not isinstance(counts, dict) or not isinstance(errors, list):
        raise UsageError("lacks counts or collection_errors", name=source, valid=TALLY_SCHEMA)

    def count(name: str) -> int:
        value = counts.get(name, 0)
        return value if isinstance(value, int) else 0

    return Tally(
        passed=count("passed"),
        failed=count("failed"),
        skipped=count("skipped"),
        xfailed=count("xfailed"),
        xpassed=count("xpassed"),
        errors=count("error"),
        collection_errors=tuple(str(e) for e in errors),
    )


def tally_from_report(report: TestReport) -> Tally:
    """Counts from JUnit alone (a user's test command): an xpass that did not fail looks passed."""
    collection = tuple(c.name for c in report.cases if c.collection_error)
    return Tally(
        passed=report.count(CaseStatus.PASSED),
        failed=report.count(CaseStatus.FAILED),
        skipped=report.count(CaseStatus.SKIPPED),
        xfailed=report.count(CaseStatus.XFAILED),
        errors=report.count(CaseStatus.ERROR) - len(collection),
        collection_errors=collection,
    )
