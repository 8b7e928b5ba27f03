"""The job graph of a pipeline: one job per task or deploy stage, in dependency order, plus
what the config implies (the image before the first deploy, the guard after production, DORA
metrics at the end)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from paved.compose import tasks
from paved.compose.config import (
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
class Expression:
    """A GitHub expression, written as ${{ text }}."""

    text: str


Input = str | bool | Expression


@dataclass(frozen=True)
class Job:
    """One job of the generated workflow: a call of one reusable workflow."""

    id: str
    name: str
    task: tasks.Task
    needs: tuple[str, ...] = ()
    condition: str | None = None
    """The `if:` expression, without ${{ }}."""
    concurrency: str | None = None
    """The concurrency group (a deploy's environment: one rollout at a time)."""
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

    def uses(self, task: tasks.Task) -> str:
        """The `uses:` of a job calling `task`'s workflow."""
        return f"{self.repository}/.github/workflows/{task.workflow}@{self.ref}"


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
    """The generated workflow: its name, trigger branch, pin and jobs in dependency order."""

    name: str
    branch: str
    pin: Pin
    jobs: tuple[Job, ...]


def compose(config: PipelineConfig, where: Pin) -> Pipeline:
    """The pipeline `config` describes, calling paved's workflows at `where`."""
    delivery = f"github.event_name == 'push' && github.ref == 'refs/heads/{config.branch}'"
    jobs: list[Job] = []
    before: tuple[str, ...] = ()
    by_stage: dict[str, tuple[str, ...]] = {}
    production = _production(config.stages)
    for stage in config.stages:
        waits = before if stage.needs is None else _after(stage.needs, by_stage)
        if isinstance(stage, DeployStage):
            if IMAGE_JOB not in {job.id for job in jobs}:
                waits = _image_jobs(config, jobs, waits, delivery)
            made = [_deploy(config, stage, waits, delivery)]
            if stage is production and tasks.find(GUARD_TASK) is not None:
                made.append(_guard(config, stage, delivery))
        else:
            made = [_task_job(config, name, waits, delivery) for name in stage.tasks]
            if config.scan_image and IMAGE_JOB in stage.tasks:
                made.append(_image_scan(config, delivery))
        jobs.extend(made)
        before = _terminal(made)
        by_stage[stage.name] = before
    jobs.append(_metrics(config, before, production))
    return Pipeline(f"{config.name} pipeline", config.branch, where, tuple(jobs))


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
) -> Job:
    """A job skeleton with the task's settings from the config (a stage's `own` over its
    block's) and the wired inputs, in the order the workflow declares its inputs."""
    given: dict[str, Setting] = {**config.settings.get(task.name, {}), **(own or {})}
    wired = wired or {}
    inputs: list[tuple[str, Input]] = []
    secrets: list[tuple[str, str]] = []
    for param in task.inputs():
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
    return Job(
        id=task.name, name=task.title, task=task, inputs=tuple(inputs), secrets=tuple(secrets)
    )


def _task_job(config: PipelineConfig, name: str, waits: tuple[str, ...], delivery: str) -> Job:
    task = tasks.task(name)
    job = _inputs(config, task)
    condition = delivery if name == IMAGE_JOB else None
    return _with(job, needs=waits, condition=condition)


def _with(job: Job, **changes: object) -> Job:
    return replace(job, **changes)  # type: ignore[arg-type]


def _image_jobs(
    config: PipelineConfig, jobs: list[Job], waits: tuple[str, ...], delivery: str
) -> tuple[str, ...]:
    """The image build (and its scan) the first deploy needs, when no stage lists it."""
    image = _task_job(config, IMAGE_JOB, waits, delivery)
    jobs.append(image)
    if not config.scan_image:
        return (image.id,)
    scan = _image_scan(config, delivery)
    jobs.append(scan)
    return (scan.id,)


def _image_scan(config: PipelineConfig, delivery: str) -> Job:
    """The built image scanned by Trivy, before any deploy."""
    task = tasks.task("security-scan")
    job = _inputs(
        config, task, {"image": Expression(f"needs.{IMAGE_JOB}.outputs.image"), "scanners": "trivy"}
    )
    return _with(job, id=IMAGE_SCAN_JOB, name="Image scan", needs=(IMAGE_JOB,), condition=delivery)


def _deploy(
    config: PipelineConfig, stage: DeployStage, waits: tuple[str, ...], delivery: str
) -> Job:
    task = tasks.task(DEPLOY_TASK)
    wired: dict[str, Input] = {
        "app": config.name,
        "image": Expression(f"needs.{IMAGE_JOB}.outputs.image"),
        "environment": stage.environment,
        "strategy": stage.strategy,
    }
    if stage.canary is not None:
        wired["canary-steps"] = ",".join(str(w) for w in stage.canary.weights)
        wired["step-seconds"] = _number(stage.canary.interval_minutes * 60)
    job = _inputs(config, task, wired, stage.settings)
    needs = tuple(dict.fromkeys((*waits, IMAGE_JOB)))
    # Not the called workflow's own group (paved-deploy-<env>-<app>): GitHub cancels a nested
    # job whose group its caller already holds, as a deadlock.
    return _with(
        job,
        id=stage.name,
        name=f"Deploy to {stage.environment}",
        needs=needs,
        condition=delivery,
        concurrency=f"paved-pipeline-{stage.environment}",
    )


def _guard(config: PipelineConfig, stage: DeployStage, delivery: str) -> Job:
    task = tasks.task(GUARD_TASK)
    job = _inputs(config, task, {"app": config.name, "environment": stage.environment})
    return _with(
        job,
        id=f"{GUARD_TASK}-{stage.name}" if stage.name != GUARD_TASK else f"{GUARD_TASK}-guard",
        name=f"Guard {stage.environment}",
        needs=(stage.name,),
        condition=delivery,
        concurrency=f"paved-pipeline-{stage.environment}",
    )


def _metrics(config: PipelineConfig, waits: tuple[str, ...], production: DeployStage | None) -> Job:
    task = tasks.task(METRICS_JOB)
    wired: dict[str, Input] = {}
    if production is not None:
        # Every job that names an environment makes a GitHub Deployment: the deploy records.
        wired = {"deploy-source": "environment", "deploy-environment": production.environment}
    job = _inputs(config, task, wired)
    condition = (
        f"!cancelled() && github.event_name == 'push' && github.ref == 'refs/heads/{config.branch}'"
    )
    return _with(job, needs=waits, condition=condition)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
