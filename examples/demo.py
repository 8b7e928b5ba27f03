"""`make demo`: the example consumer's pipeline, run end to end under act, offline.

Copies examples/python-service and examples/consumer into a temporary git repository and
runs its workflow with act against this checkout. Prints act's log (which carries paved's
job summary, since act drops summaries) and exits with act's exit code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import act_local

EXAMPLES = Path(__file__).resolve().parent


def main() -> int:
    """Build the consumer repository, run act, report."""
    act = act_local.act_binary()
    if act is None:
        print("act is not installed: run `make setup`", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory(prefix="paved-demo-") as temp:
        work = Path(temp)
        paved = act_local.lean_checkout(act_local.ROOT, work / "paved")
        repo = work / "consumer"
        shutil.copytree(EXAMPLES / "consumer", repo)
        shutil.copytree(
            EXAMPLES / "python-service",
            repo / "service",
            ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".paved", ".coverage"),
        )
        act_local.commit_all(repo, "demo")
        print(
            f"paved demo: running {repo}/.github/workflows/ci.yml under act (offline)", flush=True
        )
        command = act_local.act_command(act, paved, {}, {})
        return subprocess.run(command, cwd=repo, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
