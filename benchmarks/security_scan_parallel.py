"""Wall time of a full security scan of examples/python-service: scanners in parallel versus
one after another (`--jobs=1`). Prints the medians of a few runs side by side.

    python benchmarks/security_scan_parallel.py [--runs 3]

The dependency audit runs offline against tests/data/osv-pypi (pip-audit's service is not
reachable everywhere); bandit, detect-secrets, cyclonedx-py and the audit run for real.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OSV = ROOT / "tests" / "data" / "osv-pypi"


def _scan(project: Path, jobs: int, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    argv = [sys.executable, "-m", "paved.cli", "security-scan", str(project),
            f"--osv-database={OSV}", "--osv-max-age=any", f"--output-dir={out}", f"--jobs={jobs}",
            f"--repo-root={project.parent}"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in {0, 1}:
        sys.exit(f"the scan failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def main() -> int:
    """Run the comparison and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "service"
        shutil.copytree(
            ROOT / "examples" / "python-service",
            project,
            ignore=shutil.ignore_patterns("__pycache__", ".*_cache", ".coverage", ".paved"),
        )
        _scan(project, 0, Path(temp) / "warm")  # warm the file cache and imports
        timings: dict[str, list[float]] = {"parallel": [], "serial": []}
        for run in range(args.runs):
            timings["parallel"].append(_scan(project, 0, Path(temp) / f"p{run}"))
            timings["serial"].append(_scan(project, 1, Path(temp) / f"s{run}"))
    parallel = statistics.median(timings["parallel"])
    serial = statistics.median(timings["serial"])
    print(f"full security scan of examples/python-service, {args.runs} runs, {os.cpu_count()} CPUs")
    print(f"{'mode':<34}{'median':>10}{'runs':>30}")
    for label, key in (("parallel (all scanners at once)", "parallel"),
                       ("one after another (--jobs=1)", "serial")):  # fmt: skip
        runs = ", ".join(f"{t:.2f}" for t in timings[key])
        print(f"{label:<34}{statistics.median(timings[key]):>9.2f}s{runs:>30}")
    print(f"speed-up: {serial / parallel:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
