"""build-test on real PyPI projects: paved's counts with no flags against plain pytest's.

For every project in benchmarks/real_projects.txt: download its sdist (`pip download --no-deps
--no-binary :all:`), unpack it twice, then
- plain: a fresh venv, `pip install` what the corpus line says (what the project's own docs or
  CI install), `python -m pytest`, and the counts of pytest's summary line;
- paved: `paved build-test PROJECT --json OUT` with no other flag, in a fresh cache.
Prints one markdown table row per project and the number of projects whose counts are equal.
With --security: `paved security-scan PROJECT` with default settings and an offline OSV
database (the vendored one, or --osv-database PATH), and the blocking findings per project.

    .venv/bin/python benchmarks/real_projects.py [--work DIR] [--only NAME ...]
    .venv/bin/python benchmarks/real_projects.py --security [--osv-database DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paved.buildtest.tally import Tally

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "benchmarks" / "real_projects.txt"
CATEGORIES = ("passed", "failed", "skipped", "xfailed", "xpassed", "errors")
_SUMMARY_COUNT = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?)\b")
_SUMMARY_LINE = re.compile(r"\b\d+ (passed|failed|skipped|xfailed|xpassed|errors?)\b.* in [\d.]+s")
_TIMEOUT = 1800


@dataclass(frozen=True)
class Project:
    """One corpus line."""

    name: str
    version: str
    install: tuple[str, ...]


def cells(counts: Tally) -> str:
    """passed/failed/skipped/xfailed/xpassed/errors, errors counted as pytest's summary does."""
    errors = counts.errors + len(counts.collection_errors)
    shown = (counts.passed, counts.failed, counts.skipped, counts.xfailed, counts.xpassed, errors)
    return "/".join(str(n) for n in shown)


def read_corpus(path: Path) -> list[Project]:
    """The projects of the corpus file."""
    projects = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spec, _, install = line.partition("|")
        name, _, version = spec.strip().partition("==")
        projects.append(Project(name, version, tuple(shlex.split(install))))
    return projects


def plain_counts(output: str) -> Tally | None:
    """The counts of pytest's last summary line ("1 failed, 296 passed, 2 skipped in 1.2s")."""
    for line in reversed(output.splitlines()):
        if _SUMMARY_LINE.search(line):
            found = {
                kind.rstrip("s") if kind == "errors" else kind: int(n)
                for n, kind in _SUMMARY_COUNT.findall(line)
            }
            found["errors"] = found.pop("error", 0)
            return Tally(**{k: v for k, v in found.items() if k in CATEGORIES})
    return None


def paved_counts(outcome: dict[str, object]) -> Tally | None:
    """paved's counts from its JSON outcome."""
    if outcome.get("passed") is None:
        return None
    numbers = {name: int(str(outcome.get(name) or 0)) for name in CATEGORIES}
    collection = outcome.get("collection_errors")
    names = tuple(str(n) for n in collection) if isinstance(collection, list) else ()
    return Tally(**numbers, collection_errors=names)


def run(argv: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> str:
    """Run a command, keep its output in `log`, return the output."""
    completed = subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=_TIMEOUT,
    )
    output = completed.stdout + completed.stderr
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ {shlex.join(argv)}\n{output}\n[exit {completed.returncode}]\n")
    return output


def unpack(sdist: Path, into: Path) -> Path:
    """Unpack an sdist; return its top directory."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    [top] = list(into.iterdir())
    return top


def sdist(project: Project, work: Path, here: Path, log: Path) -> Path | None:
    """The project's sdist, downloaded once into `work/sdists`."""
    spec = f"{project.name}=={project.version}"
    sdists = work / "sdists"
    sdists.mkdir(exist_ok=True)
    found = [p for p in sdists.glob("*.tar.gz") if _is_sdist_of(p, project)]
    if not found:
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                str(sdists),
                spec,
            ],
            here,
            log,
        )
        found = [p for p in sdists.glob("*.tar.gz") if _is_sdist_of(p, project)]
    return found[0] if found else None


