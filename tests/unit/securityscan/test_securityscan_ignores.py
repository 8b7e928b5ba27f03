"""The ignore file: reason and expiry required; an expired entry fails loudly with file:line:col."""

from __future__ import annotations

from datetime import date

import pytest
from paved.adapters.scanners import Finding, FindingKind, Severity
from paved.errors import ConfigError, ExitCode
from paved.securityscan.ignores import apply_ignores, parse_ignore_file

TODAY = date(2026, 7, 1)
GOOD = """\
ignore:
  - id: CVE-2023-30861
    reason: we never set session.permanent
    expires: 2026-12-31
  - id: B101
    reason: asserts in tests
    expires: "2027-01-01"
    package: flask
"""


def test_entries_are_read_with_their_reasons_and_dates():
    first, second = parse_ignore_file(GOOD, ".paved-ignore.yml", TODAY)
    assert (first.id, first.expires) == ("CVE-2023-30861", date(2026, 12, 31))
    assert str(first.location) == ".paved-ignore.yml:2:5"
    assert second.package == "flask"


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("ignore:\n  - id: X\n    expires: 2027-01-01\n", "ign.yml:2:5", "no reason"),
        ("ignore:\n  - id: X\n    reason: r\n", "ign.yml:2:5", "no expires"),
        ("ignore:\n  - id: X\n    reason: r\n    expires: 2026-06-30\n", "ign.yml:4:14", "expired"),
        (
            "ignore:\n  - id: X\n    reason: r\n    expires: next week\n",
            "ign.yml:4:14",
            "not a date",
        ),
        ("ignore:\n  - id: X\n    reason: ''\n    expires: 2027-01-01\n", "ign.yml:3:13", "empty"),
        (
            "ignore:\n  - id: X\n    reason: r\n    expires: 2027-01-01\n    why: x\n",
            "ign.yml:5:5",
            "unknown key",
        ),
        ("ignores: []\n", "ign.yml:1:1", "unknown key"),
        ("ignore: [\n", "ign.yml:2:1", "not valid YAML"),
    ],
)
def test_a_bad_entry_is_a_config_error_at_its_place(text: str, where: str, says: str):
    with pytest.raises(ConfigError) as caught:
        parse_ignore_file(text, "ign.yml", TODAY)
    assert str(caught.value).startswith(where + ":")
    assert says in str(caught.value)
    assert caught.value.exit_code is ExitCode.USAGE


def test_an_entry_matches_by_id_or_alias_and_optionally_package():
    entries = parse_ignore_file(GOOD, "f", TODAY)
    vuln = Finding(
        "PYSEC-2023-62",
        "osv-offline",
        "PYSEC-2023-62",
        Severity.UNKNOWN,
        "m",
        FindingKind.VULNERABILITY,
        aliases=("CVE-2023-30861",),
        package="Flask",
    )
    code = Finding("B101", "bandit", "B101", Severity.LOW, "m", FindingKind.CODE)
    kept, ignored = apply_ignores([vuln, code], entries)
    assert kept == (code,)  # B101's entry is limited to the flask package
    assert [(f.id, e.id) for f, e in ignored] == [("PYSEC-2023-62", "CVE-2023-30861")]


def test_an_empty_file_ignores_nothing():
    assert parse_ignore_file("", "f", TODAY) == ()
    assert parse_ignore_file("ignore:\n", "f", TODAY) == ()
