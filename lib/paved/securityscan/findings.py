"""One findings model across tools: deduplication, ordering and counting. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from paved.adapters.scanners.interface import Finding, FindingKind, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

SEVERITY_ORDER = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.UNKNOWN,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.INFO,
)
"""Worst first, as summaries list them."""


def merge(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings with duplicates folded together.

    The same advisory for the same package and version, seen by two tools or under two
    names (an id in one tool is an alias in the other), becomes one finding that keeps
    every tool and every alias. Other findings fold only when they are the same rule at
    the same place from the same tool.
    """
    groups: list[list[Finding]] = []
    by_name: dict[tuple[str, str, str], int] = {}
    by_place: dict[tuple[object, ...], int] = {}
    for finding in findings:
        if finding.kind is FindingKind.VULNERABILITY and finding.package:
            index = _advisory_group(finding, groups, by_name)
        else:
            key = (
                finding.tool,
                finding.rule,
                finding.file,
                finding.line,
                finding.column,
                finding.package,
                finding.message,
            )
            index = by_place.setdefault(key, len(groups))
            if index == len(groups):
                groups.append([])
        groups[index].append(finding)
    return tuple(_fold(group) for group in groups if group)


def _advisory_group(
    finding: Finding, groups: list[list[Finding]], by_name: dict[tuple[str, str, str], int]
) -> int:
    package = str(canonicalize_name(finding.package or ""))
    version = finding.installed_version or ""
    names = [(package, version, name.upper()) for name in (finding.id, *finding.aliases)]
    known = sorted({by_name[n] for n in names if n in by_name})
    if not known:
        index = len(groups)
        groups.append([])
    else:
        index = known[0]
        # The finding links groups that were separate until now: join them.
        for other in known[1:]:
            groups[index].extend(groups[other])
            groups[other] = []
            for key, value in list(by_name.items()):
                if value == other:
                    by_name[key] = index
    for name in names:
        by_name[name] = index
    return index


def _fold(group: Sequence[Finding]) -> Finding:
    first = group[0]
    if len(group) == 1:
        return first
    tools = tuple(dict.fromkeys(tool for f in group for tool in f.reported_by))
    names = dict.fromkeys(name for f in group for name in (f.id, *f.aliases))
    names.pop(first.id, None)
    fixed = tuple(dict.fromkeys(v for f in group for v in f.fixed_versions))
    placed = next((f for f in group if f.file), first)
    return Finding(
        id=first.id,
        tool=first.tool,
        rule=first.rule,
        severity=worst(f.severity for f in group),
        message=first.message,
        kind=first.kind,
        aliases=tuple(names),
        package=first.package,
        installed_version=first.installed_version,
        fixed_versions=fixed,
        file=placed.file,
        line=placed.line,
        column=placed.column,
        end_line=placed.end_line,
        help_url=next((f.help_url for f in group if f.help_url), None),
        via=next((f.via for f in group if f.via), None),
        direct=next((f.direct for f in group if f.direct is not None), None),
        tools=tools if len(tools) > 1 else (),
    )


def worst(severities: Iterable[Severity]) -> Severity:
    """The worst rated severity; unknown only when no tool rated it."""
    given = list(severities)
    rated = [s for s in given if s is not Severity.UNKNOWN]
    if not rated:
        return Severity.UNKNOWN
    return max(rated, key=lambda s: s.rank)


def ordered(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Worst first; then by tool, file, line and id, so reports are stable."""
    position = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}
    return tuple(
        sorted(
            findings,
            key=lambda f: (position[f.severity], f.tool, f.file or "", f.line or 0, f.id),
        )
    )


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Findings per severity, every severity present (zero when none)."""
    tally = dict.fromkeys(SEVERITY_ORDER, 0)
    for finding in findings:
        tally[finding.severity] += 1
    return tally
