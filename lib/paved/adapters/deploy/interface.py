"""Where a rollout runs: the deploy target interface, and the analysis between its steps.

deploy-strategy's executor only ever speaks to a `DeployTarget` (containers on a Docker host
behind HAProxy, Deployments on Kubernetes behind a Service, Istio or Gateway API) and to an
`Analysis` (readiness + smoke by default; rollback-guard's metric analysis later). Everything
here is a value type or an abstract class; backends live beside this module, one per target.

The model every target implements:
- An app has at most two **tracks**: STABLE (the version that serves now; blue-green's live
  color, the canary's primary) and CANDIDATE (the new version: the canary, or the idle color).
- Traffic between them is a `TrafficSplit` (percent of requests to the candidate). Setting it is
  the router's job (HAProxy weights, Service selector, VirtualService or HTTPRoute weights,
  replica ratio); it must never drop a request that is in flight.
- The **rollout state** (`RolloutState`) and the **lease** (`Lease`) are recorded ON THE TARGET
  (labels of containers, annotations of objects), never only in the job, so a re-run of a
  cancelled job converges from where it stopped and a second job cannot start beside the first.

Errors: backends raise paved.errors types. EnvironmentProblemError when the target cannot be
reached (exit 3, saying what to start or install); UsageError for what the user asked that the
target cannot do (exit 2); `LeaseHeldError` when another rollout of the app is in flight.
A step that runs and does not succeed (containers never ready) is a result, not an exception.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from paved.errors import ExitCode, PavedError, UsageError

if TYPE_CHECKING:
    from paved.adapters.http.interface import HttpEndpoint

LABEL_PREFIX = "paved.dev/"
"""Prefix of every label or annotation key a target writes (valid on Docker and Kubernetes)."""


class Track(StrEnum):
    """One of the (at most two) versions of an app on a target."""

    STABLE = "stable"
    """What serves users now; after `promote`, the new version."""
    CANDIDATE = "candidate"
    """The version being rolled out: the canary, or blue-green's idle color."""


@dataclass(frozen=True)
class TrafficSplit:
    """How requests are shared between the two tracks, in whole percent."""

    candidate_weight: int
    """Percent of requests that go to the candidate, 0..100; the stable track gets the rest."""

    def __post_init__(self) -> None:
        if not 0 <= self.candidate_weight <= 100:  # noqa: PLR2004 - percent
            raise UsageError(
                f"a traffic weight of {self.candidate_weight} is not a percentage",
                name="weight",
                valid="0..100",
            )

    @property
    def stable_weight(self) -> int:
        """Percent of requests that go to the stable track."""
        return 100 - self.candidate_weight

    @classmethod
    def stable_only(cls) -> TrafficSplit:
        """All traffic on the stable track: where every rollback starts."""
        return cls(0)

    @classmethod
    def candidate_only(cls) -> TrafficSplit:
        """All traffic on the candidate (blue-green's switch, a canary at 100)."""
        return cls(100)


@dataclass(frozen=True)
class Workload:
    """What runs on one track right now."""

    track: Track
    image: str
    """The image reference as deployed (by digest when the user gave one)."""
    replicas: int
    """How many instances are asked for."""
    ready_replicas: int
    """How many of them pass their readiness check now."""
    revision: int | None = None
    """The rollout revision that created it, when the target recorded one."""


@dataclass(frozen=True)
class TargetView:
    """What the target shows for one app: its tracks and where traffic goes."""

    app: str
    stable: Workload | None
    """None when the app was never deployed (a first deploy has nothing to protect)."""
    candidate: Workload | None
    traffic: TrafficSplit


@dataclass(frozen=True)
class Readiness:
    """The answer of `wait_ready`: how many instances became ready in the time given."""

    track: Track
    ready: int
    desired: int
    seconds: float
    """How long the wait took."""
    detail: str = ""
    """Why it is not ready (the health check's last output, a pod's condition), for the report."""

    @property
    def ok(self) -> bool:
        """Every asked-for instance is ready (and at least one was asked for)."""
        return self.desired > 0 and self.ready >= self.desired


