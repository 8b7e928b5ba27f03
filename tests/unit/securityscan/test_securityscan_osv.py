"""Offline OSV matching against real records of the PyPA advisory database."""

from __future__ import annotations

from pathlib import Path

import pytest
from paved.adapters.scanners import Package
from paved.adapters.scanners.osv_offline import OsvDirectory
from paved.securityscan.osv import in_range, match

DATA = Path(__file__).resolve().parents[2] / "data"
DATABASE = OsvDirectory(DATA / "osv-pypi")


def _record(package: str, advisory: str) -> dict:
    [record] = [r for r in DATABASE.records_for(package) if r["id"] == advisory]
    return dict(record)


def _ids(package: str, version: str) -> set[str]:
    found = (match(r, Package(package, version)) for r in DATABASE.records_for(package))
    return {f.id for f in found if f is not None}


def test_flask_2_3_1_matches_its_advisory_with_aliases_and_the_fix_of_its_branch():
    finding = match(_record("flask", "PYSEC-2023-62"), Package("Flask", "2.3.1"))

    assert finding is not None
    assert finding.aliases == ("CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq")
    assert finding.fixed_versions == ("2.3.2",)
    assert finding.installed_version == "2.3.1"
    assert finding.severity.value == "unknown"  # the PyPA record carries no rating


@pytest.mark.parametrize(
    ("version", "affected"),
    [("2.2.4", True), ("2.2.5", False), ("2.2.9", False), ("2.3.0", True), ("2.3.2", False)],
)
def test_two_introduced_fixed_pairs_leave_a_gap_between_them(version: str, affected: bool):
    assert (match(_record("flask", "PYSEC-2023-62"), Package("flask", version)) is not None) is (
        affected
    )


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("4.1.4", False),
        ("4.2.0", True),
        ("4.3.5", True),
        ("4.3.6", False),
        ("4.4.0", True),
        ("4.4.3", False),
        ("4.5.2", True),
        ("4.5.3", False),
    ],
)
def test_three_ranges_in_one_record(version: str, affected: bool):
    [rng] = [r for a in _record("redis", "PYSEC-2023-45")["affected"] for r in a["ranges"]]
    assert in_range(rng["events"], version) is affected


def test_last_affected_includes_that_version_and_nothing_after():
    record = _record("py", "PYSEC-2022-42969")
    assert match(record, Package("py", "1.11.0")) is not None
    assert match(record, Package("py", "1.11.1")) is None


def test_withdrawn_records_match_nothing():
    record = _record("loguru", "PYSEC-2022-15")
    assert record["withdrawn"]
    assert match(record, Package("loguru", "0.5.3")) is None
    assert "PYSEC-2022-15" not in _ids("loguru", "0.5.3")


def test_explicit_versions_list_matches_even_without_a_range():
    record = _record("flask", "PYSEC-2023-62")
    record["affected"] = [{**a, "ranges": []} for a in record["affected"]]
    assert match(record, Package("flask", "2.3.1")) is not None
    assert match(record, Package("flask", "3.1.3")) is None


def test_the_example_services_pins_have_no_advisories():
    for package, version in (("flask", "3.1.3"), ("gunicorn", "27.0.1")):
        assert _ids(package, version) == set()
