"""The job graph of a pipeline: one job per task or deploy stage, in dependency order, plus
what the config implies (the image before the first deploy, the guard after production, DORA
metrics at the end)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.compose import tasks
from paved.compose.model import (
    DEPLOY_TASK,
    GUARD_TASK,
    DeployStage,
    PipelineConfig,
    Setting,
    Stage,
)
from paved.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

IMAGE_JOB = "container-build"
IMAGE_SCAN_JOB = "image-scan"
METRICS_JOB = "ci-metrics"
_SHA = re.compile(r"[0-9a-f]{40}")
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_REPOSITORY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Output:
    """An output of an earlier job (needs.<job>.outputs.<name>)."""

    job: str
    name: str


@dataclass(frozen=True)
class Variable:
    """A configuration variable of the repository or organization (vars.<name>), set once by
    the platform team; `fallback` is what the input gets while it is unset."""

    name: str
    fallback: str | None = None


Input = str | bool | Output | Variable

PROMETHEUS_URL = Variable("PAVED_PROMETHEUS_URL")
"""Where the guard finds Prometheus unless the config says."""
DEPLOY_RECORD = Variable("PAVED_DEPLOY_RECORD")
"""The deploy record on the deploy runner's host (kept across runs, so ci-metrics can read
every deploy); unset, each job's workspace has its own."""
DOCKER_TARGET = (
    ("docker-host", Variable("PAVED_DOCKER_HOST")),
    ("haproxy-socket", Variable("PAVED_HAPROXY_SOCKET")),
    ("docker-network", Variable("PAVED_DOCKER_NETWORK")),
)
"""The Docker host a deploy reaches (target docker), unless the config says: the engine,
HAProxy's runtime API, the bridge network. Unset, the deploy workflow's defaults apply."""
REGISTRY = "PAVED_REGISTRY"
"""Replaces the config's registry when set (a platform's mirror, a loopback registry)."""
DEPLOY_SOURCE = Variable("PAVED_DEPLOY_SOURCE", "environment")
"""What DORA counts as a deployment: GitHub Deployments unless the platform says records."""
_IMAGE = Output(IMAGE_JOB, "image")
"""container-build's name@sha256:..., verified in the registry: what every deploy gets."""


class JobKind(StrEnum):
    """What a job does in the pipeline (its name in the run's graph follows from it)."""

    TASK = "task"
    IMAGE_SCAN = "image-scan"
    DEPLOY = "deploy"
    GUARD = "guard"
    ROLLBACK = "rollback"
    METRICS = "metrics"


class Gate(StrEnum):
    """When a job runs."""

    ALWAYS = "always"
    """Every push and pull request (build, test, scan)."""
    DELIVERY = "delivery"
    """Pushes to the pipeline's branch: the image, the deploys, the guard."""
    AFTER_DELIVERY = "after-delivery"
    """Pushes to the branch, whatever the jobs before did (unless cancelled): the metrics."""
    GUARD_FAILED = "guard-failed"
    """The guard (the job's second need) judged the release a fail: roll back."""


@dataclass(frozen=True)
class Job:
    """One job of the generated workflow: a call of one reusable workflow."""

    id: str
    kind: JobKind
    task: tasks.Task
    needs: tuple[str, ...] = ()
    gate: Gate = Gate.ALWAYS
    environment: str | None = None
    """The GitHub environment a deploy or guard acts on: one at a time per environment."""
    inputs: tuple[tuple[str, Input], ...] = ()
    secrets: tuple[tuple[str, str], ...] = ()
    """Input name -> the repository or environment secret's name."""


@dataclass(frozen=True)
class Pin:
    """Where paved's reusable workflows are called from."""

    repository: str
    ref: str

    @property
    def is_sha(self) -> bool:
        """A commit SHA: immutable, what zizmor's default policy asks for."""
        return bool(_SHA.fullmatch(self.ref))


def pin(repository: str, ref: str) -> Pin:
    """A Pin, checked: a tag, branch or commit SHA of OWNER/NAME."""
    if not _REPOSITORY.fullmatch(repository):
        raise UsageError(
            f"{repository!r} is not a repository", name="--repository", valid="OWNER/NAME"
        )
    if not _REF.fullmatch(ref) or ".." in ref:
        raise UsageError(
            f"{ref!r} is not a Git ref",
            name="--ref",
            valid="a tag such as v1, or a commit SHA of 40 hex digits",
        )
    return Pin(repository, ref)


