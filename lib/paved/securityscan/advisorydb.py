"""Whether a surveyed folder is an OSV PyPI database fit to audit against. Pure.

An offline audit is only as good as its database: a folder in another layout (GitHub's
advisory database, OSV's unpacked zip), an empty or truncated copy, or one not refreshed for
months would report "no vulnerabilities" for the wrong reason. `judge` names every such
problem; the audit refuses to run while there is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.adapters.scanners.interface import DatabaseLayout
from paved.errors import UsageError
from paved.params import InvalidValueError, Param, shown

if TYPE_CHECKING:
    from datetime import datetime

    from paved.adapters.scanners.interface import DatabaseSurvey, RecordFault

DEFAULT_MAX_AGE = timedelta(days=30)
"""OSV's PyPI records change every day: a copy older than this misses recent advisories."""
_LONGEST_DAYS = 36_500
ANY_AGE = "any"
"""The --osv-max-age value that accepts a database of any age (fixtures, archives)."""


class ProblemKind(StrEnum):
    """Why a folder is refused as an advisory database."""

    MISSING = "missing"
    LAYOUT = "layout"
    TOO_FEW_RECORDS = "too-few-records"
    NOT_OSV = "not-osv"
    UNDATED = "undated"
    TRUNCATED = "truncated"
    TOO_OLD = "too-old"


@dataclass(frozen=True)
class DatabasePolicy:
    """What a database must be to be used."""

    max_age: timedelta | None = DEFAULT_MAX_AGE
    """None: any age is accepted."""
    min_records: int = 1


@dataclass(frozen=True)
class DatabaseProblem:
    """One reason a database is refused, with the figures a message needs."""

    kind: ProblemKind
    layout: DatabaseLayout = DatabaseLayout.UNKNOWN
    count: int = 0
    expected: int = 0
    age: timedelta | None = None
    max_age: timedelta | None = None
    faults: tuple[RecordFault, ...] = ()

    @property
    def stale_only(self) -> bool:
        """A good database that is too old: refreshing it is the fix, not another folder."""
        return self.kind is ProblemKind.TOO_OLD


def judge(
    survey: DatabaseSurvey, policy: DatabasePolicy, now: datetime
) -> tuple[DatabaseProblem, ...]:
    """Every reason `survey` is not a database to audit against; empty means it is one."""
    if not survey.exists:
        return (DatabaseProblem(ProblemKind.MISSING),)
    if survey.layout is not DatabaseLayout.PYPA or survey.records == 0:
        return (DatabaseProblem(ProblemKind.LAYOUT, layout=survey.layout),)
    problems = []
    if survey.records < policy.min_records:
        problems.append(
            DatabaseProblem(
                ProblemKind.TOO_FEW_RECORDS, count=survey.records, expected=policy.min_records
            )
        )
    if survey.faults:
        problems.append(
            DatabaseProblem(ProblemKind.NOT_OSV, count=len(survey.faults), faults=survey.faults)
        )
    if survey.undated:
        problems.append(DatabaseProblem(ProblemKind.UNDATED, count=survey.undated))
    if survey.manifest is not None and survey.manifest.records != survey.records:
        problems.append(
            DatabaseProblem(
                ProblemKind.TRUNCATED, count=survey.records, expected=survey.manifest.records
            )
        )
    current = age(survey, now)
    if policy.max_age is not None and current is not None and current > policy.max_age:
        problems.append(DatabaseProblem(ProblemKind.TOO_OLD, age=current, max_age=policy.max_age))
    return tuple(problems)


def age(survey: DatabaseSurvey, now: datetime) -> timedelta | None:
    """How long ago the newest record was modified (never negative), if any record is dated."""
    if survey.newest_modified is None:
        return None
    return max(now - survey.newest_modified, timedelta(0))


def parse_max_age(text: str, name: str) -> timedelta | None:
    """A maximum age in days (`30`, `7.5`), or `any` for no limit."""
    try:
        return max_age(text)
    except InvalidValueError as exc:
        raise UsageError(str(exc), name=name, valid=MAX_AGE_VALID) from None


MAX_AGE_VALID = f"a number of days above 0 and up to {_LONGEST_DAYS}, or '{ANY_AGE}'"


def max_age(text: str) -> timedelta | None:
    """`parse_max_age` without a parameter name: raises InvalidValueError."""
    value = text.strip().lower()
    if value == ANY_AGE:
        return None
    try:
        days = float(value.removesuffix("d"))
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or not 0 < days <= _LONGEST_DAYS:
        msg = f"{shown(text)} is not a maximum age"
        raise InvalidValueError(msg)
    return timedelta(days=days)


@dataclass(frozen=True, kw_only=True)
class MaxAge(Param):
    """A declared parameter: days an advisory database's newest record may be old, or `any`."""

    def parse(self, text: str) -> timedelta | None:
        """The age limit; None for no limit."""
        return max_age(text)

    def describe(self) -> str:
        """What values are valid."""
        return MAX_AGE_VALID

    def schema(self) -> dict[str, object]:
        """A number of days, or the word `any` (a config file may give either)."""
        return {
            "description": self.help,
            "default": self.default,
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": _LONGEST_DAYS},
                {"type": "string", "pattern": r"^([0-9]+(\.[0-9]+)?d?|any)$"},
            ],
        }