def _workspace(project: Project, work: Path, what: str) -> tuple[Path, Path]:
    here = work / f"{project.name}=={project.version}"
    here.mkdir(parents=True, exist_ok=True)
    log = here / f"{what}-log.txt"
    log.write_text("", encoding="utf-8")
    return here, log


def measure(project: Project, work: Path) -> dict[str, object]:
    """Plain pytest and paved build-test on one project."""
    here, log = _workspace(project, work, "build-test")
    found = sdist(project, work, here, log)
    if found is None:
        return {"project": project.name, "version": project.version, "error": "no sdist"}
    plain_dir = unpack(found, here / "plain")
    venv = here / "plain-venv"
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(venv)], here, log)
    python = str(venv / "bin" / "python")
    run(
        [sys.executable, "-m", "pip", "--python", python, "install", *project.install],
        plain_dir,
        log,
    )
    started = time.monotonic()
    plain = plain_counts(run([python, "-m", "pytest"], plain_dir, log))
    plain_seconds = time.monotonic() - started

    paved_dir = unpack(found, here / "paved")
    cache = here / "paved-cache"
    shutil.rmtree(cache, ignore_errors=True)
    outcome, paved_seconds = run_paved(
        ["build-test", str(paved_dir)], here, log, {"PAVED_CACHE_DIR": str(cache)}
    )
    steps = {s["name"]: s["status"] for s in outcome.get("steps", [])}
    paved = paved_counts(outcome)
    return {
        "project": project.name,
        "version": project.version,
        "plain": cells(plain) if plain else "?",
        "paved": cells(paved) if paved else "?",
        "equal": plain is not None and paved is not None and cells(plain) == cells(paved),
        "result": outcome.get("result", "?"),
        "format": steps.get("format", "?"),
        "lint": steps.get("lint", "?"),
        "coverage": outcome.get("coverage_percent"),
        "plain_seconds": round(plain_seconds, 1),
        "paved_seconds": round(paved_seconds, 1),
        "reasons": [f["message"] for f in outcome.get("failures", [])],
    }


def run_paved(
    argv: list[str], here: Path, log: Path, env: dict[str, str] | None = None
) -> tuple[dict[str, Any], float]:
    """`paved ARGV --json OUT` from this checkout: its JSON outcome and the seconds it took."""
    outcome_path = here / f"{argv[0]}-outcome.json"
    outcome_path.unlink(missing_ok=True)
    started = time.monotonic()
    run(
        [sys.executable, "-m", "paved.cli", *argv, "--json", str(outcome_path)],
        here,
        log,
        env={**(env or {}), "PYTHONPATH": str(ROOT / "lib")},
    )
    seconds = time.monotonic() - started
    text = outcome_path.read_text(encoding="utf-8") if outcome_path.exists() else "{}"
    return json.loads(text), seconds


def measure_security(project: Project, work: Path, database: Path) -> dict[str, object]:
    """paved security-scan with default settings (and an offline OSV database) on one project."""
    here, log = _workspace(project, work, "security-scan")
    found = sdist(project, work, here, log)
    if found is None:
        return {"project": project.name, "version": project.version, "error": "no sdist"}
    source = unpack(found, here / "scan")
    outcome, seconds = run_paved(
        [
            "security-scan",
            str(source),
            f"--repo-root={source}",
            f"--osv-database={database}",
            "--osv-max-age=any",
        ],
        here,
        log,
    )
    findings = outcome.get("findings", [])
    runs = {r["scanner"]: r for r in outcome.get("scanners", [])}
    blocking = [f for f in findings if f["severity"] in BLOCKING]
    return {
        "project": project.name,
        "version": project.version,
        "result": outcome.get("result", "?"),
        "blocking": len(blocking),
        "blocking_ids": sorted(
            {f"{f['id']} {f.get('package') or f.get('file')}" for f in blocking}
        ),
        "findings": len(findings),
        "by_tool": {t: sum(1 for f in findings if t in f["tools"]) for t in TOOLS},
        "packages": runs.get("dependencies", {}).get("checked"),
        "scanners": {k: r["status"] for k, r in runs.items()},
        "seconds": round(seconds, 1),
    }


