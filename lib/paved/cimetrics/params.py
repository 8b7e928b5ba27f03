"""ci-metrics' parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.cimetrics.dora_benchmarks import BENCHMARKS
from paved.cimetrics.options import DeploySource
from paved.params import (
    Choice,
    Declaration,
    Flag,
    Integer,
    Lines,
    Moment,
    Number,
    PathParam,
    Text,
    Url,
)

DECLARATION = Declaration(
    "ci-metrics",
    description="Sync workflow runs, jobs (every attempt) and deployments into a SQLite store "
    "with conditional requests, then report pipeline and DORA metrics as JSON, a Markdown "
    "summary and Prometheus text. The token is read from an environment variable, never from "
    "the command line.",
    params=(
        Text(
            name="token",
            secret=True,
            env_default="GITHUB_TOKEN",
            action_default="${{ github.token }}",
            help="Token with actions read (and deployments read); it is masked and reaches "
            "paved through the environment only.",
        ),
        Text(
            name="repository",
            required=True,
            metavar="OWNER/NAME",
            action_default="${{ github.repository }}",
            help="The repository to measure, owner/name.",
        ),
        Url(
            name="api-url",
            default="https://api.github.com",
            action_default="${{ github.api_url }}",
            help="The GitHub REST API URL (GitHub Enterprise Server https://HOST/api/v3).",
        ),
        PathParam(
            name="store",
            allow_outside=True,
            default=".paved/ci-metrics/metrics.sqlite",
            help="The SQLite store, relative to the workspace; keep it between runs "
            "(actions/cache) so a sync only fetches what changed.",
        ),
        Integer(
            name="days",
            minimum=1,
            maximum=400,
            default="30",
            help="Reporting window in days; the trend compares it with the window before.",
        ),
        Integer(
            name="rescan-days",
            minimum=0,
            maximum=400,
            default="2",
            help="Days before today that every sync lists again, to catch re-runs.",
        ),
        Lines(
            name="workflows",
            metavar="FILE",
            old_flags=("--workflow",),
            help="Workflow file names (ci.yml) to report, one per line; empty means all.",
        ),
        Flag(
            name="fetch-jobs",
            default="true",
            old_flags=("--no-jobs",),
            help="Fetch jobs (every attempt) for queue times, per-job figures and flaky jobs; "
            "one request per new or changed run.",
        ),
        Choice(
            name="deploy-source",
            choices=DeploySource,
            default="auto",
            help="What a deployment is: auto, workflow (successful runs of deploy-workflows or "
            "deploy-jobs on deploy-branch), environment (GitHub Deployments to "
            "deploy-environment), records (paved's deploy records in deploy-records, for "
            "deploy-environment) or none.",
        ),
        Lines(
            name="deploy-workflows",
            metavar="FILE",
            old_flags=("--deploy-workflow",),
            help="Workflow file names whose successful runs are deployments, one per line.",
        ),
        Lines(
            name="deploy-jobs",
            metavar="NAME",
            old_flags=("--deploy-job",),
            help="Job names whose successful runs are deployments, one per line.",
        ),
        Text(
            name="deploy-branch",
            help="Branch deployments run from; empty means the default branch.",
        ),
        Text(
            name="deploy-environment",
            default="production",
            help="The environment deployments go to, for deploy-source environment or records.",
        ),
        PathParam(
            name="deploy-records",
            allow_outside=True,
            default=".paved/deploy-strategy/deploys.jsonl",
            help="paved's deploy records (the JSON lines deploy-strategy appends), for "
            "deploy-source records; commit times come from git when a record has the sha.",
        ),
        Choice(
            name="dora-benchmark",
            choices=tuple(BENCHMARKS),
            default="2024",
            help="Which DORA report's performance levels to judge against: 2023 or 2024.",
        ),
        Integer(
            name="max-requests",
            minimum=1,
            maximum=100000,
            default="900",
            help="Stop cleanly after this many requests that count against the rate limit (a "
            "GITHUB_TOKEN gets 1,000 per hour per repository); the next run resumes.",
        ),
        PathParam(
            name="prometheus-file",
            allow_outside=True,
            metavar="PATH",
            old_flags=("--prometheus",),
            help="Also write Prometheus text exposition here, relative to the workspace.",
        ),
        Flag(
            name="sync",
            action=False,
            default="true",
            help="Sync from the API first (--no-sync: report from the store only).",
        ),
        Number(
            name="request-interval",
            action=False,
            minimum=0,
            default="0.25",
            help="Seconds between requests (GitHub asks for serial requests).",
        ),
        Moment(
            name="now",
            action=False,
            help="End of the window (ISO 8601; default now).",
        ),
        PathParam(
            name="summary",
            action=False,
            metavar="PATH",
            help="Also write the Markdown summary here.",
        ),
    ),
)