@dataclass(frozen=True)
class Pipeline:
    """The generated workflow: its app, trigger branch, pin and jobs in dependency order."""

    app: str
    branch: str
    pin: Pin
    jobs: tuple[Job, ...]


def compose(config: PipelineConfig, where: Pin) -> Pipeline:
    """The pipeline `config` describes, calling paved's workflows at `where`."""
    jobs: list[Job] = []
    before: tuple[str, ...] = ()
    by_stage: dict[str, tuple[str, ...]] = {}
    production = _production(config.stages)
    for stage in config.stages:
        waits = before if stage.needs is None else _after(stage.needs, by_stage)
        if isinstance(stage, DeployStage):
            if IMAGE_JOB not in {job.id for job in jobs}:
                waits = _image_jobs(config, jobs, waits)
            made = [_deploy(config, stage, waits)]
            if stage is production and tasks.find(GUARD_TASK) is not None:
                guard = _guard(config, stage)
                made += [guard, _rollback(config, stage, guard)]
        else:
            made = [_task_job(config, name, waits) for name in stage.tasks]
            if config.scan_image and IMAGE_JOB in stage.tasks:
                made.append(_image_scan(config))
        jobs.extend(made)
        before = _terminal(made)
        by_stage[stage.name] = before
    jobs.append(_metrics(config, before, production))
    return Pipeline(config.name, config.branch, where, tuple(jobs))


