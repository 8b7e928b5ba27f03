"""The deploy half of `make demo`: the paved CLI calls the composed pipeline's deploy, guard
and rollback jobs make, run by the demo driver on the Docker-host target after act built the
image (a self-hosted runner on the Docker host would run the same commands).

Each version goes to staging blue-green, then to production as a canary gated at 20 %: while
it waits at the gate, traffic flows through HAProxy, Prometheus scrapes the stable and the
canary containers, and rollback-guard judges the canary's error rate against stable. A pass
approves the rollout (the re-run continues to 100 %); a fail rolls production back to the
image it replaced, as the generated workflow's rollback job does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from components.prometheus import Target
from paved.adapters.http.interface import LoadProfile
from paved.adapters.http.stdlib import ThreadedLoadGenerator

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from components.docker_engine import DockerEngine
    from components.haproxy import RunningHaproxy
    from components.prometheus import LocalPrometheus

STAGING = "python-service-staging"
PRODUCTION = "python-service"
NETWORK = "paved-demo"
LOAD_RATE = 40.0
"""Requests per second through HAProxy while the guard looks (the machine is small)."""


@dataclass
class Timeline:
    """What happened, in order, and how long each part took."""

    started: float = field(default_factory=time.monotonic)
    parts: list[tuple[str, float, float, str]] = field(default_factory=list)
    """(name, start offset, seconds, outcome)."""

    @contextmanager
    def part(self, name: str) -> Iterator[list[str]]:
        """Time one part; what the body appends to the list is its outcome."""
        began = time.monotonic()
        outcome: list[str] = []
        print(f"\n=== {name}", flush=True)
        try:
            yield outcome
        finally:
            ended = time.monotonic()
            self.parts.append((name, began - self.started, ended - began, "; ".join(outcome)))

    def mark(self, name: str) -> None:
        """A part that ran from the start until now (the start-up)."""
        self.parts.append((name, 0.0, time.monotonic() - self.started, ""))

    def text(self) -> str:
        """The timeline as the demo prints it at the end."""
        lines = ["", "paved demo timeline", "-------------------"]
        for name, at, seconds, outcome in self.parts:
            said = f": {outcome}" if outcome else ""
            lines.append(f"at {at:6.1f} s  took {seconds:6.1f} s  {name}{said}")
        lines.append(f"total {time.monotonic() - self.started:.1f} s (with the stop)")
        return "\n".join(lines)


@dataclass(frozen=True)
class DeployHost:
    """The Docker host the demo deploys to: engine, HAProxy, Prometheus, the deploy record."""

    engine: DockerEngine
    haproxy: RunningHaproxy
    prometheus: LocalPrometheus
    record: Path
    work: Path
    sha: str
    """The commit the images were built from (the deploy records carry it, for lead time)."""

    def paved(self, *args: str) -> subprocess.CompletedProcess[str]:
        """One paved CLI call, its output shown (it is the demo's log)."""
        env = {"GITHUB_SHA": self.sha, "PATH": "/usr/bin:/bin"}
        done = subprocess.run(
            [sys.executable, "-m", "paved.cli", *args],
            capture_output=True, text=True, check=False, cwd=self.work, env=env, timeout=600,
        )  # fmt: skip
        print(done.stdout.rstrip(), done.stderr.rstrip(), sep="\n", flush=True)
        return done

    def deploy(self, app: str, environment: str, image: str, *flags: str) -> dict[str, object]:
        """`paved deploy-strategy` on this host; its JSON outcome."""
        outcome = self.work / f"deploy-{time.monotonic_ns()}.json"
        self.paved(
            "deploy-strategy", f"--app={app}", f"--image={image}", "--target=docker",
            f"--docker-host={self.engine.host}", f"--haproxy-socket={self.haproxy.socket}",
            f"--docker-network={NETWORK}", f"--environment={environment}",
            f"--record={self.record}", "--ready-timeout=60", "--holder=paved-demo",
            f"--json={outcome}", *flags,
        )  # fmt: skip
        return json.loads(outcome.read_text(encoding="utf-8"))

    def scrape(self, app: str) -> None:
        """Point Prometheus at the app's containers: the newest revision is the canary."""
        listed = self.engine.docker(
            "ps", f"--filter=label=paved.dev/app={app}", "--filter=label=paved.dev/role=instance",
            "--format", '{{.Label "paved.dev/revision"}} {{.Ports}}',
        ).stdout.split("\n")  # fmt: skip
        instances = []
        for line in filter(None, listed):
            revision, _, ports = line.partition(" ")
            instances.append((int(revision), ports.split("->")[0]))
        newest = max(revision for revision, _ in instances)
        self.prometheus.remove_app(app)
        for revision, address in instances:
            track = "canary" if revision == newest else "stable"
            self.prometheus.add_target(Target(address, app, track))
        self.prometheus.wait_scraped(app, len(instances))

    def guard(self, app: str) -> int:
        """rollback-guard on the canary at the gate, under load through HAProxy; its exit."""
        self.scrape(app)
        profile = LoadProfile(f"{self.haproxy.url(app)}/api/data", LOAD_RATE, 2000, 45.0, 4)
        load = ThreadedLoadGenerator().start(profile)
        try:
            return self.paved(
                "rollback-guard", f"--prometheus-url={self.prometheus.url}", f"--app={app}",
                f'--candidate-selector=app="{app}",track="canary"',
                f'--stable-selector=app="{app}",track="stable"',
                "--checks=error-rate", "--interval=2", "--window=10", "--looks=6",
                "--min-requests=20", "--on-inconclusive=fail",
                f"--record={self.work / f'guard-{time.monotonic_ns()}.json'}",
            ).returncode  # fmt: skip
        finally:
            load.stop()
            self.prometheus.remove_app(app)


def ship(host: DeployHost, timeline: Timeline, version: str, image: str) -> str:
    """One version through staging and a guarded production canary; what became of it."""
    with timeline.part(f"{version}: staging, blue-green") as said:
        staged = host.deploy(STAGING, "staging", image, "--strategy=blue-green", "--bake-seconds=2")
        said.append(str(staged["status"]))
    if staged["status"] not in {"succeeded", "unchanged"}:
        return f"{version} stopped in staging ({staged['status']})"
    canary = ("--strategy=canary", "--canary-steps=20,100", "--gate-after=20", "--step-seconds=1")
    with timeline.part(f"{version}: production canary to 20 %") as said:
        gated = host.deploy(PRODUCTION, "production", image, *canary)
        said.append(str(gated["status"]))
    if gated["status"] != "paused":
        return f"{version} in production: {gated['status']}"
    with timeline.part(f"{version}: rollback-guard on the canary (Prometheus)") as said:
        verdict = host.guard(PRODUCTION)
        said.append("pass" if verdict == 0 else f"fail (exit {verdict})")
    if verdict == 0:
        with timeline.part(f"{version}: approved, canary to 100 %") as said:
            done = host.deploy(PRODUCTION, "production", image, *canary, "--approve")
            said.append(str(done["status"]))
        return f"{version} promoted ({done['status']})"
    with timeline.part(f"{version}: rolled back to the image it replaced") as said:
        previous = str(gated["previous_image"])
        back = host.deploy(PRODUCTION, "production", previous, "--strategy=direct")
        said.append(f"{back['status']}, {previous.rpartition('@')[2][:19]} serves 100 %")
    return f"{version} rolled back"


def live_version(host: DeployHost, app: str) -> str:
    """What the app's users get now (the service's version field, through HAProxy)."""
    with __import__("urllib.request").request.urlopen(f"{host.haproxy.url(app)}/health") as r:
        return str(json.loads(r.read()).get("version", "?"))
