"""security-scan's job summary in GitHub-flavoured markdown."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from paved.report import markdown as md
from paved.report import sarif
from paved.report.securityscan_text import ICON, TOP, names, reasons, sarif_dir, where
from paved.securityscan.findings import SEVERITY_ORDER

if TYPE_CHECKING:
    from collections.abc import Sequence

    from paved.report.sarif import SarifFile
    from paved.securityscan.outcome import SecurityScanOutcome


def summary(outcome: SecurityScanOutcome, files: Sequence[SarifFile]) -> str:
    """The job summary in GitHub-flavoured markdown."""
    result = outcome.result
    gate = outcome.fail_on.value if outcome.fail_on else "none"
    parts = [
        f"## {ICON[result]} security-scan {result.value}: {md.code(outcome.project)}",
        md.table(
            [*(s.value for s in SEVERITY_ORDER), "Ignored", "Fail on", "Time"],
            [
                [
                    *(outcome.counts[s] for s in SEVERITY_ORDER),
                    len(outcome.ignored),
                    gate,
                    md.seconds(outcome.duration_seconds),
                ]
            ],
            "rrrrrrrlr",
        ),
    ]
    why = reasons(outcome)
    if why:
        parts.append("### Why it did not pass\n" + "\n".join(f"- {md.escape_text(w)}" for w in why))
    parts.append("### Scanners\n" + _scanner_table(outcome))
    if outcome.findings:
        per_tool = Counter(tool for f in outcome.findings for tool in f.reported_by)
        parts.append(
            "### Findings by tool\n"
            + md.table(["Tool", "Findings"], sorted(per_tool.items()), "lr")
        )
        top = outcome.findings[:TOP]
        more = len(outcome.findings) - len(top)
        tail = f"\n\n…and {more} more in the SARIF files and the JSON outcome." if more > 0 else ""
        parts.append(
            "### Top findings\n"
            + md.table(
                ["Severity", "Id", "Where", "Fixed in", "Tools", "Message"],
                [
                    [
                        f.severity.value,
                        names(f),
                        where(f),
                        ", ".join(f.fixed_versions) or "—",
                        ", ".join(f.reported_by),
                        f.message,
                    ]
                    for f in top
                ],
            )
            + tail
        )
    if outcome.ignored:
        parts.append(
            "### Ignored (accepted until their expiry)\n"
            + md.table(
                ["Id", "Where", "Severity", "Reason", "Until"],
                [
                    [
                        names(i.finding),
                        where(i.finding),
                        i.finding.severity.value,
                        i.entry.reason,
                        i.entry.expires.isoformat(),
                    ]
                    for i in outcome.ignored
                ],
            )
        )
    if outcome.unused_ignores:
        unused = ", ".join(f"{e.id} ({e.location})" for e in outcome.unused_ignores)
        parts.append(f"Ignore entries that matched nothing: {md.escape_text(unused)}")
    parts.append(_artifacts(outcome, files))
    return "\n\n".join(parts) + "\n"


def _scanner_table(outcome: SecurityScanOutcome) -> str:
    rows = [
        [
            run.kind.value,
            run.tool,
            run.status.value + (" (optional)" if run.optional and run.failed else ""),
            run.findings if not run.failed else "—",
            run.checked if run.checked is not None else "—",
            md.seconds(run.seconds),
            run.error or "",
        ]
        for run in outcome.runs
    ]
    note = "in parallel" if outcome.jobs > 1 else "one after another"
    return (
        md.table(
            ["Scanner", "Tool", "Status", "Findings", "Checked", "Time", "Error"], rows, "lllrrrl"
        )
        + f"\n\nScanners ran {note}."
    )


def _artifacts(outcome: SecurityScanOutcome, files: Sequence[SarifFile]) -> str:
    lines = ["### Reports"]
    for file in files:
        path = md.code(f"{sarif_dir(outcome)}/{file.name}")
        line = f"- SARIF ({md.escape_text(file.category)}): {path}, {file.results} result(s)"
        if file.dropped:
            line += (
                f"; **{file.dropped} left out** to stay within GitHub's limits "
                f"({sarif.MAX_RESULTS_PER_RUN} results per run, 10 MB gzip per file)"
            )
        lines.append(line)
    if outcome.sbom_path:
        lines.append(f"- SBOM (CycloneDX JSON): {md.code(outcome.sbom_path)}")
    return "\n".join(lines)