def _after(needs: tuple[str, ...], by_stage: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(job for stage in needs for job in by_stage[stage])


def _terminal(made: list[Job]) -> tuple[str, ...]:
    """The jobs the next stage waits for: a stage's jobs, or the last of a chain within it."""
    inside = {need for job in made for need in job.needs}
    return tuple(job.id for job in made if job.id not in inside)


def _production(stages: tuple[Stage, ...]) -> DeployStage | None:
    deploys = [s for s in stages if isinstance(s, DeployStage)]
    named = [s for s in deploys if s.environment == "production"]
    chosen = named or deploys
    return chosen[-1] if chosen else None


def _inputs(
    config: PipelineConfig,
    task: tasks.Task,
    wired: Mapping[str, Input] | None = None,
    own: Mapping[str, Setting] | None = None,
    skip: tuple[str, ...] = (),
) -> Job:
    """A job skeleton with the task's settings from the config (a stage's `own` over its
    block's) and the wired inputs, in the order the workflow declares its inputs."""
    given: dict[str, Setting] = {**config.settings.get(task.name, {}), **(own or {})}
    wired = wired or {}
    inputs: list[tuple[str, Input]] = []
    secrets: list[tuple[str, str]] = []
    for param in task.inputs():
        if param.name in skip:
            continue
        if param.name in wired:
            inputs.append((param.name, wired[param.name]))
            continue
        setting = given.get(param.name)
        if setting is None:
            continue
        if setting.secret:
            secrets.append((param.name, str(setting.value)))
        else:
            inputs.append((param.name, setting.value))
    return Job(task.name, JobKind.TASK, task, inputs=tuple(inputs), secrets=tuple(secrets))


def _task_job(config: PipelineConfig, name: str, waits: tuple[str, ...]) -> Job:
    wired: dict[str, Input] = {}
    given = config.settings.get(name, {}).get("registry")
    if name == IMAGE_JOB and not (given and _run_time(given)):
        default = tasks.task(name).declaration().get("registry").default
        wired["registry"] = Variable(REGISTRY, str(given.value) if given else default)
    job = _inputs(config, tasks.task(name), wired)
    return _with(job, needs=waits, gate=Gate.DELIVERY if name == IMAGE_JOB else Gate.ALWAYS)


def _with(job: Job, **changes: object) -> Job:
    return replace(job, **changes)  # type: ignore[arg-type]


def _image_jobs(config: PipelineConfig, jobs: list[Job], waits: tuple[str, ...]) -> tuple[str, ...]:
    """The image build (and its scan) the first deploy needs, when no stage lists it."""
    image = _task_job(config, IMAGE_JOB, waits)
    jobs.append(image)
    if not config.scan_image:
        return (image.id,)
    scan = _image_scan(config)
    jobs.append(scan)
    return (scan.id,)


def _image_scan(config: PipelineConfig) -> Job:
    """The built image scanned by Trivy, before any deploy."""
    task = tasks.task("security-scan")
    job = _inputs(config, task, {"image": _IMAGE, "scanners": "trivy"})
    return _with(
        job, id=IMAGE_SCAN_JOB, kind=JobKind.IMAGE_SCAN, needs=(IMAGE_JOB,), gate=Gate.DELIVERY
    )


def _deploy(config: PipelineConfig, stage: DeployStage, waits: tuple[str, ...]) -> Job:
    task = tasks.task(DEPLOY_TASK)
    wired: dict[str, Input] = {
        "app": stage.app or config.name,
        "image": _IMAGE,
        "environment": stage.environment,
        "strategy": stage.strategy,
        **_deploy_target(config, stage),
    }
    if stage.canary is not None:
        wired["canary-steps"] = ",".join(str(w) for w in stage.canary.weights)
        wired["step-seconds"] = _number(stage.canary.interval_minutes * 60)
    job = _inputs(config, task, wired, stage.settings)
    needs = tuple(dict.fromkeys((*waits, IMAGE_JOB)))
    return _with(
        job,
        id=stage.name,
        kind=JobKind.DEPLOY,
        needs=needs,
        gate=Gate.DELIVERY,
        environment=stage.environment,
    )


def _deploy_target(config: PipelineConfig, stage: DeployStage) -> dict[str, Input]:
    """Where the deploy goes and what it records, from the platform's variables: every one
    the config (the deploy: block or the stage) does not give itself."""
    given = {**config.settings.get(DEPLOY_TASK, {}), **stage.settings}
    target = given.get("target")
    wired: dict[str, Input] = {}
    if target is None or target.value == "docker" or _run_time(target):
        wired.update((name, variable) for name, variable in DOCKER_TARGET if name not in given)
    if "record" not in given:
        wired["record"] = DEPLOY_RECORD
    return wired


def _run_time(setting: Setting) -> bool:
    """A setting that is a GitHub expression: its value is known only when the run starts."""
    return isinstance(setting.value, str) and setting.value.startswith("${{")


def _guard(config: PipelineConfig, stage: DeployStage) -> Job:
    """The release judged by its metrics once it has all traffic: the seed's SLO check,
    unless the config's rollback-guard block says otherwise."""
    task = tasks.task(GUARD_TASK)
    given = config.settings.get(GUARD_TASK, {})
    wired: dict[str, Input] = {"app": stage.app or config.name}
    if "prometheus-url" not in given:
        wired["prometheus-url"] = PROMETHEUS_URL
    if "mode" not in given:
        wired["mode"] = "slo"
    return _with(
        _inputs(config, task, wired),
        id=f"{GUARD_TASK}-{stage.name}",
        kind=JobKind.GUARD,
        needs=(stage.name,),
        gate=Gate.DELIVERY,
        environment=stage.environment,
    )


def _rollback(config: PipelineConfig, stage: DeployStage, guard: Job) -> Job:
    """The seed's automated rollback: when the guard judges a fail, the image that served
    before goes back, directly."""
    task = tasks.task(DEPLOY_TASK)
    wired: dict[str, Input] = {
        "app": stage.app or config.name,
        "image": Output(stage.name, "previous-image"),
        "strategy": "direct",
        "environment": stage.environment,
        **_deploy_target(config, stage),
    }
    return _with(
        # A rollback never waits for an approval: it is the way back.
        _inputs(config, task, wired, stage.settings, skip=("gate-after",)),
        id=f"rollback-{stage.name}",
        kind=JobKind.ROLLBACK,
        needs=(stage.name, guard.id),
        gate=Gate.GUARD_FAILED,
        environment=stage.environment,
    )


def _metrics(config: PipelineConfig, waits: tuple[str, ...], production: DeployStage | None) -> Job:
    task = tasks.task(METRICS_JOB)
    wired: dict[str, Input] = {}
    if production is not None:
        # Every job that names an environment makes a GitHub Deployment; a platform that keeps
        # paved's deploy record on its deploy runner's host says records instead.
        wired = {"deploy-source": DEPLOY_SOURCE, "deploy-environment": production.environment}
        if "deploy-records" not in config.settings.get(METRICS_JOB, {}):
            wired["deploy-records"] = DEPLOY_RECORD
    job = _inputs(config, task, wired)
    return _with(job, kind=JobKind.METRICS, needs=waits, gate=Gate.AFTER_DELIVERY)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
