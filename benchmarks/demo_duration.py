"""How long `make demo` takes from start to stop (the issue's goal: under 3 minutes warm).

Runs examples/demo.py the given number of times, one after another, and prints each run's
wall time, exit code, the machine's load average when it started, and the median of the runs
that exited 0. The first run after a change of paved's library builds the actions' runtime
venvs (cold); pass --warm-up 1 to run once more first, not counted. Each run's log goes to
--logs (the timeline is at its end).

    python benchmarks/demo_duration.py [--runs 3] [--warm-up 0] [--logs DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.py"


def one_run(log: Path) -> tuple[float, int, float]:
    """(seconds, exit code, 1-minute load average at the start) of one demo run."""
    load = os.getloadavg()[0]
    began = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(
            [sys.executable, str(DEMO)], stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode
    return time.monotonic() - began, code, load


def main() -> int:
    """Run the demo, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warm-up", type=int, default=0)
    parser.add_argument("--logs", type=Path, default=None)
    args = parser.parse_args()
    logs = args.logs or Path(tempfile.mkdtemp(prefix="paved-demo-bench-"))
    logs.mkdir(parents=True, exist_ok=True)
    for index in range(args.warm_up):
        seconds, code, load = one_run(logs / f"warm-up-{index + 1}.log")
        print(f"warm-up {index + 1}: {seconds:6.1f} s, exit {code}, load {load:.1f}", flush=True)
    passed = []
    for index in range(args.runs):
        log = logs / f"run-{index + 1}.log"
        seconds, code, load = one_run(log)
        print(f"run {index + 1}: {seconds:6.1f} s, exit {code}, load {load:.1f}, {log}", flush=True)
        if code == 0:
            passed.append(seconds)
    if not passed:
        print("no run exited 0: no median")
        return 1
    print(
        f"make demo: median {statistics.median(passed):.1f} s over {len(passed)} passing runs "
        f"(min {min(passed):.1f}, max {max(passed):.1f})"
    )
    return 0 if len(passed) == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
