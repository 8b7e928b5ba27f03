"""What a user can ask ci-metrics to do, validated once at the edge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from paved.cimetrics.dora_benchmarks import BENCHMARKS
from paved.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from paved.adapters.deployrecords import DeployRecord

_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_MAX_DAYS = 400


class DeploySource(StrEnum):
    """What counts as a deployment for the DORA metrics."""

    AUTO = "auto"
    """workflow when deploy workflows or jobs are named, environment when only an environment is."""
    WORKFLOW = "workflow"
    """Successful runs of the named workflows (or jobs) on the deploy branch."""
    ENVIRONMENT = "environment"
    """GitHub Deployments to the environment, judged by their statuses."""
    RECORDS = "records"
    """paved's own deploy records (deploy-strategy's JSON lines) for the environment."""
    NONE = "none"


@dataclass(frozen=True)
class CiMetricsOptions:
    """Everything ci-metrics needs."""

    repository: str
    """owner/name."""
    now: datetime
    """The end of the reporting window (UTC); injected so metrics are reproducible."""
    days: int = 30
    """Length of the reporting window; the trend compares it with the window before."""
    rescan_days: int = 2
    """Runs created this many days before today are re-listed on every sync (re-runs)."""
    sync: bool = True
    """False reports from the store without calling GitHub."""
    fetch_jobs: bool = True
    """Jobs give queue times, per-job figures and flaky jobs; each run costs one request."""
    workflows: tuple[str, ...] = ()
    """Report only these workflows (file names such as ci.yml, or names); empty means all."""
    deploy_source: DeploySource = DeploySource.AUTO
    deploy_workflows: tuple[str, ...] = ()
    deploy_jobs: tuple[str, ...] = ()
    deploy_branch: str | None = None
    """None means the repository's default branch."""
    deploy_environment: str = "production"
    benchmark: str = "2024"
    """Which DORA report's performance levels the tiers are judged against."""
    records: tuple[DeployRecord, ...] = ()
    """deploy-source records: what the deploy record held (read at the edge)."""

    def source(self) -> DeploySource:
        """The deployment source, with AUTO resolved."""
        if self.deploy_source is not DeploySource.AUTO:
            return self.deploy_source
        if self.deploy_workflows or self.deploy_jobs:
            return DeploySource.WORKFLOW
        return DeploySource.NONE


def validate(options: CiMetricsOptions) -> CiMetricsOptions:
    """Check the options; raise one UsageError naming the flag and what is valid."""
    if not _REPOSITORY.match(options.repository):
        raise UsageError(
            f"{options.repository!r} is not a repository", name="repository", valid="owner/name"
        )
    for name, value, low in (("days", options.days, 1), ("rescan-days", options.rescan_days, 0)):
        if not low <= value <= _MAX_DAYS:
            raise UsageError(f"{value} is out of range", name=name, valid=f"{low} to {_MAX_DAYS}")
    if options.benchmark not in BENCHMARKS:
        raise UsageError(
            f"{options.benchmark!r} is not a benchmark table",
            name="dora-benchmark",
            valid=", ".join(sorted(BENCHMARKS)),
        )
    if options.deploy_source is DeploySource.WORKFLOW and not (
        options.deploy_workflows or options.deploy_jobs
    ):
        raise UsageError(
            "needs the workflows or jobs that deploy",
            name="deploy-source",
            valid="set deploy-workflows (e.g. deploy.yml) or deploy-jobs",
        )
    return options
