"""rollback-guard's parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.params import Choice, Declaration, Flag, Integer, Lines, Number, PathParam, Text, Url
from paved.rollbackguard.options import Mode
from paved.rollbackguard.policy import InconclusivePolicy

TARGETS = ("none", "docker", "kubernetes")
"""none: judge only (deploy-strategy acts on the verdict); otherwise the target the guard rolls
the live rollout back on."""

DECLARATION = Declaration(
    "rollback-guard",
    description="Judge a running release by its real metrics: query Prometheus every "
    "interval for the candidate and the stable version over the same window, hold each "
    "metric to its threshold (absolute, or relative to stable), count failures, backend "
    "errors and looks without data under their own limits, and write a decision record of "
    "every look. Never a pass without data. With a target (docker, kubernetes) it guards the "
    "rollout that is live there, like the seed's controller, and on a fail verdict rolls it "
    "back: all traffic to stable, the candidate removed, the rollout recorded as rolled back. "
    "Exit 0 pass, 1 fail or hold, 3 when the backend never answered.",
    params=(
        Url(
            name="prometheus-url",
            metavar="URL",
            help="The Prometheus server to query, e.g. http://127.0.0.1:9090; needed by every "
            "check but ready-ratio and router-counters.",
        ),
        Text(
            name="app",
            default="app",
            help="The application's name, for the decision record.",
        ),
        Choice(
            name="mode",
            choices=Mode,
            default="analysis",
            help="analysis: the canary's metrics against thresholds and stable, look after "
            "look; slo: availability and average latency over one window, judged once, at the "
            "first look with data (up to no-data-limit more looks, interval apart).",
        ),
        Text(
            name="candidate-selector",
            default='track="canary"',
            help="PromQL label matchers that pick the candidate's series (the new version).",
        ),
        Text(
            name="stable-selector",
            default='track="stable"',
            help="PromQL label matchers that pick the stable version's series.",
        ),
        Lines(
            name="checks",
            comma=True,
            default="error-rate, p95-latency",
            help="Metrics to judge in analysis mode: error-rate, p95-latency, memory, "
            "router-error-rate (HAProxy's exporter, through Prometheus); with a target also "
            "ready-ratio (the target's ready instances), smoke (the smoke checks against each "
            "track's own endpoint) and router-counters (HAProxy's own per-server counters, "
            "docker target: no scrape delay).",
        ),
        Number(
            name="error-rate-limit",
            minimum=0,
            maximum=1,
            default="0.05",
            help="Highest 5xx ratio the candidate may have.",
        ),
        Number(
            name="p95-factor",
            minimum=1,
            maximum=100,
            default="1.25",
            help="Highest p95 latency as a factor of stable's over the same window.",
        ),
        Number(
            name="memory-limit-mb",
            minimum=1,
            default="100",
            help="Highest resident memory of a candidate process, MiB.",
        ),
        Number(
            name="min-ready-ratio",
            minimum=0,
            maximum=1,
            default="0.8",
            help="ready-ratio: lowest share of the candidate's instances that must be ready.",
        ),
        Lines(
            name="smoke",
            default="/health",
            help="smoke: checks, one per line: '/path [status=NNN] [json.key=value ...]', e.g. "
            "'/api/data json.version=2.0.0'.",
        ),
        Number(
            name="interval",
            minimum=0.1,
            maximum=3600,
            default="10",
            help="Seconds between looks.",
        ),
        Number(
            name="window",
            minimum=1,
            maximum=86400,
            default="60",
            help="Seconds each query covers (in slo mode: the SLO window).",
        ),
        Integer(
            name="looks",
            minimum=1,
            maximum=10000,
            default="30",
            help="Most looks before the verdict; a pass needs the last one to pass.",
        ),
        Integer(
            name="failure-limit",
            minimum=0,
            default="0",
            help="Looks that breach a threshold tolerated before the verdict is fail.",
        ),
        Integer(
            name="consecutive-error-limit",
            minimum=0,
            default="4",
            help="Looks in a row Prometheus may fail to answer before on-inconclusive applies.",
        ),
        Integer(
            name="no-data-limit",
            minimum=0,
            default="4",
            help="Looks in a row without data (or with too few requests) tolerated before "
            "on-inconclusive applies.",
        ),
        Integer(
            name="min-requests",
            minimum=1,
            default="50",
            help="Requests the candidate must have served in the window before its figures count.",
        ),
        Integer(
            name="required-passes",
            minimum=1,
            default="1",
            help="Passing looks needed for a pass.",
        ),
        Choice(
            name="on-inconclusive",
            choices=InconclusivePolicy,
            default="hold",
            help="What an analysis without data or without a backend ends with: hold (no "
            "promotion, no rollback) or fail (roll back).",
        ),
        Lines(
            name="mann-whitney",
            comma=True,
            help="Metrics whose per-look values are also judged against stable's with the "
            "Mann-Whitney U test (fails when significantly worse).",
        ),
        Number(
            name="availability-target",
            minimum=0,
            maximum=100,
            default="99.9",
            help="slo mode: lowest share of requests not answered 5xx, percent.",
        ),
        Number(
            name="latency-target-ms",
            minimum=0,
            default="200",
            help="slo mode: highest average latency, milliseconds.",
        ),
        Choice(
            name="target",
            choices=TARGETS,
            default="none",
            help="none: judge only. docker or kubernetes: guard the app's live rollout there "
            "and roll it back on a fail verdict.",
        ),
        Text(
            name="docker-host",
            help="docker target: the engine (DOCKER_HOST form); empty means DOCKER_HOST or the "
            "default socket.",
        ),
        PathParam(
            name="haproxy-socket",
            allow_outside=True,
            default="/run/haproxy/admin.sock",
            help="docker target: HAProxy's runtime API socket (stats socket ... level admin).",
        ),
        Text(
            name="router-backend",
            help="docker target: the app's HAProxy backend; empty means the app's name.",
        ),
        Text(
            name="namespace",
            default="default",
            help="kubernetes target: the app's namespace.",
        ),
        Text(
            name="kubeconfig",
            help="kubernetes target: the kubeconfig file; empty means KUBECONFIG, "
            "~/.kube/config or the in-cluster service account.",
        ),
        Text(
            name="kube-router",
            default="replica-ratio",
            help="kubernetes target: how traffic is split (replica-ratio, service, istio, "
            "gateway-api), as deploy-strategy was told.",
        ),
        Text(
            name="holder",
            help="Who takes the app's lease for the rollback; empty means the workflow run, "
            "or host:pid locally.",
        ),
        Flag(
            name="demo",
            help="The chapter's demo, for real (a paved checkout, root, haproxy): a local "
            "Docker-host sandbox, a healthy canary passed, a degrading one rolled back, every "
            "check printed (examples/guard_demo.py).",
        ),
        PathParam(
            name="record",
            default=".paved/rollback-guard/decision.json",
            help="Where the decision record (every look, reading and reason) is written.",
        ),
    ),
)