class RolloutStatus(StrEnum):
    """Where a rollout stands, as recorded on the target."""

    IN_PROGRESS = "in-progress"
    SUCCEEDED = "succeeded"
    ROLLED_BACK = "rolled-back"
    FAILED = "failed"
    """It stopped and could not even roll back cleanly; the outcome says what is where."""


@dataclass(frozen=True)
class RolloutState:
    """One rollout of an app, recorded on the target after every step so a re-run resumes.

    `to_labels` / `from_labels` give the flat string form every target stores
    (Docker container labels, Kubernetes annotations); keys start with LABEL_PREFIX.
    """

    app: str
    revision: int
    """1 for the first rollout of the app, then +1 per rollout."""
    strategy: str
    """direct, blue-green or canary."""
    image: str
    """The image this rollout deploys."""
    previous_image: str | None
    """What served before it (None on a first deploy); what a rollback returns to."""
    replicas: int
    """How many instances the new version runs with at the end (the plan's baseline)."""
    plan_digest: str
    """A fingerprint of the plan; a re-run resumes only the same plan."""
    step_index: int
    """How many steps of the plan are done; the next step to run has this index."""
    weight: int
    """The candidate's traffic weight after the last step, percent."""
    status: RolloutStatus
    promoted: bool
    """Whether the promote step has run: past it a rollback is no longer possible, only the
    finalize step is left."""
    started_at: float
    """Seconds since the epoch."""
    updated_at: float
    holder: str = ""
    """Who ran the last step (the lease holder), for the report."""

    def advanced(
        self, *, step_index: int, weight: int, now: float, promoted: bool = False
    ) -> RolloutState:
        """The state after one more step."""
        return replace(
            self,
            step_index=step_index,
            weight=weight,
            updated_at=now,
            promoted=self.promoted or promoted,
        )

    def ended(self, status: RolloutStatus, *, weight: int, now: float) -> RolloutState:
        """The state of a rollout that is over."""
        return replace(self, status=status, weight=weight, updated_at=now)

    def to_labels(self) -> dict[str, str]:
        """The flat form targets store; every value a string."""
        values = {
            "app": self.app,
            "revision": str(self.revision),
            "strategy": self.strategy,
            "image": self.image,
            "previous-image": self.previous_image or "",
            "replicas": str(self.replicas),
            "plan-digest": self.plan_digest,
            "step-index": str(self.step_index),
            "weight": str(self.weight),
            "status": self.status.value,
            "promoted": "true" if self.promoted else "false",
            "started-at": f"{self.started_at:.3f}",
            "updated-at": f"{self.updated_at:.3f}",
            "holder": self.holder,
        }
        return {f"{LABEL_PREFIX}rollout-{key}": value for key, value in values.items()}

    @classmethod
    def from_labels(cls, labels: dict[str, str]) -> RolloutState | None:
        """Read back what `to_labels` wrote; None when the labels hold no (valid) state."""
        prefix = f"{LABEL_PREFIX}rollout-"
        got = {k[len(prefix) :]: v for k, v in labels.items() if k.startswith(prefix)}
        try:
            return cls(
                app=got["app"],
                revision=int(got["revision"]),
                strategy=got["strategy"],
                image=got["image"],
                previous_image=got["previous-image"] or None,
                replicas=int(got["replicas"]),
                plan_digest=got["plan-digest"],
                step_index=int(got["step-index"]),
                weight=int(got["weight"]),
                status=RolloutStatus(got["status"]),
                promoted=got["promoted"] == "true",
                started_at=float(got["started-at"]),
                updated_at=float(got["updated-at"]),
                holder=got.get("holder", ""),
            )
        except (KeyError, ValueError):
            return None


