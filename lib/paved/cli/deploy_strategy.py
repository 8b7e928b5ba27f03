"""`paved deploy-strategy` (flags: deploystrategy.params): pick the target, run the rollout
(or print its plan), append the local deploy record, render."""

from __future__ import annotations

import argparse
import os
import re
import socket
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from paved.adapters.deploy.containers import ContainerEngine
from paved.adapters.deploy.docker_host import DockerHostSettings, DockerHostTarget
from paved.adapters.deploy.interface import LeaseHeldError
from paved.adapters.deploy.kube_objects import KubeRouter
from paved.adapters.deploy.kubernetes import KubernetesSettings, KubernetesTarget
from paved.adapters.deployrecords.jsonl import commit_time
from paved.adapters.github.interface import DeploymentState
from paved.adapters.http.stdlib import StdlibHttpClient
from paved.adapters.kube.official import connect, in_cluster
from paved.adapters.prometheus.http_api import HttpApiPrometheus
from paved.adapters.router.haproxy import HaproxyRuntime
from paved.cli import rollback_guard
from paved.cli.deploy_github import github_deployment
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.deploystrategy.clock import Clock
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import (
    DeployOptions,
    SmokeVia,
    Strategy,
    canary_steps,
    check_weights,
    parse_app,
    parse_smoke_check,
    parse_weight_list,
    weights_by_increment,
)
from paved.deploystrategy.plan import Apply
from paved.errors import UsageError
from paved.params import parse_list
from paved.report import deploystrategy as report
from paved.rollbackguard import params as rollback_guard_params
from paved.rollbackguard.clock import Clock as GuardClock
from paved.rollbackguard.deploy_analysis import MetricAnalysis
from paved.rollbackguard.policy import InconclusivePolicy
from paved.rollbackguard.source import PrometheusObservations

if TYPE_CHECKING:
    from paved.adapters.deploy.interface import Analysis, DeployTarget
    from paved.model import Rendered

_NAMESPACE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)
GUARD_CLOCK = GuardClock(time.time, time.monotonic, time.sleep)
_RECORD_CONTEXT = {
    "repository": "GITHUB_REPOSITORY",
    "sha": "GITHUB_SHA",
    "ref": "GITHUB_REF",
    "run_id": "GITHUB_RUN_ID",
    "run_attempt": "GITHUB_RUN_ATTEMPT",
    "workflow": "GITHUB_WORKFLOW",
    "actor": "GITHUB_ACTOR",
}


def handle(args: argparse.Namespace) -> Rendered:
    """Run (or plan) one rollout for parsed arguments."""
    options = options_from(args)
    http = StdlibHttpClient()
    target = target_from(args, options.app, http)
    if isinstance(target, KubernetesTarget) and options.replicas is None:
        target.check()
        if target.observe(options.app).stable is None:
            # A first deploy starts as many pods as the team's manifest asks for.
            options = replace(options, replicas=target.settings.replicas)
    analysis = analysis_from(args, target, options)
    rollout = Rollout(options, target, analysis, CLOCK)
    github = github_deployment(args, options)
    if args.dry_run:
        target.check()
        plan = rollout.plan_only()
        first = next((s for s in plan.steps if isinstance(s, Apply)), None)
        objects = (
            target.preview(options.app, first.track, first.image, first.replicas)
            if first is not None
            else ()
        )
        return report.render_plan(plan, options.app, args.environment, objects)
    published = None
    if github is None:
        outcome = rollout.run()
    else:
        # Before anything is rolled out: a token that may not write deployments is exit 3 here.
        github.begin(report.status_description(DeploymentState.IN_PROGRESS))
        try:
            outcome = rollout.run()
        except LeaseHeldError:
            # Refused: another run holds the app. The deployment it continued is that run's.
            if not github.resumed:
                github.abort(report.status_description)
            raise
        except Exception:
            # Not on KeyboardInterrupt (a cancelled job): its re-run continues this deployment.
            github.abort(report.status_description)
            raise
        published = github.finish(
            outcome.result, lambda state: report.status_description(state, outcome)
        )
    context = {
        key: os.environ[name] for key, name in _RECORD_CONTEXT.items() if os.environ.get(name)
    }
    committed = commit_time(Path.cwd(), context.get("sha", ""))
    _append(args.record, report.record_line(outcome, args.environment, context, committed))
    return report.render(outcome, args.environment, published)


def analysis_from(
    args: argparse.Namespace, target: DeployTarget, options: DeployOptions
) -> Analysis:
    """rollback-guard's metric analysis when a Prometheus is named, else readiness + smoke."""
    if not args.prometheus_url:
        return ReadinessAndSmoke(target, options.smoke_checks, CLOCK)
    guard = argparse.Namespace(
        **{
            p.name.replace("-", "_"): p.read("")
            for p in rollback_guard_params.DECLARATION.params
            if not p.required
        }
    )
    guard.app = options.app
    guard.prometheus_url = args.prometheus_url
    guard.candidate_selector = args.candidate_selector
    guard.stable_selector = args.stable_selector
    guard.checks = args.metric_checks
    guard.error_rate_limit = args.error_rate_limit
    guard.p95_factor = args.p95_factor
    guard.interval = args.analysis_interval
    guard.window = args.analysis_window
    guard.min_requests = args.min_requests
    guard.on_inconclusive = InconclusivePolicy(args.on_inconclusive)
    spec = rollback_guard.options_from(guard).spec()
    source = PrometheusObservations(
        HttpApiPrometheus(args.prometheus_url), rollback_guard.selectors_from(guard)
    )
    return MetricAnalysis(spec, source, GUARD_CLOCK)


