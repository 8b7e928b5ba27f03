"""The ci-metrics action's inputs (as action.yml declares them) and their CLI flags.

The token never reaches argv: it is masked, and the CLI is told which environment variable
holds it (the runner already passes the input as INPUT_TOKEN).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from paved.cimetrics import DeploySource
from paved.cimetrics.dora_benchmarks import BENCHMARKS
from paved.gha.commands import add_mask
from paved.gha.inputs import (
    EnumInput,
    IntegerInput,
    MultilineInput,
    PathInput,
    StringInput,
    env_name,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.gha.inputs import Inputs, InputSpec

TOKEN = StringInput("token", default="${{ github.token }}")
REPOSITORY = StringInput("repository", default="${{ github.repository }}")
API_URL = StringInput("api-url", default="${{ github.api_url }}")
STORE = PathInput("store", allow_outside=True, default=".paved/ci-metrics/metrics.sqlite")
DAYS = IntegerInput("days", minimum=1, maximum=400, default=30)
RESCAN_DAYS = IntegerInput("rescan-days", minimum=0, maximum=400, default=2)
WORKFLOWS = MultilineInput("workflows", default=())
# An enum, not a BooleanInput: the docs test shows a True default as "True", action.yml says "true".
FETCH_JOBS = EnumInput("fetch-jobs", choices=("true", "false"), default="true")
DEPLOY_SOURCE = EnumInput(
    "deploy-source", choices=tuple(s.value for s in DeploySource), default="auto"
)
DEPLOY_WORKFLOWS = MultilineInput("deploy-workflows", default=())
DEPLOY_JOBS = MultilineInput("deploy-jobs", default=())
DEPLOY_BRANCH = StringInput("deploy-branch", default="")
DEPLOY_ENVIRONMENT = StringInput("deploy-environment", default="production")
DORA_BENCHMARK = EnumInput("dora-benchmark", choices=tuple(BENCHMARKS), default="2024")
MAX_REQUESTS = IntegerInput("max-requests", minimum=1, maximum=100000, default=900)
PROMETHEUS_FILE = PathInput("prometheus-file", allow_outside=True, default="")

INPUTS: tuple[InputSpec[object], ...] = (  # type: ignore[assignment]
    TOKEN,
    REPOSITORY,
    API_URL,
    STORE,
    DAYS,
    RESCAN_DAYS,
    WORKFLOWS,
    FETCH_JOBS,
    DEPLOY_SOURCE,
    DEPLOY_WORKFLOWS,
    DEPLOY_JOBS,
    DEPLOY_BRANCH,
    DEPLOY_ENVIRONMENT,
    DORA_BENCHMARK,
    MAX_REQUESTS,
    PROMETHEUS_FILE,
)


def to_argv(inputs: Inputs, environ: Mapping[str, str]) -> list[str]:
    """The `paved ci-metrics` arguments for validated inputs; the token stays in the env."""
    token = str(inputs.value(TOKEN))
    if token:
        add_mask(token)
    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".")
    argv = [
        "ci-metrics",
        f"--repository={inputs.value(REPOSITORY)}",
        f"--api-url={inputs.value(API_URL) or 'https://api.github.com'}",
        f"--token-env={env_name(TOKEN.name)}",
        f"--store={workspace / str(inputs.value(STORE))}",
        f"--days={inputs.value(DAYS)}",
        f"--rescan-days={inputs.value(RESCAN_DAYS)}",
        f"--deploy-source={inputs.value(DEPLOY_SOURCE)}",
        f"--deploy-environment={inputs.value(DEPLOY_ENVIRONMENT)}",
        f"--dora-benchmark={inputs.value(DORA_BENCHMARK)}",
        f"--max-requests={inputs.value(MAX_REQUESTS)}",
    ]
    argv += inputs.repeated(
        (
            ("--workflow", WORKFLOWS),
            ("--deploy-workflow", DEPLOY_WORKFLOWS),
            ("--deploy-job", DEPLOY_JOBS),
        )
    )
    argv += inputs.flags((("--deploy-branch", DEPLOY_BRANCH),))
    if inputs.value(FETCH_JOBS) == "false":
        argv.append("--no-jobs")
    prometheus = inputs.value(PROMETHEUS_FILE)
    if prometheus:
        argv.append(f"--prometheus={workspace / str(prometheus)}")
    return argv