@dataclass(frozen=True)
class Lease:
    """The right to change an app on a target until `expires_at`; renewed at every step."""

    app: str
    holder: str
    """Who holds it: the workflow run (GITHUB_RUN_ID) or host:pid; a re-run of the same job
    is the same holder and takes its own lease back."""
    acquired_at: float
    expires_at: float
    """Seconds since the epoch; after it anyone may take the lease (a crashed job's lock ends)."""

    def expired(self, now: float) -> bool:
        """Whether another holder may take the lease at `now`."""
        return now >= self.expires_at

    def to_labels(self) -> dict[str, str]:
        """The flat form targets store."""
        return {
            f"{LABEL_PREFIX}lease-app": self.app,
            f"{LABEL_PREFIX}lease-holder": self.holder,
            f"{LABEL_PREFIX}lease-acquired-at": f"{self.acquired_at:.3f}",
            f"{LABEL_PREFIX}lease-expires-at": f"{self.expires_at:.3f}",
        }

    @classmethod
    def from_labels(cls, labels: dict[str, str]) -> Lease | None:
        """Read back what `to_labels` wrote; None when incomplete."""
        try:
            return cls(
                app=labels[f"{LABEL_PREFIX}lease-app"],
                holder=labels[f"{LABEL_PREFIX}lease-holder"],
                acquired_at=float(labels[f"{LABEL_PREFIX}lease-acquired-at"]),
                expires_at=float(labels[f"{LABEL_PREFIX}lease-expires-at"]),
            )
        except (KeyError, ValueError):
            return None


class LeaseHeldError(PavedError):
    """Another rollout of the app holds the lease and it has not expired: this one is refused."""

    exit_code = ExitCode.CHECK_FAILED

    def __init__(self, lease: Lease, *, now: float) -> None:
        left = max(0.0, lease.expires_at - now)
        super().__init__(
            f"another deploy of {lease.app} is in flight (lease held by {lease.holder}, "
            f"expires in {left:.0f} s); wait for it, or re-run that job to let it converge"
        )
        self.lease = lease


