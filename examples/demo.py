"""`make demo`: the example consumer's delivery path, run end to end under act, offline.

Copies examples/consumer and examples/python-service into a temporary git repository and runs
its pipeline with act against this checkout: build and test, a security scan (offline against
the trimmed PyPA advisory database vendored in tests/data/osv-pypi, so nothing beside the
checkout and no network is needed), then the image built from the offline base, pushed to a
private registry and its digest verified. A private Docker engine and registry are started on
loopback for it (the same components the tests use) and stopped afterwards. Prints act's log,
which carries paved's job summaries since act drops them, and exits with act's exit code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(EXAMPLES), str(ROOT / "tests")]
import act_local  # noqa: E402
from components import base_image, docker_engine, registry  # noqa: E402
from components.errors import ComponentError  # noqa: E402

OSV_DATABASE = ROOT / "tests" / "data" / "osv-pypi"
IMAGE_NAME = "acme/python-service"


def main() -> int:
    """Start the engine and registry, build the consumer repository, run act, report."""
    act = act_local.act_binary()
    if act is None:
        print("act is not installed: run `make setup`", file=sys.stderr)
        return 3
    try:
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local_registry,
            tempfile.TemporaryDirectory(prefix="paved-demo-") as temp,
        ):
            base_image.ensure_base_image(engine)
            return _run(act, Path(temp), engine.host, local_registry.host)
    except ComponentError as exc:
        print(f"paved demo: {exc}", file=sys.stderr)
        return 3


def _run(act: str, work: Path, docker_host: str, registry_host: str) -> int:
    paved = act_local.lean_checkout(ROOT, work / "paved")
    repo = work / "consumer"
    shutil.copytree(EXAMPLES / "consumer", repo)
    # The composed pipeline (main.yaml: deploys, guard) is not what this demo runs yet.
    (repo / ".github" / "workflows" / "main.yaml").unlink()
    shutil.copytree(
        EXAMPLES / "python-service",
        repo / "service",
        ignore=shutil.ignore_patterns(
            "__pycache__", ".pytest_cache", ".paved", ".coverage", "wheels"
        ),
    )
    act_local.commit_all(repo, "demo")
    variables = {
        "PAVED_REGISTRY": registry_host,
        "PAVED_IMAGE_NAME": IMAGE_NAME,
        "PAVED_OSV_DATABASE": str(OSV_DATABASE),
        "PAVED_OSV_MAX_AGE": "any",  # the vendored records end in 2024
    }
    print(f"paved demo: {repo}/.github/workflows/ci.yml under act (offline)", flush=True)
    print(f"paved demo: Docker engine {docker_host}, registry {registry_host}", flush=True)
    command = act_local.act_command(act, paved, variables, {"DOCKER_HOST": docker_host})
    return subprocess.run(command, cwd=repo, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
