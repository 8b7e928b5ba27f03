"""What `paved advisories` and the offline audit say about an advisory database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.scanners.interface import DatabaseLayout
from paved.model import Result
from paved.report import markdown as md
from paved.report.outcome_json import assemble
from paved.securityscan.advisorydb import ANY_AGE, ProblemKind, age

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta

    from paved.adapters.scanners.interface import DatabaseSurvey
    from paved.model import Rendered
    from paved.securityscan.advisorydb import DatabasePolicy, DatabaseProblem

CAPABILITY = "advisories"
REFRESH = "refresh it with `paved advisories update` (online) or `paved advisories import ZIP`"
_LAYOUTS = {
    DatabaseLayout.GITHUB: "it is laid out as GitHub's advisory database "
    "(advisories/github-reviewed/<year>/<month>/GHSA-.../), whose records paved does not read",
    DatabaseLayout.OSV_EXPORT: "it holds OSV's export unpacked (<ID>.json at the top): "
    "import it with `paved advisories import FOLDER`",
    DatabaseLayout.UNKNOWN: "it holds no vulns/<package>/<ID>.yaml|json records",
    DatabaseLayout.PYPA: "it holds no records",
}


def days(span: timedelta) -> str:
    """A duration as a user reads an age: `3.2 days`, `30 days`, `873 days`."""
    value = span.total_seconds() / 86_400
    if value.is_integer() or value >= 100:  # noqa: PLR2004 - decimals stop mattering
        return f"{value:,.0f} days"
    return f"{value:,.1f} days"


def problem_text(problem: DatabaseProblem) -> str:
    """One problem as a clause."""
    if problem.kind is ProblemKind.LAYOUT:
        return _LAYOUTS[problem.layout]
    if problem.kind is ProblemKind.NOT_OSV:
        named = ", ".join(f"{f.path} ({f.kind.value})" for f in problem.faults[:3])
        return (
            f"{problem.count} of the records checked are not OSV records of their package: " + named
        )
    if problem.kind is ProblemKind.TOO_OLD:
        return _stale(problem)
    return _COUNTED[problem.kind].format(count=problem.count, expected=problem.expected)


_COUNTED = {
    ProblemKind.MISSING: "it does not exist or is not a folder",
    ProblemKind.TOO_FEW_RECORDS: "it holds {count} records, fewer than the {expected} required",
    ProblemKind.UNDATED: "{count} records have no `modified` time",
    ProblemKind.TRUNCATED: "it holds {count} records where its import wrote {expected}: "
    "an incomplete copy",
}


def _stale(problem: DatabaseProblem) -> str:
    assert problem.age is not None  # noqa: S101 - TOO_OLD always carries both
    assert problem.max_age is not None  # noqa: S101
    return (
        f"its newest record is {days(problem.age)} old, over the limit of "
        f"{days(problem.max_age)}: {REFRESH}, or allow an older one with a larger maximum age "
        f"('{ANY_AGE}' for no limit)"
    )


def refusal(survey: DatabaseSurvey, problems: Sequence[DatabaseProblem]) -> str:
    """Why the folder is not audited against, in one line."""
    what = (
        "too old to audit against"
        if all(p.stale_only for p in problems)
        else ("not an OSV PyPI database to audit against")
    )
    return f"the OSV database {survey.root} is {what}: " + "; ".join(map(problem_text, problems))


def render(
    survey: DatabaseSurvey,
    problems: Sequence[DatabaseProblem],
    policy: DatabasePolicy,
    now: datetime,
    *,
    written: int | None = None,
) -> Rendered:
    """The state of a database a user may audit against (after an import when `written`)."""
    current = age(survey, now)
    result = Result.PASSED if not problems else Result.FAILED
    fields: dict[str, object] = {
        "result": result.value,
        "database": str(survey.root),
        "layout": survey.layout.value,
        "packages": survey.packages,
        "records": survey.records,
        "newest_modified": survey.newest_modified.isoformat() if survey.newest_modified else None,
        "age_days": round(current.total_seconds() / 86_400, 2) if current is not None else None,
        "max_age_days": policy.max_age.days if policy.max_age is not None else None,
        "source": survey.manifest.source if survey.manifest else None,
        "imported_at": survey.manifest.imported_at.isoformat() if survey.manifest else None,
        "written": written,
        "problems": [{"kind": p.kind.value, "message": problem_text(p)} for p in problems],
    }
    rows = _rows(survey, current, policy, written)
    verdict = "usable for an offline audit" if not problems else refusal(survey, problems)
    console = (
        f"paved advisories: {survey.root}\n"
        + "".join(f"  {name + ':':<9} {value}\n" for name, value in rows)
        + f"  {verdict}\n"
    )
    summary = (
        f"### {'✅' if not problems else '❌'} OSV advisory database\n\n"
        + md.table(["", ""], [[name, md.code(value)] for name, value in rows])
        + f"\n{md.escape_text(verdict)}\n"
    )
    return assemble(CAPABILITY, result, fields, summary=summary, console=console)


def _rows(
    survey: DatabaseSurvey, current: timedelta | None, policy: DatabasePolicy, written: int | None
) -> list[tuple[str, str]]:
    limit = "no limit" if policy.max_age is None else f"limit {days(policy.max_age)}"
    rows = [
        ("records", f"{survey.records:,} in {survey.packages:,} packages"),
        (
            "newest",
            "none dated"
            if survey.newest_modified is None or current is None
            else f"{survey.newest_modified:%Y-%m-%d %H:%M} UTC, {days(current)} old ({limit})",
        ),
    ]
    if survey.manifest is not None:
        when = f"{survey.manifest.imported_at:%Y-%m-%d %H:%M} UTC"
        rows.append(("source", f"{survey.manifest.source}, imported {when}"))
    if written is not None:
        rows.append(("written", f"{written:,} record files"))
    return rows
