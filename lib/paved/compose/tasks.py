"""The one table: a task of pipeline-config.yaml -> (paved's reusable workflow, the capability
whose declaration gives the task's settings). The settings a config may give a task are that
declaration's inputs which the workflow takes (`omitted` are the ones it fixes itself), plus
the workflow's own inputs (`extras`). tests/unit/compose/test_compose_tasks.py keeps every row
equal to the workflow file it names: inputs, their types, secrets and permissions."""

from __future__ import annotations

from dataclasses import dataclass

from paved import capabilities
from paved.params import Declaration, Flag, Param, Text


@dataclass(frozen=True)
class Permission:
    """One GITHUB_TOKEN scope a called workflow's jobs declare, and why (the comment the
    generated workflow carries)."""

    scope: str
    level: str
    why: str


@dataclass(frozen=True)
class Task:
    """One task a stage can run: a call of one reusable workflow."""

    name: str
    """As the config names it (stages[].tasks, and its settings block)."""
    workflow: str
    """The file in paved's .github/workflows/."""
    capability: str
    """Whose declaration (paved.capabilities) gives the settings."""
    title: str
    """The job's name in the run's graph."""
    permissions: tuple[Permission, ...]
    """The union of the called workflow's job permissions: GitHub checks them against the
    caller's grant before it evaluates any `if:`, so the caller grants them all."""
    omitted: tuple[str, ...] = ()
    """Declared inputs the workflow does not take (it sets them itself)."""
    extras: tuple[Param, ...] = ()
    """Inputs of the workflow alone (no capability declares them)."""
    wired: tuple[str, ...] = ()
    """Inputs the composer fills from other jobs or stages; not settings."""
    directory: str | None = None
    """The input that takes the project directory (the config's working-directory)."""
    aliases: tuple[str, ...] = ()
    """Other names of the settings block: the seed's `build:` and `security:`."""

    def declaration(self) -> Declaration:
        """The capability's declaration."""
        found = capabilities.find(self.capability)
        if found is not None:
            return capabilities.declaration(found)
        msg = f"task {self.name!r} names capability {self.capability!r}, which is not listed"
        raise LookupError(msg)

    @property
    def available(self) -> bool:
        """Whether this paved has the task's capability."""
        return capabilities.find(self.capability) is not None

    def inputs(self) -> tuple[Param, ...]:
        """Every input of the workflow: the declared ones it takes, then its own."""
        skipped = set(self.omitted)
        declared = tuple(p for p in self.declaration().inputs if p.name not in skipped)
        return declared + self.extras

    def settings(self) -> tuple[Param, ...]:
        """What a config may set for this task: the inputs the composer does not fill."""
        return tuple(p for p in self.inputs() if p.name not in self.wired)


RUNS_ON = Text(name="runs-on", default="ubuntu-latest", help="The runner label of the jobs.")
_CONTENTS = Permission("contents", "read", "check out the code")

_ROWS: tuple[Task, ...] = (
    Task(
        name="build-and-test",
        workflow="build-and-test.yml",
        capability="build-test",
        title="Build and test",
        permissions=(_CONTENTS,),
        omitted=("extras", "format-command", "lint-command", "coverage-file", "coverage-source"),
        directory="working-directory",
        aliases=("build",),
        extras=(RUNS_ON,),
    ),
    Task(
        name="security-scan",
        workflow="security-scan.yml",
        capability="security-scan",
        title="Security scan",
        permissions=(
            _CONTENTS,
            Permission("security-events", "write", "the scan's SARIF upload (upload-sarif)"),
        ),
        directory="working-directory",
        aliases=("security",),
        wired=("image",),
        extras=(
            Flag(
                name="upload-sarif",
                default="false",
                help="Upload the SARIF files to code scanning.",
            ),
            RUNS_ON,
        ),
    ),
    Task(
        name="container-build",
        workflow="container-build.yml",
        capability="container-build",
        title="Container image",
        permissions=(
            _CONTENTS,
            Permission("packages", "write", "push the image to ghcr.io with the workflow token"),
        ),
        omitted=("title", "labels", "target", "load", "builder", "docker-host"),
        directory="context",
        extras=(
            Text(
                name="prepare-command",
                help="A command run in the context before the build (e.g. download wheels).",
            ),
            RUNS_ON,
        ),
    ),
    Task(
        name="deploy",
        workflow="deploy.yml",
        capability="deploy-strategy",
        title="Deploy",
        permissions=(
            _CONTENTS,
            Permission(
                "deployments", "write", "record the rollout as a GitHub Deployment and its statuses"
            ),
        ),
        omitted=(
            "kubeconfig",
            "metric-checks",
            "error-rate-limit",
            "p95-factor",
            "analysis-interval",
            "analysis-window",
            "min-requests",
            "on-inconclusive",
            "step-weight",
            "max-weight",
            "approve",
            "canary-replicas",
            "ready-timeout",
            "lease-ttl",
            "holder",
            "dry-run",
            "container-port",
            "ready-path",
            "env",
            # The workflow passes the job's own token and the run's repository and API.
            "github-token",
            "repository",
            "api-url",
        ),
        # The stage gives these: the image from container-build, the weights from canary:.
        wired=("app", "image", "strategy", "environment", "canary-steps", "step-seconds"),
        extras=(
            Text(
                name="approval-environment",
                default="production-approval",
                help="The GitHub environment whose reviewers approve a gated rollout.",
            ),
            Flag(
                name="github-deployment",
                default="true",
                help="Record the rollout as a GitHub Deployment with its real outcome (the "
                "job's token, deployments write).",
            ),
            Text(
                name="runs-on",
                default="self-hosted",
                help="The runner label (a runner on the Docker host).",
            ),
        ),
    ),
    Task(
        name="rollback-guard",
        workflow="rollback-guard.yml",
        capability="rollback-guard",
        title="Guard",
        permissions=(),
        omitted=(
            "error-rate-limit",
            "p95-factor",
            "memory-limit-mb",
            "failure-limit",
            "consecutive-error-limit",
            "no-data-limit",
            "required-passes",
            "mann-whitney",
            "availability-target",
            "latency-target-ms",
            "min-ready-ratio",
            "smoke",
            "docker-host",
            "haproxy-socket",
            "router-backend",
            "holder",
            "demo",
            "kubeconfig",
            "record",
        ),
        wired=("app",),
        extras=(RUNS_ON,),
    ),
    Task(
        name="ci-metrics",
        workflow="ci-metrics.yml",
        capability="ci-metrics",
        title="DORA metrics",
        permissions=(
            Permission("actions", "read", "list workflow runs and jobs"),
            Permission("deployments", "read", "list the deploys to the production environment"),
        ),
        omitted=(
            "repository",
            "store",
            "rescan-days",
            "fetch-jobs",
            "prometheus-file",
        ),
        wired=("deploy-source", "deploy-environment"),
        extras=(RUNS_ON,),
    ),
)


TASKS: tuple[Task, ...] = tuple(row for row in _ROWS if row.available)
"""The rows whose capability this paved has (the list is read without importing anything)."""


def find(name: str) -> Task | None:
    """The task called `name` (or by a block alias), or None."""
    for task in TASKS:
        if name == task.name or name in task.aliases:
            return task
    return None


def names() -> tuple[str, ...]:
    """Every task's name, in the table's order."""
    return tuple(task.name for task in TASKS)


def task(name: str) -> Task:
    """The task called `name`; the table has it (a programming error otherwise)."""
    found = find(name)
    if found is None:
        raise KeyError(name)
    return found
