"""rollback-guard's deploy target and its observation sources, from parsed flags (the cli
picks the backends; the capability only sees interfaces)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from paved.adapters.deploy.containers import ContainerEngine
from paved.adapters.deploy.docker_host import DockerHostSettings, DockerHostTarget
from paved.adapters.deploy.kube_objects import KubeRouter
from paved.adapters.deploy.kubernetes import KubernetesSettings, KubernetesTarget
from paved.adapters.http.stdlib import StdlibHttpClient
from paved.adapters.kube.official import connect, in_cluster
from paved.adapters.prometheus.http_api import HttpApiPrometheus
from paved.adapters.router.haproxy import HaproxyRuntime
from paved.adapters.smoke.interface import parse_smoke_check
from paved.errors import UsageError
from paved.params import parse_choice
from paved.rollbackguard.live import ByCheck, ReadyInstances, RouterCounters, SmokeAnswers
from paved.rollbackguard.options import PROMETHEUS_CHECKS, CheckName, Mode
from paved.rollbackguard.source import ObservationSource, PrometheusObservations

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from paved.adapters.deploy.interface import DeployTarget
    from paved.rollbackguard.options import GuardOptions
    from paved.rollbackguard.source import TrackSelectors


def target_from(args: argparse.Namespace) -> DeployTarget:
    """The target the flags name (only what the guard needs of it: observe, move traffic,
    remove, record)."""
    if args.target == "docker":
        return DockerHostTarget(
            ContainerEngine(args.docker_host or None),
            HaproxyRuntime(args.haproxy_socket),
            StdlibHttpClient(),
            DockerHostSettings(backend=args.router_backend or args.app),
        )
    router = parse_choice(KubeRouter, args.kube_router, "--kube-router")
    # The team's manifests only matter to `apply`; the guard never creates objects.
    # Smoke checks from outside the cluster go through the API server's service proxy.
    settings = KubernetesSettings(
        args.namespace, {}, {}, router, smoke_through_proxy=not in_cluster()
    )
    return KubernetesTarget(connect(args.kubeconfig or None), settings, StdlibHttpClient())


def _url(args: argparse.Namespace, what: str) -> str:
    if not args.prometheus_url:
        raise UsageError(
            f"{what} is measured through Prometheus and no Prometheus is named",
            name="--prometheus-url",
            valid="the Prometheus server, e.g. http://127.0.0.1:9090",
        )
    return str(args.prometheus_url)


def sources_from(
    args: argparse.Namespace,
    options: GuardOptions,
    target: DeployTarget | None,
    selectors: Callable[[], TrackSelectors],
) -> ObservationSource:
    """One source per check: Prometheus for the PromQL ones (and every SLO), the target and
    the router for the others."""
    sources: dict[str, ObservationSource] = {}
    prometheus: ObservationSource | None = None
    if options.mode is Mode.SLO:
        return PrometheusObservations(HttpApiPrometheus(_url(args, "slo")), selectors())
    for name in options.checks:
        if name in PROMETHEUS_CHECKS:
            prometheus = prometheus or PrometheusObservations(
                HttpApiPrometheus(_url(args, name)), selectors()
            )
            sources[name.value] = prometheus
        elif target is None:
            raise UsageError(
                f"{name} is measured on the deploy target and no target is named",
                name="--target",
                valid="docker or kubernetes",
            )
        elif name is CheckName.READY_RATIO:
            sources[name.value] = ReadyInstances(target, args.app)
        elif name is CheckName.SMOKE:
            smoke = tuple(parse_smoke_check(line) for line in args.smoke)
            sources[name.value] = SmokeAnswers(target, args.app, smoke)
        elif isinstance(target, DockerHostTarget):
            sources[name.value] = RouterCounters(
                target.router, target.settings.backend, partial(target.track_servers, args.app)
            )
        else:
            raise UsageError(
                f"{name} reads HAProxy's counters, which only the docker target has",
                name="--checks",
                valid="error-rate, p95-latency or router-error-rate through Prometheus",
            )
    return ByCheck(sources)
