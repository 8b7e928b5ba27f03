"""Judging a surveyed folder before an offline audit: layout, records, dates, age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from paved.adapters.scanners.interface import (
    DatabaseLayout,
    DatabaseManifest,
    DatabaseSurvey,
    RecordFault,
    RecordFaultKind,
)
from paved.errors import UsageError
from paved.report.advisories import refusal
from paved.securityscan.advisorydb import (
    DatabasePolicy,
    ProblemKind,
    age,
    judge,
    parse_max_age,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ROOT = Path("/srv/osv")


def _survey(**changes: object) -> DatabaseSurvey:
    fields: dict[str, object] = {
        "root": ROOT,
        "exists": True,
        "layout": DatabaseLayout.PYPA,
        "packages": 600,
        "records": 2600,
        "newest_modified": NOW - timedelta(days=2),
        "sampled": 33,
    }
    fields.update(changes)
    return DatabaseSurvey(**fields)  # type: ignore[arg-type]


def _kinds(survey: DatabaseSurvey, policy: DatabasePolicy | None = None) -> list[ProblemKind]:
    return [p.kind for p in judge(survey, policy or DatabasePolicy(), NOW)]


def test_a_fresh_complete_database_is_usable():
    assert _kinds(_survey()) == []


def test_a_missing_folder_is_refused():
    assert _kinds(_survey(exists=False, layout=DatabaseLayout.UNKNOWN)) == [ProblemKind.MISSING]


@pytest.mark.parametrize(
    "layout", [DatabaseLayout.GITHUB, DatabaseLayout.OSV_EXPORT, DatabaseLayout.UNKNOWN]
)
def test_another_layout_is_refused_and_named(layout: DatabaseLayout):
    survey = _survey(layout=layout, records=0, packages=0)
    [problem] = judge(survey, DatabasePolicy(), NOW)
    assert (problem.kind, problem.layout) == (ProblemKind.LAYOUT, layout)


def test_the_github_layout_is_named_in_the_refusal():
    survey = _survey(layout=DatabaseLayout.GITHUB, records=0, packages=0)
    text = refusal(survey, judge(survey, DatabasePolicy(), NOW))
    assert "not an OSV PyPI database" in text
    assert "GitHub's advisory database" in text


def test_a_pypa_layout_without_records_is_refused():
    assert _kinds(_survey(records=0, packages=0)) == [ProblemKind.LAYOUT]


def test_fewer_records_than_required_is_refused():
    problems = judge(_survey(records=40), DatabasePolicy(min_records=1000), NOW)
    assert [(p.kind, p.count, p.expected) for p in problems] == [
        (ProblemKind.TOO_FEW_RECORDS, 40, 1000)
    ]


def test_records_that_are_not_osv_records_of_their_folder_are_refused():
    faults = (RecordFault("vulns/GHSA-x/GHSA-x.json", RecordFaultKind.OTHER_PACKAGE),)
    [problem] = judge(_survey(faults=faults), DatabasePolicy(), NOW)
    assert problem.kind is ProblemKind.NOT_OSV
    assert problem.faults == faults


def test_undated_records_are_refused():
    assert _kinds(_survey(undated=3)) == [ProblemKind.UNDATED]


def test_a_copy_with_fewer_records_than_its_import_wrote_is_refused():
    manifest = DatabaseManifest("https://osv.example/all.zip", NOW, records=2601)
    assert _kinds(_survey(manifest=manifest)) == [ProblemKind.TRUNCATED]
    assert _kinds(_survey(manifest=manifest, records=2601)) == []


def test_a_database_older_than_the_limit_is_refused_as_stale_only():
    survey = _survey(newest_modified=NOW - timedelta(days=31))
    [problem] = judge(survey, DatabasePolicy(max_age=timedelta(days=30)), NOW)
    assert problem.kind is ProblemKind.TOO_OLD
    assert problem.stale_only
    assert problem.age == timedelta(days=31)
    assert "too old to audit against" in refusal(survey, [problem])


def test_any_age_accepts_an_old_database():
    assert _kinds(_survey(newest_modified=NOW - timedelta(days=900)), DatabasePolicy(None)) == []


def test_a_record_dated_in_the_future_is_zero_days_old():
    assert age(_survey(newest_modified=NOW + timedelta(hours=5)), NOW) == timedelta(0)


def test_every_problem_is_reported_at_once():
    manifest = DatabaseManifest("x", NOW, records=10)
    survey = _survey(undated=1, newest_modified=NOW - timedelta(days=99), manifest=manifest)
    assert _kinds(survey) == [ProblemKind.UNDATED, ProblemKind.TRUNCATED, ProblemKind.TOO_OLD]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30", timedelta(days=30)), ("7.5", timedelta(days=7.5)), ("14d", timedelta(days=14))],
)
def test_max_age_in_days(text: str, expected: timedelta):
    assert parse_max_age(text, "--osv-max-age") == expected


@pytest.mark.parametrize("text", ["any", "ANY", " any "])
def test_max_age_any_is_no_limit(text: str):
    assert parse_max_age(text, "--osv-max-age") is None


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "1e400", "36501", "", "a week"])
def test_max_age_refuses_what_is_not_a_positive_number_of_days(text: str):
    with pytest.raises(UsageError, match=r"--osv-max-age: .* is not a maximum age"):
        parse_max_age(text, "--osv-max-age")
