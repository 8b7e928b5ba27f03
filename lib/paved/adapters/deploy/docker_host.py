"""The Docker-host target: containers of the image on one engine, HAProxy in front.

Each instance is a container `<app>-r<revision>-<n>` on a user-defined bridge network,
published on 127.0.0.1 (a random port) and pointed at by one server slot of the app's
HAProxy backend. Which revision is stable, the rollout state and the lease live in labels of
never-started marker containers (`<app>-state-<seq>`, `<app>-lease`): on the target, so any
job on any runner reads the same truth. The engine's unique container names make the lease
atomic.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paved import log
from paved.adapters.deploy.containers import Container, ContainerEngine, DockerError
from paved.adapters.deploy.interface import (
    LABEL_PREFIX,
    DeployTarget,
    Lease,
    LeaseHeldError,
    Readiness,
    RolloutState,
    RolloutStatus,
    TargetView,
    Track,
    TrafficSplit,
    Workload,
)
from paved.adapters.http.interface import HttpEndpoint
from paved.adapters.router.interface import MAX_WEIGHT, AdminState, Router, ServerSlot
from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from paved.adapters.http.interface import HttpClient

APP = f"{LABEL_PREFIX}app"
ROLE = f"{LABEL_PREFIX}role"
REVISION = f"{LABEL_PREFIX}revision"
SLOT = f"{LABEL_PREFIX}slot"
IMAGE = f"{LABEL_PREFIX}image"
STABLE_REVISION = f"{LABEL_PREFIX}stable-revision"
SEQUENCE = f"{LABEL_PREFIX}state-seq"
_POLL = 0.2
_LEASE_ATTEMPTS = 3


@dataclass(frozen=True)
class DockerHostSettings:
    """How the target runs containers and where the router is."""

    backend: str
    """The HAProxy backend whose server slots serve the app."""
    network: str = "paved"
    container_port: int = 8080
    publish_address: str = "127.0.0.1"
    ready_path: str | None = None
    """HTTP path that answers 200 when an instance is ready; None = the image's HEALTHCHECK."""
    health_interval_seconds: float = 1.0
    """Overrides the HEALTHCHECK's interval, so readiness is seen within a second."""
    drain_seconds: float = 10.0
    """How long a removed instance may finish the requests it has."""
    env: tuple[tuple[str, str], ...] = ()


def server_weights(
    candidate_percent: int, stable_servers: int, candidate_servers: int
) -> tuple[int, int]:
    """Per-server weights (stable, candidate) so the candidate's servers together get
    `candidate_percent` % of requests; exact whenever HAProxy's 0..256 range allows."""
    if candidate_servers == 0 or (candidate_percent == 0 and stable_servers):
        return (1 if stable_servers else 0), 0
    if stable_servers == 0 or candidate_percent == 100:  # noqa: PLR2004 - percent
        return 0, 1
    stable = (100 - candidate_percent) * candidate_servers
    candidate = candidate_percent * stable_servers
    common = math.gcd(stable, candidate)
    stable, candidate = stable // common, candidate // common
    largest = max(stable, candidate)
    if largest > MAX_WEIGHT:
        scale = MAX_WEIGHT / largest
        stable, candidate = max(1, round(stable * scale)), max(1, round(candidate * scale))
    return stable, candidate


def effective_percent(stable_total: int, candidate_total: int) -> int:
    """The candidate's share of the summed weights, in whole percent."""
    total = stable_total + candidate_total
    return round(100 * candidate_total / total) if total else 0


@dataclass(frozen=True)
class _Tracks:
    stable: tuple[Container, ...]
    candidate: tuple[Container, ...]
    retired: tuple[Container, ...]
    stable_revision: int | None
    candidate_revision: int | None

    def of(self, track: Track) -> tuple[Container, ...]:
        return self.stable if track is Track.STABLE else self.candidate