BLOCKING = ("critical", "high", "unknown")
"""What fails the default gate (fail-on high; an unrated advisory ranks as high)."""
TOOLS = ("bandit", "detect-secrets", "osv-offline")


def security_table(rows: list[dict[str, object]]) -> str:
    """The markdown table of the README's security-scan corpus section."""

    def cells(row: dict[str, object]) -> list[object]:
        tools = row["by_tool"]
        split = "/".join(str(tools[t]) for t in TOOLS) if isinstance(tools, dict) else "?"
        return [
            row["result"],
            row["blocking"],
            f"{row['findings']} ({split})",
            row["packages"],
            row["seconds"],
        ]

    blocked = sum(1 for row in rows if row.get("blocking"))
    return _markdown(
        ["result", "blocking", "findings (bandit/secrets/osv)", "packages audited", "seconds"],
        rows,
        cells,
        f"Blocking findings on {blocked} of {len(rows)} projects.",
    )


def _markdown(
    header: list[str],
    rows: list[dict[str, object]],
    cells: Callable[[dict[str, object]], list[object]],
    footer: str,
) -> str:
    """A table with project and version first; a row that failed says why."""
    columns = ["project", "version", *header]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        shown = [row["error"]] + [""] * (len(header) - 1) if "error" in row else cells(row)
        lines.append(
            "| " + " | ".join(str(c) for c in [row["project"], row["version"], *shown]) + " |"
        )
    return "\n".join([*lines, "", footer])


def _is_sdist_of(path: Path, project: Project) -> bool:
    stem = path.name.removesuffix(".tar.gz").lower().replace("_", "-").replace(".", "-")
    wanted = f"{project.name}-{project.version}".lower().replace("_", "-").replace(".", "-")
    return stem == wanted


def table(rows: list[dict[str, object]]) -> str:
    """The markdown table of the README."""

    def cells(row: dict[str, object]) -> list[object]:
        coverage = f"{row['coverage']}%" if row["coverage"] is not None else "—"
        equal = "yes" if row["equal"] else "**no**"
        return [
            row["plain"],
            row["paved"],
            equal,
            row["result"],
            row["format"],
            row["lint"],
            coverage,
        ]

    equal = sum(1 for row in rows if row.get("equal"))
    return _markdown(
        [
            "plain pytest p/f/s/xf/xp/e",
            "paved p/f/s/xf/xp/e",
            "equal",
            "paved result",
            "format",
            "lint",
            "coverage",
        ],
        rows,
        cells,
        f"Counts equal on {equal} of {len(rows)} projects.",
    )


def main() -> None:
    """Measure every project of the corpus (or the ones named) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "paved-real-projects")
    parser.add_argument("--only", nargs="*", default=[], help="project names to run")
    parser.add_argument("--json", type=Path, help="also write every row as JSON")
    parser.add_argument(
        "--security",
        action="store_true",
        help="run paved security-scan with default settings instead of build-test",
    )
    parser.add_argument(
        "--osv-database",
        type=Path,
        default=ROOT / "tests" / "data" / "osv-pypi",
        help="the OSV database for --security (default: the vendored, trimmed one)",
    )
    args = parser.parse_args()
    rows = []
    for project in read_corpus(CORPUS):
        if args.only and project.name not in args.only:
            continue
        if args.security:
            row = measure_security(project, args.work.resolve(), args.osv_database.resolve())
        else:
            row = measure(project, args.work.resolve())
        print(json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(security_table(rows) if args.security else table(rows))


if __name__ == "__main__":
    main()
