"""The part of `make demo` every target shares: the consumer repository, its three pushes,
one `act push` of its composed main.yaml each under load, and what the pipeline did.

A target (the Docker host in demo.py, the Kubernetes harness in demo_kubernetes.py) is a
Platform: the example consumer it runs, the repository variables and runner environment the
pipeline gets, the load it sends to production and what production serves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Protocol

import act_local
import demo_delivery
import yaml
from demo_delivery import ActRun, Push, Timeline

if TYPE_CHECKING:
    from pathlib import Path

    from paved.adapters.http.interface import LoadRun

WORKFLOW = ".github/workflows/main.yaml"
REPOSITORY = "pavedhq/python-service"


class Platform(Protocol):
    """Where the pipeline deploys, as the platform team describes it to the pipeline."""

    consumer: Path
    """The example consumer repository (pipeline-config.yaml and its composed main.yaml)."""
    load_via: str
    """How the load reaches production, as the report says it."""

    def variables(self) -> dict[str, str]:
        """The repository variables a platform team sets once (act's --var)."""
        ...

    def runner_env(self) -> dict[str, str]:
        """What the self-hosted runner's environment holds (act's --env)."""
        ...

    def start_load(self) -> LoadRun:
        """Load on production for the whole demo."""
        ...

    def live_version(self) -> str:
        """What production's users get now: the version field of /health."""
        ...


def shared_variables(
    root: Path, registry: str, prometheus_url: str, record: Path
) -> dict[str, str]:
    """The repository variables every target's pipeline gets: the registry, Prometheus, one
    deploy record for all three runs (ci-metrics reads it), the offline advisories."""
    return {
        "PAVED_REGISTRY": registry,
        "PAVED_PROMETHEUS_URL": prometheus_url,
        "PAVED_DEPLOY_RECORD": str(record),
        "PAVED_DEPLOY_SOURCE": "records",
        "PAVED_OSV_DATABASE": str(root / "tests" / "data" / "osv-pypi"),
        "PAVED_OSV_MAX_AGE": "any",  # the vendored records end in 2024
    }


class Jobs:
    """The composed workflow's name and its jobs' names (act's log names a job by its name,
    the workflow by its name)."""

    def __init__(self, workflow: Path) -> None:
        composed = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        self.workflow = str(composed["name"])
        self.names = {job_id: str(job["name"]) for job_id, job in composed["jobs"].items()}
        self.guard = self.names["rollback-guard-deploy-production"]
        self.rollback = self.names["rollback-deploy-production"]


def deliver(act: str, root: Path, work: Path, platform: Platform, timeline: Timeline) -> int:
    """Push the three versions through the composed pipeline under act; 0 only for v2 live
    and v3 rolled back by the pipeline's own rollback job."""
    paved = act_local.lean_checkout(root, work / "paved")
    repo = _consumer(root / "examples", platform.consumer, work / "consumer")
    jobs = Jobs(repo / WORKFLOW)
    command = act_local.act_command(
        act, paved, platform.variables(), platform.runner_env(), workflow=WORKFLOW
    )
    print(f"paved demo: {repo}/{WORKFLOW} under act (offline), three pushes", flush=True)
    load = platform.start_load()
    runs: list[tuple[Push, str, ActRun]] = []
    try:
        for number, push in enumerate(demo_delivery.PUSHES, 1):
            sha = _commit(repo, push)
            run = _act_push(command, repo, jobs, push, timeline, number=number)
            runs.append((push, sha, run))
            if run.code != 0 and number < len(demo_delivery.PUSHES):
                break
    finally:
        sent = load.stop()
    answers = ", ".join(f"{count} x {status}" for status, count in sorted(sent.statuses.items()))
    print(
        f"\nload {platform.load_via} to production: {sent.requests} requests ({answers}; "
        "errors before v1 was live, 500: v3's injected faults)",
        flush=True,
    )
    return _outcome(runs, jobs, platform)


def _act_push(
    command: list[str], repo: Path, jobs: Jobs, push: Push, timeline: Timeline, *, number: int
) -> ActRun:
    run = ActRun(jobs.workflow)
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


def _outcome(runs: list[tuple[Push, str, ActRun]], jobs: Jobs, platform: Platform) -> int:
    shas = {sha: push.version for push, sha, _ in runs}
    print("\npaved demo: what the pipeline did", flush=True)
    for push, sha, run in runs:
        print(f"{push.version} (commit {sha[:7]}): {_story(run, jobs)}", flush=True)
    live = platform.live_version()
    print(f"production serves {shas.get(live, 'an unknown version')} (commit {live[:7]})")
    last = runs[-1][2] if len(runs) == len(demo_delivery.PUSHES) else None
    dora = last.dora() if last else ""
    print(f"ci-metrics: {dora or 'no DORA summary'}", flush=True)
    rollback = last.ran(jobs.rollback) if last else None
    ok = (
        last is not None
        and shas.get(live) == "v2"
        and last.output(jobs.guard, "verdict") == "fail"
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


def _story(run: ActRun, jobs: Jobs) -> str:
    parts = []
    for job, what in (
        (jobs.names["deploy-staging"], "staging"),
        (jobs.names["deploy-production"], "production"),
        (jobs.guard, "guard"),
        (jobs.rollback, "rollback job"),
    ):
        span = run.ran(job)
        if span is None:
            continue
        said = span.outputs.get("verdict") or span.outputs.get("status") or span.result
        why = span.outputs.get("reason-text") or span.outputs.get("reason")
        if job == jobs.guard and why:
            said += f" ({why})"
        parts.append(f"{what} {said}")
    failed = [span.job for span in run.jobs.values() if span.result == "failed"]
    if failed:
        parts.append(f"failed: {', '.join(failed)}")
    return "; ".join(parts) or f"act exit {run.code}"


def _consumer(examples: Path, consumer: Path, repo: Path) -> Path:
    """The team's repository: the example consumer with the service in service/."""
    shutil.copytree(consumer, repo)
    shutil.copytree(
        examples / "python-service",
        repo / "service",
        ignore=shutil.ignore_patterns(
            "__pycache__", ".pytest_cache", ".paved", ".coverage", "wheels"
        ),
    )
    return repo


def _commit(repo: Path, push: Push) -> str:
    """The push's commit (the first one makes the repository, with an origin so that
    github.repository names it: act reads the remote); its SHA."""
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
