"""One findings model: the same advisory from two tools is one finding."""

from __future__ import annotations

from paved.adapters.scanners import Finding, FindingKind, Severity
from paved.securityscan.findings import counts, merge, ordered


def _vuln(tool: str, id_: str, aliases: tuple[str, ...], **kw) -> Finding:
    return Finding(
        id=id_,
        tool=tool,
        rule=id_,
        severity=kw.pop("severity", Severity.UNKNOWN),
        message=f"{id_} from {tool}",
        kind=FindingKind.VULNERABILITY,
        aliases=aliases,
        package=kw.pop("package", "Flask"),
        installed_version=kw.pop("version", "2.3.1"),
        fixed_versions=kw.pop("fixed", ("2.3.2",)),
        **kw,
    )


def test_an_advisory_seen_by_two_tools_under_different_ids_is_one_finding():
    osv = _vuln("osv-offline", "PYSEC-2023-62", ("CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"))
    trivy = _vuln("trivy", "CVE-2023-30861", (), package="flask", severity=Severity.HIGH)

    [merged] = merge([osv, trivy])

    assert merged.id == "PYSEC-2023-62"
    assert merged.reported_by == ("osv-offline", "trivy")
    assert set(merged.aliases) == {"CVE-2023-30861", "GHSA-m2qf-hxjv-5gpq"}
    assert merged.severity is Severity.HIGH  # the rated severity wins over unknown
    assert merged.fixed_versions == ("2.3.2",)


def test_a_third_finding_can_join_two_groups_that_share_no_name_directly():
    a = _vuln("pip-audit", "PYSEC-1", ("CVE-1",))
    b = _vuln("trivy", "GHSA-1", ())
    c = _vuln("osv-offline", "CVE-1", ("GHSA-1",))
    [merged] = merge([a, b, c])
    assert set(merged.reported_by) == {"pip-audit", "trivy", "osv-offline"}


def test_the_same_advisory_for_two_versions_stays_two_findings():
    assert len(merge([_vuln("a", "X", ()), _vuln("b", "X", (), version="2.0")])) == 2


def test_code_findings_fold_only_when_identical():
    one = Finding(
        "B602", "bandit", "B602", Severity.HIGH, "m", FindingKind.CODE, file="a.py", line=3
    )
    other_column = Finding(
        "B602",
        "bandit",
        "B602",
        Severity.HIGH,
        "m",
        FindingKind.CODE,
        file="a.py",
        line=3,
        column=9,
    )
    assert len(merge([one, one, other_column])) == 2


def test_ordered_worst_first_and_counts_cover_every_severity():
    low = Finding("B101", "bandit", "B101", Severity.LOW, "m", FindingKind.CODE)
    crit = _vuln("trivy", "CVE-9", (), severity=Severity.CRITICAL)
    assert [f.id for f in ordered([low, crit])] == ["CVE-9", "B101"]
    tally = counts([low, crit])
    assert tally[Severity.CRITICAL] == 1
    assert tally[Severity.LOW] == 1
    assert tally[Severity.MEDIUM] == 0
