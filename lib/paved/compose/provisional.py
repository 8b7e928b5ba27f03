"""Stand-ins for the deploy-strategy and rollback-guard declarations while they are not on
main: exactly the parameters their reusable workflows take, copied from their branches
(`deploy` and `guard`, 2026-12-01). A task row uses its stand-in only while its capability is
not in paved.capabilities; once it is, the real declaration wins and
tests/unit/compose/test_compose_provisional.py checks the two are the same (then delete this
module and the rows' `provisional=`)."""

# ruff: noqa: E501 - the help texts are copied as the capabilities declare them
from __future__ import annotations

from paved.params import Choice, Declaration, Integer, Lines, Number, PathParam, Text

DEPLOY_STRATEGY = Declaration(
    "deploy-strategy",
    description="Roll an image out to a target from the workflow job: direct, blue-green or canary (10,50,100 by default), with readiness and smoke checks between steps. The rollout's state and a lease are recorded on the target, so a re-run converges where a cancelled job stopped and a second deploy of the app is refused while one is in flight. Whatever fails, the version that was live keeps serving 100 %.",
    params=(
        Text(
            name="app",
            help="The app's name on the target (lower-case letters, digits, '-').",
            required=True,
        ),
        Text(
            name="image",
            help="The image to deploy, by digest (container-build's image output).",
            required=True,
        ),
        Choice(
            name="strategy",
            help="direct, blue-green or canary.",
            default="canary",
            choices=("direct", "blue-green", "canary"),
        ),
        Text(
            name="canary-steps",
            help="Canary weights in percent, increasing, ending at 100.",
            default="10,50,100",
        ),
        Number(
            name="step-seconds",
            help="How long each canary step is analysed.",
            default="30",
            minimum=0,
        ),
        Text(
            name="gate-after",
            help="Comma-separated canary weights after which the rollout stops for approval (a re-run with approve continues).",
        ),
        Number(
            name="bake-seconds",
            help="Blue-green: how long the new color is analysed with all traffic while the old one stays up.",
            default="60",
            minimum=0,
        ),
        Integer(
            name="replicas",
            help="Instances at the end; empty means as many as the live version has (1 on a first deploy).",
            minimum=1,
            maximum=64,
        ),
        Lines(
            name="smoke",
            help="Smoke checks, one per line: '/path [status=NNN] [json.key=value ...]', against the new version before it gets traffic and during analysis.",
            default="/health",
        ),
        Text(
            name="docker-host",
            help="The Docker engine (DOCKER_HOST form); empty means DOCKER_HOST or the default socket.",
        ),
        Text(
            name="docker-network",
            help="The user-defined bridge network the containers join (created if missing).",
            default="paved",
        ),
        PathParam(
            name="haproxy-socket",
            help="HAProxy's runtime API socket (stats socket ... level admin).",
            default="/run/haproxy/admin.sock",
            allow_outside=True,
        ),
        Text(
            name="router-backend",
            help="The HAProxy backend with server slots for the app; empty means the app's name.",
        ),
        Text(
            name="environment",
            help="The environment's name, for the deploy record and the summary.",
            default="production",
        ),
    ),
)

ROLLBACK_GUARD = Declaration(
    "rollback-guard",
    description="Judge a running release by its real metrics: query Prometheus every interval for the candidate and the stable version over the same window, hold each metric to its threshold (absolute, or relative to stable), count failures, backend errors and looks without data under their own limits, and write a decision record of every look. Never a pass without data. With a target (docker, kubernetes) it guards the rollout that is live there, like the seed's controller, and on a fail verdict rolls it back: all traffic to stable, the candidate removed, the rollout recorded as rolled back. Exit 0 pass, 1 fail or hold, 3 when the backend never answered.",
    params=(
        Text(
            name="prometheus-url",
            help="The Prometheus server to query, e.g. http://127.0.0.1:9090; needed by every check but ready-ratio and router-counters.",
            metavar="URL",
        ),
        Text(name="app", help="The application's name, for the decision record.", default="app"),
        Choice(
            name="mode",
            help="analysis: the canary's metrics against thresholds and stable, look after look; slo: availability and average latency over one window, judged once.",
            default="analysis",
            choices=("analysis", "slo"),
        ),
        Text(
            name="candidate-selector",
            help="PromQL label matchers that pick the candidate's series (the new version).",
            default='track="canary"',
        ),
        Text(
            name="stable-selector",
            help="PromQL label matchers that pick the stable version's series.",
            default='track="stable"',
        ),
        Lines(
            name="checks",
            help="Metrics to judge in analysis mode: error-rate, p95-latency, memory, router-error-rate (HAProxy's exporter, through Prometheus); with a target also ready-ratio (the target's ready instances), smoke (the smoke checks against each track's own endpoint) and router-counters (HAProxy's own per-server counters, docker target: no scrape delay).",
            default="error-rate, p95-latency",
            comma=True,
        ),
        Number(
            name="interval", help="Seconds between looks.", default="10", minimum=0.1, maximum=3600
        ),
        Number(
            name="window",
            help="Seconds each query covers (in slo mode: the SLO window).",
            default="60",
            minimum=1,
            maximum=86400,
        ),
        Integer(
            name="looks",
            help="Most looks before the verdict; a pass needs the last one to pass.",
            default="30",
            minimum=1,
            maximum=10000,
        ),
        Integer(
            name="min-requests",
            help="Requests the candidate must have served in the window before its figures count.",
            default="50",
            minimum=1,
        ),
        Choice(
            name="on-inconclusive",
            help="What an analysis without data or without a backend ends with: hold (no promotion, no rollback) or fail (roll back).",
            default="hold",
            choices=("hold", "fail"),
        ),
    ),
)