class DeployTarget(ABC):
    """A place apps run, with a router in front. One instance serves one target (a Docker
    engine + HAProxy, a Kubernetes namespace + router kind).

    Every method is idempotent: the executor may call it again after a crash or a re-run, and
    a second call with the same arguments must converge, not duplicate.
    """

    kind: str = ""
    """The target's name in outcomes and the CLI: docker, kubernetes."""

    @abstractmethod
    def check(self) -> str:
        """Make sure the target answers; return a one-line description of it (engine version,
        API server URL). Raise EnvironmentProblemError (exit 3) saying how to reach it."""

    @abstractmethod
    def observe(self, app: str) -> TargetView:
        """What runs for `app` now and where its traffic goes."""

    def preview(
        self,
        app: str,  # noqa: ARG002
        track: Track,  # noqa: ARG002
        image: str,  # noqa: ARG002
        replicas: int,  # noqa: ARG002
    ) -> tuple[dict[str, Any], ...]:
        """--dry-run: the objects the first apply would write, as the target's server accepted
        them without persisting anything; () for a target that has no such check."""
        return ()

    # --- state and lease -------------------------------------------------------------------

    @abstractmethod
    def read_state(self, app: str) -> RolloutState | None:
        """The last recorded rollout of `app`, or None when it never had one."""

    @abstractmethod
    def write_state(self, state: RolloutState) -> None:
        """Record `state` on the target (replacing the previous one for the app). A crash in
        the middle must leave either the old or the new state readable, never none."""

    @abstractmethod
    def acquire_lease(self, app: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        """Take (or renew) the app's lease until now + ttl_seconds. The same holder renews its
        own lease; an expired lease is taken over. Raise LeaseHeldError when another holder's
        lease has not expired. Two concurrent callers must not both succeed."""

    @abstractmethod
    def release_lease(self, lease: Lease) -> None:
        """Give the lease back (only if `lease.holder` still holds it)."""

    # --- the steps of a plan ---------------------------------------------------------------

    @abstractmethod
    def apply(self, app: str, track: Track, image: str, replicas: int, revision: int) -> None:
        """Run `image` with `replicas` instances on `track`, labelled with `revision`.

        CANDIDATE: create (or update) the candidate's workload beside the stable one; it gets
        no traffic until `set_traffic` gives it some.
        STABLE (the direct strategy): update the live workload in place, as the target's own
        rolling update does (Kubernetes: patch the Deployment; the Docker host: start the new
        containers beside the old ones, and `wait_ready(STABLE)` moves traffic once they are
        ready). It must not take away the old version's capacity before the new instances
        are ready; when they never are, leave the old version serving.
        """

    @abstractmethod
    def scale(self, app: str, track: Track, replicas: int) -> None:
        """Ask for `replicas` instances on `track` (blue-green: the idle color to the live
        count; a canary before it takes 100 %)."""

    @abstractmethod
    def wait_ready(self, app: str, track: Track, timeout_seconds: float) -> Readiness:
        """Wait until every instance on `track` is ready or the time is up, whichever first;
        readiness is the target's own (HEALTHCHECK, readinessProbe, an HTTP path)."""

    @abstractmethod
    def set_traffic(self, app: str, split: TrafficSplit) -> TrafficSplit:
        """Move traffic to `split` without dropping requests in flight; return the split the
        router really has (weights may round: replica ratio, HAProxy integer weights)."""

    @abstractmethod
    def endpoint(self, app: str, track: Track) -> HttpEndpoint | None:
        """What reaches only `track` for smoke checks (one container's published port; a
        track's Service, through the API server's service proxy from outside the cluster),
        with the client that can reach it; None when the target cannot offer one."""

    @abstractmethod
    def promote(self, app: str, image: str, timeout_seconds: float) -> None:
        """Make STABLE the new version with all traffic on it. Called after the candidate has
        taken 100 % and passed analysis. Kubernetes canary: set the primary Deployment to
        `image`, wait for it, route 100 % to it. Blue-green and the Docker host: the candidate
        becomes the stable track. Afterwards the previous version, if it still runs, is what
        `retire` removes."""

    @abstractmethod
    def retire(self, app: str) -> None:
        """Remove the previous version after a promotion (blue-green: scale the old color to
        0 and keep it; canary: remove the canary's workload). Never touches traffic."""

    @abstractmethod
    def remove(self, app: str, track: Track) -> None:
        """Rollback's second half: take `track`'s instances away (the executor has already put
        all traffic on the other track). Idempotent when nothing runs there."""


class Verdict(StrEnum):
    """What an analysis concluded."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    """Not enough data; the executor treats it as FAIL (never promote without data)."""


@dataclass(frozen=True)
class Measurement:
    """One number an analysis looked at, with the threshold it was held to."""

    name: str
    value: float | None
    """None when there was no data."""
    threshold: str = ""
    """e.g. '<= 5 %', '== 200'."""
    ok: bool = True


@dataclass(frozen=True)
class AnalysisRequest:
    """What to analyse: the app at one weight, for a window of time."""

    app: str
    weight: int
    """The candidate's traffic weight during the window."""
    window_seconds: float
    """How long to observe (a canary interval, blue-green's bake window); 0 = one look."""
    candidate: HttpEndpoint | None
    """Reaches only the candidate (from `DeployTarget.endpoint`), when the target has one."""
    stable: HttpEndpoint | None


@dataclass(frozen=True)
class AnalysisResult:
    """The verdict of one analysis and what it was based on."""

    verdict: Verdict
    measurements: tuple[Measurement, ...] = ()
    reason: str = ""
    seconds: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Only PASS lets a rollout go on."""
        return self.verdict is Verdict.PASS


class Analysis(ABC):
    """Judges a candidate between steps. deploy-strategy's default checks readiness and the
    HTTP smoke checks; rollback-guard implements it with metrics and SLOs."""

    @abstractmethod
    def analyse(self, request: AnalysisRequest) -> AnalysisResult:
        """Observe for the request's window (bounded by it) and give a verdict."""
