"""deploy-strategy's parameters, declared once (see paved.params)."""

from __future__ import annotations

from paved.deploystrategy.options import SmokeVia, Strategy
from paved.params import (
    Choice,
    Declaration,
    Flag,
    Integer,
    Lines,
    Number,
    PathParam,
    Text,
    Url,
)

TARGETS = ("docker", "kubernetes")
"""Deploy targets this build wires."""
ROUTERS = ("haproxy", "service", "replica-ratio", "istio", "gateway-api")
"""haproxy on the Docker host; the others on Kubernetes."""

DECLARATION = Declaration(
    "deploy-strategy",
    description="Roll an image out to a target from the workflow job: direct, blue-green or "
    "canary (10,50,100 by default), with readiness and smoke checks between steps. The "
    "rollout's state and a lease are recorded on the target, so a re-run converges where a "
    "cancelled job stopped and a second deploy of the app is refused while one is in flight. "
    "Whatever fails, the version that was live keeps serving 100 %.",
    params=(
        Text(name="app", required=True, help="The app's name on the target (lower-case letters, digits, '-')."),  # noqa: E501
        Text(name="image", required=True, help="The image to deploy, by digest (container-build's image output)."),  # noqa: E501
        Choice(name="strategy", choices=Strategy, default="canary", help="direct, blue-green or canary."),  # noqa: E501
        Choice(name="target", choices=TARGETS, default="docker", help="Where the app runs: docker (containers on one engine, HAProxy in front) or kubernetes (Deployments derived from manifests)."),  # noqa: E501
        PathParam(name="manifests", help="kubernetes: the team's manifests, a file or a folder (one Deployment, one Service; every other object applied as it is)."),  # noqa: E501
        Text(name="namespace", default="default", help="kubernetes: the namespace the app runs in."),  # noqa: E501
        Choice(name="router", choices=ROUTERS, help="How traffic is split: haproxy (docker); service (blue-green's selector switch), replica-ratio, istio or gateway-api (kubernetes). Empty means haproxy on docker, service for blue-green and replica-ratio otherwise on kubernetes."),  # noqa: E501
        Text(name="gateway", default="gateway", help="kubernetes, router gateway-api: the Gateway the HTTPRoute attaches to."),  # noqa: E501
        PathParam(name="kubeconfig", allow_outside=True, help="kubernetes: the kubeconfig file; empty means in-cluster credentials, else KUBECONFIG or ~/.kube/config."),  # noqa: E501
        Text(name="context", help="kubernetes: the kubeconfig context; empty means its current context."),  # noqa: E501
        Text(name="canary-steps", default="10,50,100", help="Canary weights in percent, increasing, ending at 100."),  # noqa: E501
        Integer(name="step-weight", minimum=1, maximum=100, help="Instead of canary-steps: add this much weight per step (Flagger's stepWeight), up to max-weight, then 100."),  # noqa: E501
        Integer(name="max-weight", minimum=1, maximum=100, default="100", help="With step-weight: the last weight before promotion."),  # noqa: E501
        Number(name="step-seconds", minimum=0, default="30", help="How long each canary step is analysed."),  # noqa: E501
        Text(name="gate-after", help="Comma-separated canary weights after which the rollout stops for approval (a re-run with approve continues)."),  # noqa: E501
        Flag(name="approve", help="Pass the manual gates (the re-run after a GitHub environment approval)."),  # noqa: E501
        Number(name="bake-seconds", minimum=0, default="60", help="Blue-green: how long the new color is analysed with all traffic while the old one stays up."),  # noqa: E501
        Integer(name="replicas", minimum=1, maximum=64, help="Instances at the end; empty means as many as the live version has (1 on a first deploy)."),  # noqa: E501
        Integer(name="canary-replicas", minimum=1, maximum=64, default="1", help="Instances of the canary before it takes all traffic."),  # noqa: E501
        Number(name="ready-timeout", minimum=1, default="120", help="Seconds to wait for instances to become ready."),  # noqa: E501
        Lines(name="smoke", default="/health", help="Smoke checks, one per line: '/path [status=NNN] [json.key=value ...]', against the new version before it gets traffic and during analysis."),  # noqa: E501
        Choice(name="smoke-via", choices=SmokeVia, default="auto", help="kubernetes: how smoke checks reach a track's Service: proxy (through the API server's service proxy, with the rollout's credentials: works from a runner outside the cluster), direct (cluster DNS <svc>.<ns>.svc: a runner inside the cluster) or auto (direct when KUBERNETES_SERVICE_HOST is set, else proxy)."),  # noqa: E501
        Text(name="prometheus-url", metavar="URL", help="Metric analysis between steps and during the bake (rollback-guard's): the Prometheus to query, e.g. http://127.0.0.1:9090; empty means readiness and smoke checks only."),  # noqa: E501
        Text(name="candidate-selector", default='track="canary"', help="With prometheus-url: PromQL label matchers for the new version's series."),  # noqa: E501
        Text(name="stable-selector", default='track="stable"', help="With prometheus-url: PromQL label matchers for the live version's series."),  # noqa: E501
        Lines(name="metric-checks", comma=True, default="error-rate, p95-latency", help="With prometheus-url: the metrics judged (rollback-guard's checks: error-rate, p95-latency, memory, router-error-rate)."),  # noqa: E501
        Number(name="error-rate-limit", minimum=0, maximum=1, default="0.05", help="With prometheus-url: the highest 5xx ratio the new version may have."),  # noqa: E501
        Number(name="p95-factor", minimum=1, maximum=100, default="1.25", help="With prometheus-url: the highest p95 latency as a factor of the live version's."),  # noqa: E501
        Number(name="analysis-interval", minimum=0.1, maximum=3600, default="10", help="With prometheus-url: seconds between looks within a step."),  # noqa: E501
        Number(name="analysis-window", minimum=1, maximum=86400, default="60", help="With prometheus-url: seconds each query covers."),  # noqa: E501
        Integer(name="min-requests", minimum=1, default="50", help="With prometheus-url: requests the new version must serve in the window before its figures count."),  # noqa: E501
        Choice(name="on-inconclusive", choices=("hold", "fail"), default="hold", help="With prometheus-url: an analysis without data or backend holds the weight (then hold-limit applies) or fails at once."),  # noqa: E501
        Integer(name="hold-limit", minimum=0, maximum=100, default="2", help="Times an inconclusive analysis is run again at the same weight before the step fails and the rollout is rolled back."),  # noqa: E501
        Number(name="lease-ttl", minimum=10, default="900", help="Seconds the deploy lease lasts without renewal (a crashed job's lock ends then)."),  # noqa: E501
        Text(name="holder", help="Who holds the lease; empty means the workflow run (run id and job), or host:pid locally. A re-run with the same holder continues its own rollout."),  # noqa: E501
        Flag(name="dry-run", help="Print the plan and change nothing."),
        Text(name="docker-host", help="The Docker engine (DOCKER_HOST form); empty means DOCKER_HOST or the default socket."),  # noqa: E501
        Text(name="docker-network", default="paved", help="The user-defined bridge network the containers join (created if missing)."),  # noqa: E501
        PathParam(name="haproxy-socket", allow_outside=True, default="/run/haproxy/admin.sock", help="HAProxy's runtime API socket (stats socket ... level admin)."),  # noqa: E501
        Text(name="router-backend", help="The HAProxy backend with server slots for the app; empty means the app's name."),  # noqa: E501
        Integer(name="container-port", minimum=1, maximum=65535, default="8080", help="The port the app listens on inside its container."),  # noqa: E501
        Text(name="ready-path", help="An HTTP path that answers 200 when an instance is ready; empty means the image's HEALTHCHECK."),  # noqa: E501
        Lines(name="env", help="Environment for the app's containers, KEY=VALUE, one per line."),
        Text(name="environment", default="production", help="The environment's name, for the deploy record, the summary and the GitHub Deployment."),  # noqa: E501
        Url(name="environment-url", help="Where the environment serves, e.g. https://shop.example.com: the GitHub Deployment's environment URL on the environments page."),  # noqa: E501
        Text(name="github-token", secret=True, help="A token with deployments: write: with it, the rollout is a GitHub Deployment (in_progress, then success, failure, error, or queued at a gate; a re-run continues the same one), which the environments page and ci-metrics' DORA read. Masked; empty means no Deployment (the local record is always written)."),  # noqa: E501
        Text(name="repository", metavar="OWNER/NAME", action_default="${{ github.repository }}", help="With github-token: the repository the Deployment is made in; empty means GITHUB_REPOSITORY."),  # noqa: E501
        Url(name="api-url", action_default="${{ github.api_url }}", help="With github-token: the GitHub REST API URL; empty means GITHUB_API_URL, else https://api.github.com."),  # noqa: E501
        PathParam(name="record", allow_outside=True, default=".paved/deploy-strategy/deploys.jsonl", help="The deploy record (JSON lines, one per deploy) that ci-metrics reads; relative to the workspace, or an absolute path on the runner's host that outlives the job."),  # noqa: E501
    ),
)  # fmt: skip