def default_holder() -> str:
    """The workflow run and job (a re-run is the same holder), or host:pid locally."""
    run = os.environ.get("GITHUB_RUN_ID")
    if run:
        return f"github-run-{run}-{os.environ.get('GITHUB_JOB', 'job')}"
    return f"{socket.gethostname()}:{os.getpid()}"


def options_from(args: argparse.Namespace) -> DeployOptions:
    """DeployOptions from parsed flags; every value checked with what is valid."""
    if args.step_weight is not None:
        weights = weights_by_increment(args.step_weight, args.max_weight)
    else:
        weights = parse_weight_list(args.canary_steps)
    try:
        gates = frozenset(int(w) for w in parse_list(args.gate_after or ""))
    except ValueError:
        raise UsageError(
            f"{args.gate_after!r} is not a list of weights",
            name="gate-after",
            valid="comma-separated canary weights, e.g. 50",
        ) from None
    return DeployOptions(
        app=parse_app(args.app),
        image=_image(args.image),
        strategy=args.strategy,
        canary_steps=canary_steps(check_weights(weights), args.step_seconds, gates),
        replicas=args.replicas,
        canary_replicas=args.canary_replicas,
        bake_seconds=args.bake_seconds,
        ready_timeout_seconds=args.ready_timeout,
        smoke_checks=tuple(parse_smoke_check(line) for line in args.smoke),
        lease_ttl_seconds=args.lease_ttl,
        holder=args.holder or default_holder(),
        approve_gates=args.approve,
        hold_limit=args.hold_limit,
    )


def _image(text: str) -> str:
    if not text or any(c.isspace() for c in text) or text.startswith("-"):
        raise UsageError(
            f"{text!r} is not an image reference",
            name="image",
            valid="registry/name@sha256:<digest> or registry/name:tag",
        )
    return text


def _env(lines: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in lines:
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not key.strip().replace("_", "").isalnum():
            raise UsageError(f"{line!r} is not KEY=VALUE", name="env", valid="KEY=VALUE per line")
        pairs.append((key.strip(), value))
    return tuple(pairs)


def target_from(args: argparse.Namespace, app: str, http: StdlibHttpClient) -> DeployTarget:
    """The concrete target the flags name."""
    if args.target == "kubernetes":
        return _kubernetes(args, http)
    if args.smoke_via is SmokeVia.PROXY:
        raise UsageError(
            "the service proxy is the Kubernetes API server's",
            name="smoke-via",
            valid="auto or direct with target docker (smoke checks go to the containers' ports)",
        )
    if args.router not in {None, "haproxy"}:
        raise UsageError(
            f"the router {args.router} is a Kubernetes router",
            name="router",
            valid="haproxy (or empty) with target docker",
        )
    ready_path = args.ready_path or None
    if ready_path is not None and not ready_path.startswith("/"):
        raise UsageError(f"{ready_path!r} is not a path", name="ready-path", valid="/health")
    settings = DockerHostSettings(
        backend=args.router_backend or app,
        network=args.docker_network,
        container_port=args.container_port,
        ready_path=ready_path,
        env=_env(args.env),
    )
    return DockerHostTarget(
        ContainerEngine(args.docker_host or None),
        HaproxyRuntime(args.haproxy_socket),
        http,
        settings,
    )


def _kubernetes(args: argparse.Namespace, http: StdlibHttpClient) -> KubernetesTarget:
    if args.manifests is None:
        raise UsageError(
            "target kubernetes needs the team's manifests",
            name="manifests",
            valid="a manifest file or a folder of them (one Deployment, one Service)",
        )
    if args.router == "haproxy":
        raise UsageError(
            "haproxy routes the Docker host's containers",
            name="router",
            valid="service, replica-ratio, istio or gateway-api with target kubernetes",
        )
    if args.router is not None:
        router = KubeRouter(args.router)
    elif args.strategy is Strategy.BLUE_GREEN:
        router = KubeRouter.SERVICE
    else:
        router = KubeRouter.REPLICA_RATIO
    namespace = args.namespace.strip()
    if not _NAMESPACE.fullmatch(namespace):
        raise UsageError(
            f"{namespace!r} is not a namespace name",
            name="namespace",
            valid="lower-case letters, digits and '-', starting and ending with a letter or digit",
        )
    via = args.smoke_via.resolved(in_cluster=in_cluster())
    settings = KubernetesSettings.from_manifests(
        args.manifests, namespace, router, args.gateway, smoke_through_proxy=via is SmokeVia.PROXY
    )
    kubeconfig = str(args.kubeconfig) if args.kubeconfig else None
    return KubernetesTarget(connect(kubeconfig, args.context or None), settings, http)


def _append(path: Path, line: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as record:
            record.write(line)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}", name="record") from exc
