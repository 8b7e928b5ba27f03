"""`make demo`: the example service's whole delivery path, offline, on the Docker-host target,
run by the team's composed pipeline under act.

The pipeline is examples/consumer/.github/workflows/main.yaml, which `paved compose` made from
examples/consumer/pipeline-config.yaml: build and test, security scan (offline, against the
trimmed PyPA advisory database vendored in tests/data/osv-pypi), the image built from the
offline base and pushed by digest, staging blue-green, a production canary, the guard
(rollback-guard's SLO check on Prometheus), the rollback job when the guard fails, DORA
metrics from the deploy records. The demo pushes three commits and runs `act push` for each:

1. v1, the service as it is: first deploys to staging and production;
2. v2, a new /api/data message (and its test): blue-green in staging, canary in production,
   the guard passes, v2 is live;
3. v3, the fault knob on in the image (FAULT_ERROR_RATE=0.2): the canary reaches 100 %, the
   guard fails on the service's availability, the pipeline's rollback job puts v2 back.

A private Docker engine, a registry, HAProxy and Prometheus (which finds the app's containers
by Docker service discovery) are started on loopback and stopped afterwards; the platform's
repository variables (PAVED_DOCKER_HOST, ...) point the pipeline at them. Load runs through
HAProxy to production the whole time, so the guard judges real traffic.

Exits 0 when v2 is live and v3 was rolled back by the pipeline's rollback job, 1 otherwise,
3 when a component cannot start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
sys.path[:0] = [str(EXAMPLES), str(ROOT / "tests")]
import act_local  # noqa: E402
import demo_delivery  # noqa: E402
import yaml  # noqa: E402
from components import base_image, docker_engine, haproxy, prometheus, registry  # noqa: E402
from components.errors import ComponentError  # noqa: E402
from demo_delivery import PRODUCTION, STAGING, ActRun, Push, Timeline  # noqa: E402
from paved.adapters.http.interface import LoadProfile  # noqa: E402
from paved.adapters.http.stdlib import ThreadedLoadGenerator  # noqa: E402

OSV_DATABASE = ROOT / "tests" / "data" / "osv-pypi"
WORKFLOW = ".github/workflows/main.yaml"
REPOSITORY = "pavedhq/python-service"
_COMPOSED = yaml.safe_load((EXAMPLES / "consumer" / WORKFLOW).read_text(encoding="utf-8"))
WORKFLOW_NAME = str(_COMPOSED["name"])
JOB_NAMES = {job_id: str(job["name"]) for job_id, job in _COMPOSED["jobs"].items()}
"""act's log names a job by its name (Deploy to production), the workflow by its id."""
GUARD = JOB_NAMES["rollback-guard-deploy-production"]
ROLLBACK = JOB_NAMES["rollback-deploy-production"]


TARGETS = ("docker", "kubernetes")
"""PAVED_DEMO_TARGET: the Docker host (the default) or paved's Kubernetes harness."""


def main() -> int:
    """Start the components, push the three versions through the pipeline, report."""
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
    timeline = Timeline()
    try:
        with (
            docker_engine.running_engine() as engine,
            registry.running_registry() as local_registry,
            haproxy.running_haproxy((STAGING, PRODUCTION)) as router,
            prometheus.running_prometheus(demo_delivery.docker_discovery(engine.host)) as metrics,
            tempfile.TemporaryDirectory(prefix="paved-demo-") as temp,
        ):
            base_image.ensure_base_image(engine)
            timeline.mark("engine, registry, HAProxy, Prometheus started on loopback")
            work = Path(temp)
            host = DockerHost(
                engine.host, str(router.socket), router.url(PRODUCTION), metrics.url,
                local_registry.host, work / "deploys.jsonl",
            )  # fmt: skip
            code = _deliver(act, work, host, timeline)
    except ComponentError as exc:
        print(f"paved demo: {exc}", file=sys.stderr)
        return 3
    print(timeline.text(), flush=True)
    return code


@dataclass(frozen=True)
class DockerHost:
    """The Docker host the pipeline deploys to, as the platform's variables describe it."""

    engine: str
    haproxy_socket: str
    production_url: str
    prometheus_url: str
    registry: str
    record: Path

    def variables(self) -> dict[str, str]:
        """The repository variables a platform team sets once (README: make demo)."""
        return {
            "PAVED_REGISTRY": self.registry,
            "PAVED_DOCKER_HOST": self.engine,
            "PAVED_HAPROXY_SOCKET": self.haproxy_socket,
            "PAVED_DOCKER_NETWORK": demo_delivery.NETWORK,
            "PAVED_PROMETHEUS_URL": self.prometheus_url,
            "PAVED_DEPLOY_RECORD": str(self.record),
            "PAVED_DEPLOY_SOURCE": "records",
            "PAVED_OSV_DATABASE": str(OSV_DATABASE),
            "PAVED_OSV_MAX_AGE": "any",  # the vendored records end in 2024
        }


