"""Cold and warm overhead of one paved action step (DESIGN: warm < 1 s, cold < 20 s).

The step is what action.yml runs: `python3 lib/paved/gha/bootstrap.py build-test`, with a
runner's environment (RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, INPUT_*). The inputs
are invalid on purpose (language=cobol), so the step does everything a real step does before
the project's own work — find or build the venv, exec into it, import paved, read and
validate inputs, write the error, the summary and the outputs — and then stops (exit 2).

cold: an empty tool cache and PIP_NO_CACHE_DIR=1 (a fresh runner: venv + hash-checked install
      of requirements/runtime.txt from the package index).
warm: the venv already built by an earlier step of the job.
Figures are medians of the runs, printed with min and max; the interpreter's own start-up
(`python3 -c pass`) is printed beside them for scale.

    python benchmarks/action_overhead.py [--cold-runs 3] [--warm-runs 15]
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
BOOTSTRAP = ROOT / "lib" / "paved" / "gha" / "bootstrap.py"
EXPECTED_EXIT = 2


def runner_python() -> str:
    """The real interpreter behind `python3` (not a pyenv shim, which adds its own start-up)."""
    found = shutil.which("python3") or sys.executable
    resolved = subprocess.run(
        [found, "-c", "import sys; print(sys.executable)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return resolved.stdout.strip()


def step_env(work: Path, tool_cache: Path, *, cold: bool) -> dict[str, str]:
    """A runner's environment for one step."""
    for name in ("output", "summary"):
        (work / name).write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(work),
        "RUNNER_TEMP": str(work / "temp"),
        "GITHUB_OUTPUT": str(work / "output"),
        "GITHUB_STEP_SUMMARY": str(work / "summary"),
        "PAVED_TOOL_CACHE": str(tool_cache),
        "INPUT_LANGUAGE": "cobol",
    }
    if cold:
        env["PIP_NO_CACHE_DIR"] = "1"
    return env


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time of one process, and its exit code."""
    started = time.perf_counter()
    completed = subprocess.run(argv, env=env, capture_output=True, check=False)
    return time.perf_counter() - started, completed.returncode


def measure_step(python: str, work: Path, tool_cache: Path, *, cold: bool) -> float:
    """One action step; checks it really ran paved to the input error."""
    if cold:
        shutil.rmtree(tool_cache, ignore_errors=True)
    seconds, code = timed(
        [python, str(BOOTSTRAP), "build-test"], step_env(work, tool_cache, cold=cold)
    )
    outputs = (work / "output").read_text(encoding="utf-8")
    if code != EXPECTED_EXIT or "result<<" not in outputs:
        raise SystemExit(f"the step did not run as expected (exit {code}); outputs: {outputs!r}")
    return seconds


def line(label: str, values: list[float]) -> str:
    """One row: median, min, max."""
    return (
        f"{label:<34} median {statistics.median(values):7.3f} s   "
        f"min {min(values):7.3f} s   max {max(values):7.3f} s   (n={len(values)})"
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description="paved action step overhead")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=15)
    args = parser.parse_args()
    python = runner_python()
    with tempfile.TemporaryDirectory(prefix="paved-bench-") as temp:
        work = Path(temp) / "workspace"
        work.mkdir()
        tool_cache = Path(temp) / "tool-cache"
        cold = [measure_step(python, work, tool_cache, cold=True) for _ in range(args.cold_runs)]
        warm = [measure_step(python, work, tool_cache, cold=False) for _ in range(args.warm_runs)]
        bare = [timed([python, "-c", "pass"])[0] for _ in range(args.warm_runs)]
    print(f"interpreter: {python} ({sys.version.split()[0]} here)")
    print(line("cold step (new venv, no pip cache)", cold))
    print(line("warm step (venv reused)", warm))
    print(line("python3 -c pass (for scale)", bare))
    ratio = statistics.median(warm) / statistics.median(bare)
    print(f"targets: warm < 1 s, cold < 20 s; a warm step is {ratio:.1f}x a bare interpreter start")


if __name__ == "__main__":
    main()