class DockerHostTarget(DeployTarget):
    """Containers on one Docker engine behind one HAProxy backend."""

    kind = "docker"

    def __init__(
        self,
        engine: ContainerEngine,
        router: Router,
        http: HttpClient,
        settings: DockerHostSettings,
    ) -> None:
        self.engine = engine
        self.router = router
        self.http = http
        self.settings = settings
        self._known_markers: dict[str, list[Container]] = {}
        self._leased: set[str] = set()

    # --- reading ---------------------------------------------------------------------------

    def check(self) -> str:
        version = self.engine.version()
        self.engine.ensure_marker_image()
        slots = self.router.servers(self.settings.backend)
        return (
            f"Docker {version} at {self.engine.host}, HAProxy backend {self.settings.backend} "
            f"({len(slots)} server slots)"
        )

    def _markers(self, app: str) -> list[Container]:
        # While this object holds the app's lease nobody else writes the state: read it once,
        # then keep what we write. Without the lease, always read.
        if app not in self._leased or app not in self._known_markers:
            found = self.engine.find({APP: app, ROLE: "state"})
            self._known_markers[app] = sorted(found, key=lambda c: int(c.labels.get(SEQUENCE, "0")))
        return list(self._known_markers[app])

    def _last_marker(self, app: str) -> Container | None:
        markers = self._markers(app)
        return markers[-1] if markers else None

    def read_state(self, app: str) -> RolloutState | None:
        marker = self._last_marker(app)
        return RolloutState.from_labels(marker.labels) if marker else None

    def _tracks(self, app: str) -> _Tracks:
        marker = self._last_marker(app)
        state = RolloutState.from_labels(marker.labels) if marker else None
        text = marker.labels.get(STABLE_REVISION, "") if marker else ""
        stable_rev = int(text) if text.isdigit() else None
        candidate_rev = (
            state.revision
            if state and state.status is RolloutStatus.IN_PROGRESS and state.revision != stable_rev
            else None
        )
        groups: dict[str, list[Container]] = {"stable": [], "candidate": [], "retired": []}
        for container in self.engine.find({APP: app, ROLE: "instance"}):
            revision = int(container.labels.get(REVISION, "0"))
            key = (
                "stable"
                if revision == stable_rev
                else "candidate"
                if revision == candidate_rev
                else "retired"
            )
            groups[key].append(container)
        for group in groups.values():
            group.sort(key=lambda c: c.name)
        return _Tracks(
            tuple(groups["stable"]),
            tuple(groups["candidate"]),
            tuple(groups["retired"]),
            stable_rev,
            candidate_rev,
        )

    def _ready(self, container: Container) -> bool:
        if not container.running:
            return False
        if self.settings.ready_path is None:
            if container.health is None:
                raise UsageError(
                    f"the image {container.image} has no HEALTHCHECK to tell readiness by",
                    name="ready-path",
                    valid="an HTTP path that answers 200 when an instance is ready, e.g. /health",
                )
            return container.health == "healthy"
        url = self._url(container)
        return url is not None and self.http.get(url + self.settings.ready_path).status == 200  # noqa: PLR2004

    def _url(self, container: Container) -> str | None:
        published = container.ports.get(f"{self.settings.container_port}/tcp")
        return f"http://{published[0]}:{published[1]}" if published else None

    def _slots(self) -> dict[str, ServerSlot]:
        return {slot.name: slot for slot in self.router.servers(self.settings.backend)}

    def observe(self, app: str) -> TargetView:
        tracks = self._tracks(app)
        slots = self._slots()

        def workload(track: Track, containers: tuple[Container, ...]) -> Workload | None:
            if not containers:
                return None
            revision = int(containers[0].labels.get(REVISION, "0"))
            ready = sum(1 for c in containers if self._ready(c))
            image = containers[0].labels.get(IMAGE, containers[0].image)
            return Workload(track, image, len(containers), ready, revision)

        def total(containers: tuple[Container, ...]) -> int:
            weights = (slots.get(c.labels.get(SLOT, "")) for c in containers)
            return sum(s.weight for s in weights if s and s.admin is AdminState.READY)

        split = TrafficSplit(effective_percent(total(tracks.stable), total(tracks.candidate)))
        return TargetView(
            app,
            workload(Track.STABLE, tracks.stable),
            workload(Track.CANDIDATE, tracks.candidate),
            split,
        )

    def track_servers(self, app: str, track: Track) -> tuple[str, ...]:
        """The HAProxy server slots that serve `track` now (the router's counters are per
        slot; rollback-guard reads them to see errors as they are served)."""
        return tuple(c.labels.get(SLOT, "") for c in self._tracks(app).of(track))

    def endpoint(self, app: str, track: Track) -> HttpEndpoint | None:
        for container in self._tracks(app).of(track):
            if container.running and (url := self._url(container)):
                return HttpEndpoint(url, self.http)
        return None

    # --- state and lease -------------------------------------------------------------------

    def write_state(self, state: RolloutState, *, stable_revision: int | None = None) -> None:
        markers = self._markers(state.app)
        last = markers[-1] if markers else None
        sequence = int(last.labels.get(SEQUENCE, "0")) + 1 if last else 1
        if stable_revision is None and last is not None:
            text = last.labels.get(STABLE_REVISION, "")
            stable_revision = int(text) if text.isdigit() else None
        labels = {
            **state.to_labels(),
            APP: state.app,
            ROLE: "state",
            SEQUENCE: str(sequence),
            STABLE_REVISION: "" if stable_revision is None else str(stable_revision),
        }
        # The new marker first, then the old ones away: a crash between leaves both, and the
        # highest sequence wins.
        name = f"{state.app}-state-{sequence}"
        created = self.engine.create_marker(name, labels)
        self.engine.remove(*(m.id for m in markers))
        self._known_markers[state.app] = [Container.marker(created, name, labels)]

    def acquire_lease(self, app: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        name = f"{app}-lease"
        held: Lease | None = None
        for _ in range(_LEASE_ATTEMPTS):
            existing = self.engine.inspect(name)
            acquired_at = now
            if existing:
                held = Lease.from_labels(existing[0].labels)
                if held and held.holder != holder and not held.expired(now):
                    raise LeaseHeldError(held, now=now)
                if held and held.holder == holder:
                    if held.expires_at - now > ttl_seconds / 2:
                        self._leased.add(app)
                        return held
                    acquired_at = held.acquired_at
                self.engine.remove(existing[0].id)
            lease = Lease(app, holder, acquired_at, now + ttl_seconds)
            try:
                self.engine.create_marker(name, {**lease.to_labels(), APP: app, ROLE: "lease"})
            except DockerError as exc:
                if "already in use" not in exc.message and "Conflict" not in exc.message:
                    raise
                continue  # someone else created it between our look and our create
            self._leased.add(app)
            return lease
        current = self.engine.inspect(name)
        held = Lease.from_labels(current[0].labels) if current else held
        if held is None:
            msg = f"the lease container {name} keeps changing under us"
            raise EnvironmentProblemError(msg, hint="look for another job deploying the app")
        raise LeaseHeldError(held, now=now)

    def release_lease(self, lease: Lease) -> None:
        self._leased.discard(lease.app)
        self._known_markers.pop(lease.app, None)
        existing = self.engine.inspect(f"{lease.app}-lease")
        held = Lease.from_labels(existing[0].labels) if existing else None
        if held is not None and held.holder == lease.holder:
            self.engine.remove(existing[0].id)

    # --- steps -----------------------------------------------------------------------------

    def apply(self, app: str, track: Track, image: str, replicas: int, revision: int) -> None:
        self.engine.ensure_network(self.settings.network)
        tracks = self._tracks(app)
        if (
            track is Track.STABLE
            and tracks.stable
            and all(c.labels.get(IMAGE) == image for c in tracks.stable)
        ):
            # In place to what already runs (direct's rollback): drop what was being tried.
            self._drain_and_remove(tracks.candidate)
            return
        # New instances beside the old ones; for STABLE, wait_ready swaps them in once ready.
        mine = [
            c
            for c in (*tracks.candidate, *tracks.retired)
            if c.labels.get(REVISION) == str(revision)
        ]
        wrong = [c for c in mine if c.labels.get(IMAGE) != image]
        self._drain_and_remove(tuple(wrong))
        names = {c.name for c in mine if c not in wrong}
        for index in range(replicas):
            name = f"{app}-r{revision}-{index}"
            if name not in names:
                self._start(app, revision, name, image)

    def _free_slot(self, app: str) -> str:
        used = {c.labels.get(SLOT) for c in self.engine.find({APP: app, ROLE: "instance"})}
        for slot in self.router.servers(self.settings.backend):
            if slot.name not in used and slot.admin is AdminState.MAINT:
                return slot.name
        raise UsageError(
            f"every server slot of HAProxy backend {self.settings.backend} is in use",
            name="router-backend",
            valid="a backend with more free slots (server-template <prefix> 1-N) for " + app,
        )

    def _start(self, app: str, revision: int, name: str, image: str) -> None:
        slot = self._free_slot(app)
        labels = {APP: app, ROLE: "instance", REVISION: str(revision), SLOT: slot, IMAGE: image}
        argv = [
            "run",
            "--detach",
            "--name",
            name,
            "--network",
            self.settings.network,
            "--publish",
            f"{self.settings.publish_address}::{self.settings.container_port}",
            "--restart",
            "no",
            *(f"--label={k}={v}" for k, v in labels.items()),
            *(f"--env={k}={v}" for k, v in self.settings.env),
        ]
        if self.settings.ready_path is None:
            argv += ["--health-interval", f"{self.settings.health_interval_seconds}s"]
        log.info(f"starting {name} from {image}")
        try:
            self.engine.run(*argv, image, timeout=600)
        except DockerError as exc:
            self.engine.remove(name)
            msg = f"could not start {name} from {image}: {exc.message}"
            raise EnvironmentProblemError(
                msg, hint="check the image reference and the registry"
            ) from exc
        container = self.engine.inspect(name)[0]
        published = container.ports.get(f"{self.settings.container_port}/tcp")
        if published is None:
            self.engine.remove(container.id)
            msg = f"{name} publishes no port {self.settings.container_port}"
            raise EnvironmentProblemError(msg, hint="use a user-defined bridge network")
        self.router.set_weight(self.settings.backend, slot, 0)
        self.router.set_address(self.settings.backend, slot, published[0], published[1])

    def scale(self, app: str, track: Track, replicas: int) -> None:
        tracks = self._tracks(app)
        containers = tracks.of(track)
        if not containers:
            raise UsageError(f"nothing runs on the {track} track of {app} to scale", name="track")
        revision = int(containers[0].labels.get(REVISION, "0"))
        image = containers[0].labels.get(IMAGE, containers[0].image)
        self._drain_and_remove(containers[replicas:])
        names = {c.name for c in containers}
        index = 0
        while len(names) < replicas:
            name = f"{app}-r{revision}-{index}"
            if name not in names:
                self._start(app, revision, name, image)
                names.add(name)
            index += 1

    def wait_ready(self, app: str, track: Track, timeout_seconds: float) -> Readiness:
        tracks = self._tracks(app)
        swap = track is Track.STABLE and bool(tracks.candidate)
        names = [c.name for c in (tracks.candidate if swap else tracks.of(track))]
        readiness = self._wait(track, names, timeout_seconds)
        if swap and readiness.ok:
            # direct: the new instances are ready; move traffic to them, then retire the old.
            self.set_traffic(app, TrafficSplit.candidate_only())
            self._record_stable(app, tracks.candidate_revision)
            self.retire(app)
        return readiness

    def _wait(self, track: Track, names: list[str], timeout_seconds: float) -> Readiness:
        started = time.monotonic()
        while True:
            containers = self.engine.inspect(*names)
            ready = sum(1 for c in containers if self._ready(c))
            seconds = time.monotonic() - started
            if names and ready == len(names):
                return Readiness(track, ready, len(names), seconds)
            exited = [c for c in containers if not c.running]
            if exited or not names or seconds >= timeout_seconds:
                detail = (
                    f"{exited[0].name} exited with code {exited[0].exit_code}"
                    if exited
                    else "nothing runs"
                    if not names
                    else "; ".join(
                        f"{c.name}: {c.health or 'not ready'}"
                        + (f" ({c.health_output[:120]})" if c.health_output else "")
                        for c in containers
                        if not self._ready(c)
                    )
                )
                return Readiness(track, ready, len(names), seconds, detail)
            time.sleep(_POLL)

    def set_traffic(self, app: str, split: TrafficSplit) -> TrafficSplit:
        tracks = self._tracks(app)
        stable = [c for c in tracks.stable if self._ready(c)]
        candidate = [c for c in tracks.candidate if self._ready(c)]
        if split.candidate_weight and not candidate:
            raise UsageError(
                f"{app} has no ready candidate to send {split.candidate_weight} % to",
                name="weight",
                valid="0 until a candidate is ready",
            )
        stable_weight, candidate_weight = server_weights(
            split.candidate_weight, len(stable), len(candidate)
        )
        up, down = (candidate, stable) if split.candidate_weight >= 50 else (stable, candidate)  # noqa: PLR2004
        weights = {c.name: candidate_weight for c in candidate} | {
            c.name: stable_weight for c in stable
        }
        # The side that gains first, so at every moment some ready server has weight.
        for container in (*up, *down):
            self._route(container, weights[container.name])
        for container in (*tracks.stable, *tracks.candidate, *tracks.retired):
            if container.name not in weights:
                self._route(container, 0)
        return TrafficSplit(
            effective_percent(stable_weight * len(stable), candidate_weight * len(candidate))
        )

    def _route(self, container: Container, weight: int) -> None:
        slot = container.labels.get(SLOT, "")
        backend = self.settings.backend
        self.router.set_weight(backend, slot, weight)
        self.router.set_state(backend, slot, AdminState.READY if weight else AdminState.DRAIN)

    def _record_stable(self, app: str, revision: int | None) -> None:
        state = self.read_state(app)
        if state is not None and revision is not None:
            self.write_state(state, stable_revision=revision)

    def promote(self, app: str, image: str, timeout_seconds: float) -> None:
        del timeout_seconds  # one host: the candidate's containers simply become stable
        tracks = self._tracks(app)
        if not tracks.candidate:
            if tracks.stable and tracks.stable[0].labels.get(IMAGE) == image:
                return  # promoted already (a re-run after a crash)
            raise UsageError(f"{app} has no candidate running {image} to promote", name="image")
        if self.observe(app).traffic.candidate_weight < 100:  # noqa: PLR2004 - percent
            self.set_traffic(app, TrafficSplit.candidate_only())
        self._record_stable(app, tracks.candidate_revision)

    def retire(self, app: str) -> None:
        tracks = self._tracks(app)
        self._drain_and_remove(tracks.retired)

    def remove(self, app: str, track: Track) -> None:
        tracks = self._tracks(app)
        doomed = tracks.of(track)
        if track is Track.STABLE and tracks.stable_revision is None:
            doomed = tracks.candidate  # a first deploy that failed: its instances are pending
        self._drain_and_remove(doomed)

    def _drain_and_remove(self, containers: tuple[Container, ...] | list[Container]) -> None:
        if not containers:
            return
        backend = self.settings.backend
        slots = [c.labels.get(SLOT, "") for c in containers]
        for slot in slots:
            self.router.set_weight(backend, slot, 0)
            self.router.set_state(backend, slot, AdminState.DRAIN)
        deadline = time.monotonic() + self.settings.drain_seconds
        while time.monotonic() < deadline:
            busy = [s for s in self.router.servers(backend) if s.name in slots and s.sessions]
            if not busy:
                break
            time.sleep(_POLL / 2)
        for slot in slots:
            self.router.set_state(backend, slot, AdminState.MAINT)
        log.info("removing " + ", ".join(c.name for c in containers))
        self.engine.remove(*(c.id for c in containers))
