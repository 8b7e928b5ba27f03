"""Fakes for deploy-strategy unit tests; each subclasses one of our own interfaces."""

# The fakes keep the interfaces' signatures, arguments they do not need included.
# ruff: noqa: ARG002

from __future__ import annotations

from dataclasses import dataclass, field

from paved.adapters.deploy.interface import (
    Analysis,
    AnalysisRequest,
    AnalysisResult,
    DeployTarget,
    Lease,
    LeaseHeldError,
    Readiness,
    RolloutState,
    TargetView,
    Track,
    TrafficSplit,
    Verdict,
    Workload,
)
from paved.adapters.http.interface import HttpClient, HttpEndpoint, HttpResponse
from paved.deploystrategy.clock import Clock
from paved.errors import EnvironmentProblemError


class Crash(BaseException):
    """Stands for the job being killed: nothing in paved catches it."""


class FakeClock:
    """Time that moves only when something sleeps (or a step is charged)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds

    def clock(self) -> Clock:
        return Clock(now=self.now, monotonic=self.monotonic, sleep=self.sleep)


@dataclass
class _Track:
    image: str
    replicas: int
    revision: int


@dataclass
class FakeTarget(DeployTarget):
    """An in-memory Docker host: two tracks, a split, a state and a lease."""

    clock: FakeClock
    never_ready: frozenset[str] = frozenset()
    """Images whose instances never become ready."""
    crash_at_weight: int | None = None
    """Raise Crash when traffic is set to this candidate weight (once)."""
    fail_call: str | None = None
    """Name of a method that raises EnvironmentProblemError."""
    tracks: dict[Track, _Track] = field(default_factory=dict)
    split: TrafficSplit = field(default_factory=TrafficSplit.stable_only)
    state: RolloutState | None = None
    lease: Lease | None = None
    calls: list[str] = field(default_factory=list)
    history: list[tuple[str, int]] = field(default_factory=list)
    """(image serving the majority, candidate weight) after each traffic change."""
    kind: str = "fake"
    http: HttpClient | None = None
    """What the tracks' endpoints answer with; None: a FakeHttp with nothing broken."""

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if self.fail_call == name:
            msg = f"{name}: the fake target is unreachable"
            raise EnvironmentProblemError(msg)

    def serve(self, image: str, replicas: int = 2) -> None:
        self.tracks[Track.STABLE] = _Track(image, replicas, 0)

    def check(self) -> str:
        self._call("check")
        return "fake target"

    def _workload(self, track: Track) -> Workload | None:
        held = self.tracks.get(track)
        if held is None:
            return None
        ready = 0 if held.image in self.never_ready else held.replicas
        return Workload(track, held.image, held.replicas, ready, held.revision)

    def observe(self, app: str) -> TargetView:
        return TargetView(
            app, self._workload(Track.STABLE), self._workload(Track.CANDIDATE), self.split
        )

    def read_state(self, app: str) -> RolloutState | None:
        return self.state

    def write_state(self, state: RolloutState) -> None:
        self.state = state

    def acquire_lease(self, app: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        if self.lease and self.lease.holder != holder and not self.lease.expired(now):
            raise LeaseHeldError(self.lease, now=now)
        acquired = self.lease.acquired_at if self.lease and self.lease.holder == holder else now
        self.lease = Lease(app, holder, acquired, now + ttl_seconds)
        return self.lease

    def release_lease(self, lease: Lease) -> None:
        if self.lease and self.lease.holder == lease.holder:
            self.lease = None

    def apply(self, app: str, track: Track, image: str, replicas: int, revision: int) -> None:
        self._call(f"apply {track} {image}")
        self.tracks[track] = _Track(image, replicas, revision)

    def scale(self, app: str, track: Track, replicas: int) -> None:
        self._call(f"scale {track} {replicas}")
        self.tracks[track].replicas = replicas

    def wait_ready(self, app: str, track: Track, timeout_seconds: float) -> Readiness:
        self._call(f"wait-ready {track}")
        workload = self._workload(track)
        if workload is None:
            return Readiness(track, 0, 0, 0.0, "nothing runs")
        if workload.ready_replicas < workload.replicas:
            self.clock.sleep(timeout_seconds)
            return Readiness(track, 0, workload.replicas, timeout_seconds, "health: starting")
        return Readiness(track, workload.replicas, workload.replicas, 0.5)

    def set_traffic(self, app: str, split: TrafficSplit) -> TrafficSplit:
        self._call(f"set-traffic {split.candidate_weight}")
        if self.crash_at_weight == split.candidate_weight:
            self.crash_at_weight = None
            raise Crash
        stable = self._workload(Track.STABLE)
        if split.candidate_weight < 100 and stable is not None and not stable.ready_replicas:
            return self.split  # like HAProxy: no ready stable server to give weight to
        self.split = split
        major = Track.CANDIDATE if split.candidate_weight > 50 else Track.STABLE
        self.history.append((self.tracks[major].image, split.candidate_weight))
        return split

    def endpoint(self, app: str, track: Track) -> HttpEndpoint | None:
        if track not in self.tracks:
            return None
        return HttpEndpoint(f"http://{track.value}.test", self.http or FakeHttp(self))

    def promote(self, app: str, image: str, timeout_seconds: float) -> None:
        self._call("promote")
        self.tracks[Track.STABLE] = self.tracks.pop(Track.CANDIDATE)
        self.retired = True
        self.split = TrafficSplit.stable_only()

    def retire(self, app: str) -> None:
        self._call("retire")

    def remove(self, app: str, track: Track) -> None:
        self._call(f"remove {track}")
        self.tracks.pop(track, None)


class FakeHttp(HttpClient):
    """Answers by host: the image a track runs decides the body; `broken` hosts answer 500."""

    def __init__(self, target: FakeTarget, broken: frozenset[str] = frozenset()) -> None:
        self.target = target
        self.broken = broken
        self.urls: list[str] = []

    def get(self, url: str, *, timeout_seconds: float = 5.0) -> HttpResponse:
        self.urls.append(url)
        track = Track.STABLE if "//stable." in url else Track.CANDIDATE
        held = self.target.tracks.get(track)
        if held is None:
            return HttpResponse(url, None, b"", 0.01, error="ConnectionRefusedError")
        if held.image in self.broken:
            return HttpResponse(url, 500, b'{"error": "injected"}', 0.01)
        return HttpResponse(
            url, 200, b'{"status": "healthy", "image": "%s"}' % held.image.encode(), 0.01
        )


class ScriptedAnalysis(Analysis):
    """Fails at the weights it is told to; counts the windows it was asked for."""

    def __init__(self, clock: FakeClock, fail_at: frozenset[int] = frozenset()) -> None:
        self.clock = clock
        self.fail_at = fail_at
        self.requests: list[AnalysisRequest] = []

    def analyse(self, request: AnalysisRequest) -> AnalysisResult:
        self.requests.append(request)
        self.clock.sleep(request.window_seconds)
        if request.weight in self.fail_at:
            return AnalysisResult(Verdict.FAIL, reason=f"errors at {request.weight} %")
        return AnalysisResult(Verdict.PASS, seconds=request.window_seconds)
