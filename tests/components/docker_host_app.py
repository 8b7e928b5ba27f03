"""One app's place on the Docker-host target: a fresh HAProxy with a backend for it, and the
target pointed at the private engine. Shared by the deploy-strategy and rollback-guard tests,
the benchmarks and the demo sandbox."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved.adapters.deploy.containers import ContainerEngine
from paved.adapters.deploy.docker_host import DockerHostSettings, DockerHostTarget
from paved.adapters.http.stdlib import StdlibHttpClient
from paved.adapters.router.haproxy import HaproxyRuntime
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.deploystrategy.clock import Clock
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import DeployOptions, Strategy, canary_steps, parse_smoke_check
from paved.deploystrategy.outcome import DeployResult

from components.errors import ComponentError
from components.haproxy import running_haproxy

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

    from paved.adapters.deploy.interface import RolloutState
    from paved.deploystrategy.outcome import DeployOutcome

    from components.docker_engine import DockerEngine

NETWORK = "paved-it"
CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)
_names = itertools.count(1)


@dataclass(frozen=True)
class DockerHost:
    """One app's place on the Docker host: its HAProxy backend and a target for it."""

    app: str
    url: str
    """Where users reach the app (HAProxy's frontend)."""
    haproxy_socket: Path
    docker_host: str
    network: str

    def target(self, **settings) -> DockerHostTarget:
        return DockerHostTarget(
            ContainerEngine(self.docker_host),
            HaproxyRuntime(self.haproxy_socket),
            StdlibHttpClient(),
            DockerHostSettings(backend=self.app, network=self.network, **settings),
        )

    def cli_flags(self) -> list[str]:
        return [
            "--target=docker",
            f"--docker-host={self.docker_host}",
            f"--haproxy-socket={self.haproxy_socket}",
            f"--docker-network={self.network}",
        ]


@contextmanager
def app_on_docker_host(engine: DockerEngine, prefix: str = "shop") -> Iterator[DockerHost]:
    """A fresh app name and HAProxy; every container of the app removed afterwards.
    Raises ComponentError when HAProxy cannot start."""
    app = f"{prefix}{os.getpid() % 1000}-{next(_names)}"
    try:
        with running_haproxy((app,)) as haproxy:
            yield DockerHost(app, haproxy.url(app), haproxy.socket, engine.host, NETWORK)
    finally:
        ids = engine.docker("ps", "--all", "--quiet", f"--filter=label=paved.dev/app={app}")
        if ids.stdout.split():
            engine.docker("rm", "--force", *ids.stdout.split())


def deploy(host: DockerHost, image: str, version: str, **more) -> DeployOutcome:
    """One deploy-strategy rollout of `image` (which reports `version` on /health) through
    the real executor; `env` goes to the containers this rollout starts."""
    target = host.target(env=more.pop("env", ()))
    checks = (parse_smoke_check(f"/health json.status=healthy json.version={version}"),)
    options = DeployOptions(
        host.app,
        image,
        more.pop("strategy", Strategy.CANARY),
        more.pop("steps", canary_steps((10, 50, 100), 1.0)),
        smoke_checks=checks,
        ready_timeout_seconds=more.pop("ready_timeout", 30.0),
        holder=more.pop("holder", "it"),
        **more,
    )
    analysis = ReadinessAndSmoke(target, checks, CLOCK, interval=0.5)
    return Rollout(options, target, analysis, CLOCK).run()


def paused_canary(
    host: DockerHost, stable: str, candidate: str, version: str, *, weight: int = 20, env=()
) -> DeployOutcome:
    """`stable` live on two instances, then a canary of `candidate` (one instance) stopped at
    a manual gate with `weight` % of the traffic: a live rollout for the guard to judge."""
    first = deploy(host, stable, "1.0.0", strategy=Strategy.DIRECT, replicas=2)
    if first.result is not DeployResult.SUCCEEDED:
        msg = f"the stable deploy did not succeed: {first.reason}"
        raise ComponentError(msg)
    steps = canary_steps((weight, 100), 0.5, frozenset({weight}))
    paused = deploy(host, candidate, version, steps=steps, env=env, replicas=2)
    if paused.result is not DeployResult.PAUSED:
        msg = f"the canary did not stop at its gate: {paused.result} {paused.reason}"
        raise ComponentError(msg)
    return paused


def killed_at_weight(
    host: DockerHost,
    command: Sequence[str],
    log: Path,
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    revision: int = 2,
    weight: int = 10,
) -> RolloutState:
    """Start a `paved deploy-strategy` job, SIGKILL its process group once the rollout of
    `revision` reached `weight` (a cancelled job, as hard as it gets), and return the state it
    left on the target. Raises ComponentError (with the job's log) when it never gets there."""
    with log.open("wb") as out:
        job = subprocess.Popen(
            list(command), cwd=cwd, env=None if env is None else dict(env),
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    target = host.target()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = target.read_state(host.app)
        if state and state.revision == revision and state.weight == weight:
            break
        time.sleep(0.2)
    else:
        job.kill()
        msg = f"the rollout never reached {weight} %: " + log.read_text(errors="replace")[-2000:]
        raise ComponentError(msg)
    os.killpg(job.pid, signal.SIGKILL)
    job.wait(timeout=10)
    stopped = target.read_state(host.app)
    if stopped is None:
        msg = "the killed rollout left no state on the target"
        raise ComponentError(msg)
    return stopped