def _deliver(act: str, work: Path, host: DockerHost, timeline: Timeline) -> int:
    paved = act_local.lean_checkout(ROOT, work / "paved")
    repo = _consumer(work / "consumer")
    command = act_local.act_command(
        act, paved, host.variables(), {"DOCKER_HOST": host.engine}, workflow=WORKFLOW
    )
    print(f"paved demo: {repo}/{WORKFLOW} under act (offline), three pushes", flush=True)
    profile = LoadProfile(f"{host.production_url}/api/data", demo_delivery.LOAD_RATE, 10**7, 3600)
    load = ThreadedLoadGenerator().start(profile)
    runs: list[tuple[Push, str, ActRun]] = []
    try:
        for number, push in enumerate(demo_delivery.PUSHES, 1):
            sha = _commit(repo, push)
            run = _act_push(command, repo, number, push, timeline)
            runs.append((push, sha, run))
            if run.code != 0 and number < len(demo_delivery.PUSHES):
                break
    finally:
        sent = load.stop()
    answers = ", ".join(f"{count} x {status}" for status, count in sorted(sent.statuses.items()))
    print(
        f"\nload through HAProxy to production: {sent.requests} requests ({answers}; 503: "
        "before v1 was live, 500: v3's injected faults)",
        flush=True,
    )
    return _outcome(runs, host)


def _act_push(
    command: list[str], repo: Path, number: int, push: Push, timeline: Timeline
) -> ActRun:
    run = ActRun(WORKFLOW_NAME)
    with timeline.part(f"push {number}: {push.version}, {push.change}; act push") as said:
        run.follow(command, repo)
        said.append(f"act exit {run.code}")
    for span in run.jobs.values():
        if span.result:
            # Under act the guard's job passes whatever it judged: its verdict says (README).
            shown = [] if span.outputs.get("verdict") else [span.result]
            shown += [
                f"{name} {span.outputs[name]}"
                for name in ("status", "final-weight", "verdict", "reason")
                if span.outputs.get(name)
            ]
            timeline.add(f"  {push.version} {span.job}", span.first, span.last, ", ".join(shown))
    return run


def _outcome(runs: list[tuple[Push, str, ActRun]], host: DockerHost) -> int:
    """What the pushes did, as the user reads it; 0 only for v2 live and v3 rolled back by
    the pipeline's own rollback job."""
    shas = {sha: push.version for push, sha, _ in runs}
    print("\npaved demo: what the pipeline did", flush=True)
    for push, sha, run in runs:
        print(f"{push.version} (commit {sha[:7]}): {_story(run)}", flush=True)
    live = demo_delivery.live_version(host.production_url)
    print(f"production serves {shas.get(live, 'an unknown version')} (commit {live[:7]})")
    last = runs[-1][2] if len(runs) == len(demo_delivery.PUSHES) else None
    dora = last.dora() if last else ""
    print(f"ci-metrics: {dora or 'no DORA summary'}", flush=True)
    rollback = last.ran(ROLLBACK) if last else None
    ok = (
        last is not None
        and shas.get(live) == "v2"
        and last.output(GUARD, "verdict") == "fail"
        and rollback is not None
        and rollback.result == "succeeded"
        and bool(dora)
    )
    if last is not None and ok:
        print(
            "v3 was rolled back by the pipeline's rollback job. Under act the guard's failure "
            f"is its verdict (act exit {last.code}); on GitHub this run ends failed at the "
            "guard (README: make demo)."
        )
    return 0 if ok else 1


def _story(run: ActRun) -> str:
    parts = []
    for job, what in (
        (JOB_NAMES["deploy-staging"], "staging"),
        (JOB_NAMES["deploy-production"], "production"),
        (GUARD, "guard"),
        (ROLLBACK, "rollback job"),
    ):
        span = run.ran(job)
        if span is None:
            continue
        said = span.outputs.get("verdict") or span.outputs.get("status") or span.result
        why = span.outputs.get("reason-text") or span.outputs.get("reason")
        if job == GUARD and why:
            said += f" ({why})"
        parts.append(f"{what} {said}")
    failed = [span.job for span in run.jobs.values() if span.result == "failed"]
    if failed:
        parts.append(f"failed: {', '.join(failed)}")
    return "; ".join(parts) or f"act exit {run.code}"


def _consumer(repo: Path) -> Path:
    """The team's repository: examples/consumer with the service in service/, one commit
    (v1) on main, and an origin so that github.repository names it (act reads the remote)."""
    shutil.copytree(EXAMPLES / "consumer", repo)
    shutil.copytree(
        EXAMPLES / "python-service",
        repo / "service",
        ignore=shutil.ignore_patterns(
            "__pycache__", ".pytest_cache", ".paved", ".coverage", "wheels"
        ),
    )
    return repo


def _commit(repo: Path, push: Push) -> str:
    """The push's commit (the first one makes the repository); its SHA."""
    if push.edit is None:
        act_local.commit_all(repo, "demo")
        _git(repo, "remote", "add", "origin", f"https://github.com/{REPOSITORY}.git")
    else:
        push.edit(repo)
        _git(repo, "commit", "-qam", f"{push.version}: {push.change}")
    return _git(repo, "rev-parse", "HEAD").strip()


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "demo", "GIT_AUTHOR_EMAIL": "demo@paved.invalid"}
    env |= {"GIT_COMMITTER_NAME": "demo", "GIT_COMMITTER_EMAIL": "demo@paved.invalid"}
    return subprocess.run(
        ["git", *args],  # noqa: S607 - git from PATH, as act_local
        cwd=repo, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
