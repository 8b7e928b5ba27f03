"""`make demo`: the example consumer's whole delivery path, offline, on the Docker-host target.

First its pipeline under act (examples/consumer's ci.yml through paved's reusable workflows):
build and test, a security scan (offline against the trimmed PyPA advisory database vendored
in tests/data/osv-pypi), then the image built from the offline base, pushed to a private
registry and its digest verified. Then the deploy half, as paved CLI calls from this driver
(examples/demo_delivery.py; act cannot reach a Docker host's HAProxy socket from its job
containers offline in the time): version 1 goes live, version 2 through staging blue-green
and a production canary that rollback-guard judges on Prometheus and passes, version 3 (the
fault knob FAULT_ERROR_RATE=0.2) the same way, failed by the guard and rolled back. Then
ci-metrics' DORA summary of the demo's own deploy records, and a timeline of every part.

A private Docker engine, a registry, HAProxy and Prometheus are started on loopback (the
components the tests use) and stopped afterwards. Exits 0 when v2 is live and v3 was rolled
back, 1 otherwise, 3 when a component cannot start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(EXAMPLES), str(ROOT / "tests")]
import act_local  # noqa: E402
import demo_delivery  # noqa: E402
from components import base_image, docker_engine, haproxy, prometheus, registry  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from components.service_versions import _derive, _push  # noqa: E402

OSV_DATABASE = ROOT / "tests" / "data" / "osv-pypi"
IMAGE_NAME = "acme/python-service"


TARGETS = ("docker", "kubernetes")
"""PAVED_DEMO_TARGET: the Docker host (the default) or paved's Kubernetes harness."""


def main() -> int:
    """Start the engine and registry, build the consumer repository, run act, report."""
    target = os.environ.get("PAVED_DEMO_TARGET", "") or "docker"
    if target not in TARGETS:
        print(
            f"paved demo: PAVED_DEMO_TARGET={target!r} is not a target "
            f"(valid: {', '.join(TARGETS)}; empty means docker)",
            file=sys.stderr,
        )
        return 2
    if target == "kubernetes":
        import demo_kubernetes  # noqa: PLC0415 - only this target needs the kubernetes client

        return demo_kubernetes.main()
    act = act_local.act_binary()
    if act is None:
        print("act is not installed: run `make setup`", file=sys.stderr)
        return 3
    timeline = demo_delivery.Timeline()
    try:
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local_registry,
            haproxy.running_haproxy((demo_delivery.STAGING, demo_delivery.PRODUCTION)) as router,
            prometheus.running_prometheus() as metrics,
            tempfile.TemporaryDirectory(prefix="paved-demo-") as temp,
        ):
            base_image.ensure_base_image(engine)
            timeline.mark("engine, registry, HAProxy, Prometheus started on loopback")
            code = _run(act, Path(temp), engine, local_registry, router, metrics, timeline)
    except ComponentError as exc:
        print(f"paved demo: {exc}", file=sys.stderr)
        return 3
    print(timeline.text(), flush=True)
    return code


def _run(  # noqa: PLR0917 - the components the demo started
    act: str, work: Path, engine, local_registry, router, metrics, timeline
) -> int:
    with timeline.part("pipeline under act: build and test, scan, image pushed") as said:
        code, repo = _pipeline(act, work, engine.host, local_registry.host)
        said.append(f"act exit {code}")
    if code != 0:
        return code
    name = f"{local_registry.host}/{IMAGE_NAME}"
    with timeline.part("versions 2 and 3 (fault knob) derived from the pipeline's image") as said:
        v1 = f"{name}@{local_registry.manifest_digest(IMAGE_NAME, 'main')}"
        _derive(engine, work, v1, f"{name}:2.0.0", "ENV APP_VERSION=2.0.0")
        _derive(engine, work, v1, f"{name}:3.0.0", "ENV APP_VERSION=3.0.0 FAULT_ERROR_RATE=0.2")
        versions = {"2.0.0": _push(engine, local_registry, f"{name}:2.0.0")}
        versions["3.0.0"] = _push(engine, local_registry, f"{name}:3.0.0")
        said.append("pushed by digest")
    sha = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, as act_local
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    host = demo_delivery.DeployHost(engine, router, metrics, work / "deploys.jsonl", repo, sha)
    return _deliver(host, timeline, v1, versions)


def _deliver(host, timeline, v1: str, versions: dict[str, str]) -> int:
    with timeline.part("v1 live in staging and production (first deploys)") as said:
        for app, environment in (
            (demo_delivery.STAGING, "staging"),
            (demo_delivery.PRODUCTION, "production"),
        ):
            said.append(str(host.deploy(app, environment, v1, "--strategy=direct")["status"]))
    results = [
        demo_delivery.ship(host, timeline, f"v{v[0]}", image) for v, image in versions.items()
    ]
    live = demo_delivery.live_version(host, demo_delivery.PRODUCTION)
    with timeline.part("DORA from the demo's deploy records (ci-metrics, no API)") as said:
        done = host.paved(
            "ci-metrics", "--repository=acme/python-service", "--no-sync",
            f"--store={host.work / 'metrics.sqlite'}", "--deploy-source=records",
            f"--deploy-records={host.record}", "--days=1",
        )  # fmt: skip
        said.append(f"exit {done.returncode}")
    print("\n" + "\n".join(results) + f"\nproduction serves {live}", flush=True)
    ok = live == "2.0.0" and results[-1] == "v3 rolled back" and done.returncode == 0
    return 0 if ok else 1


def _pipeline(act: str, work: Path, docker_host: str, registry_host: str) -> tuple[int, Path]:
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
    return subprocess.run(command, cwd=repo, check=False).returncode, repo


if __name__ == "__main__":
    sys.exit(main())
