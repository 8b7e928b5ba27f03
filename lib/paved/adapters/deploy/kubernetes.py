"""The Kubernetes target: Deployments derived from the team's manifests, behind a router.

Speaks to the cluster only through paved.adapters.kube's `Cluster` (server-side apply as
`paved`, rollout status as the Deployment controller reports it). The rollout state, the lease
and which color is live are annotations of one ConfigMap per app (`<app>-paved`): on the
target, so a re-run on any runner reads the same truth; the lease is a compare-and-swap on that
object's resourceVersion, so two jobs cannot both take it. Old colors are scaled to 0, never
deleted; a canary's Deployment is deleted once traffic is off it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paved.adapters.deploy import kube_manifests
from paved.adapters.deploy import kube_objects as objs
from paved.adapters.deploy.interface import (
    LABEL_PREFIX,
    DeployTarget,
    Lease,
    LeaseHeldError,
    Readiness,
    RolloutState,
    TargetView,
    Track,
    TrafficSplit,
    Workload,
)
from paved.adapters.deploy.kube_objects import AppObjects, KubeRouter
from paved.adapters.http.interface import HttpEndpoint
from paved.adapters.kube.interface import (
    AlreadyExistsError,
    ConflictError,
    ObjectRef,
    RolloutPhase,
    deployment,
)
from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from paved.adapters.http.interface import HttpClient
    from paved.adapters.kube.interface import Cluster, Manifest

STABLE_COLOR = f"{LABEL_PREFIX}stable-color"
ROUTER_KINDS = {
    KubeRouter.ISTIO: (
        ("networking.istio.io/v1beta1", "VirtualService"),
        ("networking.istio.io/v1beta1", "DestinationRule"),
    ),
    KubeRouter.GATEWAY_API: (("gateway.networking.k8s.io/v1", "HTTPRoute"),),
}
_LEASE_ATTEMPTS = 5


@dataclass(frozen=True)
class KubernetesSettings:
    """Where the app runs and what the team's manifests say about it."""

    namespace: str
    deployment: dict[str, Any]
    """The team's Deployment: pod template, probes, ports; paved sets name, labels, image."""
    service: dict[str, Any]
    """The team's Service: its ports; paved sets the selectors."""
    router: KubeRouter = KubeRouter.REPLICA_RATIO
    gateway: str = "gateway"
    """The Gateway an HTTPRoute attaches to (router gateway-api)."""
    others: tuple[dict[str, Any], ...] = ()
    """Every other object of the manifests, applied as it is."""
    poll_seconds: float = 0.25
    smoke_through_proxy: bool = True
    """Smoke checks reach a track's Service through the API server's service proxy (a runner
    outside the cluster, where `<svc>.<ns>.svc` does not resolve); False: by cluster DNS."""

    @property
    def replicas(self) -> int | None:
        """The team's spec.replicas (what a first deploy starts), None when it has none."""
        value = (self.deployment.get("spec") or {}).get("replicas")
        return value if isinstance(value, int) and value > 0 else None

    @classmethod
    def from_manifests(
        cls,
        path: Path,
        namespace: str,
        router: KubeRouter,
        gateway: str = "gateway",
        *,
        smoke_through_proxy: bool = True,
    ) -> KubernetesSettings:
        """Settings from the team's manifest file or folder (kube_manifests.load)."""
        team = kube_manifests.load(path)
        return cls(
            namespace,
            team.deployment,
            team.service,
            router,
            gateway,
            team.others,
            smoke_through_proxy=smoke_through_proxy,
        )


class KubernetesTarget(DeployTarget):
    """One app in one namespace of one cluster."""

    kind = "kubernetes"

    def __init__(self, cluster: Cluster, settings: KubernetesSettings, http: HttpClient) -> None:
        self.cluster = cluster
        self.settings = settings
        self.http = http  # for cluster DNS names, from a runner inside the cluster

    def _objects(self, app: str) -> AppObjects:
        return AppObjects(app, self.settings.namespace, self.settings.router)

    def _state_ref(self, app: str) -> ObjectRef:
        return ObjectRef("v1", "ConfigMap", self.settings.namespace, self._objects(app).state_name)

    def _state_object(self, app: str) -> Manifest | None:
        return self.cluster.get(self._state_ref(app))

    def _annotations(self, app: str) -> dict[str, str]:
        live = self._state_object(app)
        return dict(((live or {}).get("metadata") or {}).get("annotations") or {})

    def _stable_color(self, app: str) -> str:
        return self._annotations(app).get(STABLE_COLOR, objs.COLORS[0])

    def _name(self, app: str, track: Track) -> str:
        return self._objects(app).deployment_name(track, self._stable_color(app))

    def _live(self, app: str, track: Track) -> Manifest | None:
        return self.cluster.get(deployment(self.settings.namespace, self._name(app, track)))

    # --- DeployTarget: looking ---------------------------------------------------------------

    def check(self) -> str:
        version = self.cluster.server_version()
        # A router whose CRDs are missing is exit 3 before anything is applied.
        for api_version, kind in ROUTER_KINDS.get(self.settings.router, ()):
            self.cluster.get(ObjectRef(api_version, kind, self.settings.namespace, "paved-check"))
        where = f"namespace {self.settings.namespace}, router {self.settings.router}"
        return f"Kubernetes {version}, {where}"

    def observe(self, app: str) -> TargetView:
        stable = self._workload(Track.STABLE, self._live(app, Track.STABLE))
        candidate = self._workload(Track.CANDIDATE, self._live(app, Track.CANDIDATE))
        if candidate is not None and candidate.replicas == 0:
            candidate = None  # a color scaled to 0 is kept for rollback, it runs nothing
        weight = self._weight(app) if candidate is not None else 0
        return TargetView(app, stable, candidate, TrafficSplit(weight))

    @staticmethod
    def _workload(track: Track, live: Manifest | None) -> Workload | None:
        if live is None:
            return None
        containers = live["spec"]["template"]["spec"]["containers"]
        revision = (live["metadata"].get("annotations") or {}).get(objs.REVISION_ANNOTATION)
        return Workload(
            track=track,
            image=str(containers[0]["image"]),
            replicas=int(live["spec"].get("replicas", 0)),
            ready_replicas=int((live.get("status") or {}).get("readyReplicas", 0)),
            revision=int(revision) if revision and revision.isdigit() else None,
        )

    def _weight(self, app: str) -> int:
        """The candidate's share as the router has it now."""
        namespace, router = self.settings.namespace, self.settings.router
        objects = self._objects(app)
        if router is KubeRouter.SERVICE:
            service = self.cluster.get(ObjectRef("v1", "Service", namespace, app)) or {}
            selector = (service.get("spec") or {}).get("selector") or {}
            live_color = selector.get(objs.COLOR_LABEL)
            return (
                100 if live_color == objects.color(Track.CANDIDATE, self._stable_color(app)) else 0
            )
        if router is KubeRouter.ISTIO:
            return self.cluster.virtualservice_weights(namespace, app).get("canary", 0)
        if router is KubeRouter.GATEWAY_API:
            weights = self.cluster.httproute_weights(namespace, app)
            stable = weights.get(objects.track_service(Track.STABLE), 0)
            canary = weights.get(objects.track_service(Track.CANDIDATE), 0)
            return objs.ratio_percent(stable, canary)
        stable_pods = self._workload(Track.STABLE, self._live(app, Track.STABLE))
        canary_pods = self._workload(Track.CANDIDATE, self._live(app, Track.CANDIDATE))
        return objs.ratio_percent(
            stable_pods.ready_replicas if stable_pods else 0,
            canary_pods.ready_replicas if canary_pods else 0,
        )

    def endpoint(self, app: str, track: Track) -> HttpEndpoint | None:
        namespace = self.settings.namespace
        service = self._objects(app).track_service(track)
        team = self.settings.service
        if not (team.get("spec") or {}).get("ports"):
            # rollback-guard knows no manifests: the port is the live Service's.
            team = self.cluster.get(ObjectRef("v1", "Service", namespace, service)) or {}
            if not (team.get("spec") or {}).get("ports"):
                return None
        port = objs.service_port(team)
        if self.settings.smoke_through_proxy:
            return self.cluster.service_proxy(namespace, service, port)
        return HttpEndpoint(f"http://{service}.{namespace}.svc:{port}", self.http)

    # --- state and lease ----------------------------------------------------------------------

    def read_state(self, app: str) -> RolloutState | None:
        return RolloutState.from_labels(self._annotations(app))

    def write_state(self, state: RolloutState) -> None:
        self._ensure_state_object(state.app)
        # One merge patch: the old state or the new one, never a mix.
        self.cluster.annotate(self._state_ref(state.app), dict(state.to_labels()))

    def _ensure_state_object(self, app: str) -> Manifest:
        live = self._state_object(app)
        if live is not None:
            return live
        ref = self._state_ref(app)
        manifest = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": ref.name, "namespace": ref.namespace},
            "data": {"about": "paved's rollout state and lease for this app, in annotations"},
        }
        try:
            return self.cluster.create(manifest)
        except AlreadyExistsError:
            return self.cluster.get(ref) or manifest

    def acquire_lease(self, app: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        lease = Lease(app, holder, now, now + ttl_seconds)
        for _ in range(_LEASE_ATTEMPTS):
            live = self._ensure_state_object(app)
            meta = live.get("metadata") or {}
            held = Lease.from_labels(dict(meta.get("annotations") or {}))
            if held is not None and held.holder != holder and not held.expired(now):
                raise LeaseHeldError(held, now=now)
            try:
                self.cluster.annotate(
                    self._state_ref(app),
                    dict(lease.to_labels()),
                    resource_version=str(meta.get("resourceVersion", "")),
                )
            except ConflictError:
                continue  # someone wrote in between: look again
            return lease
        raise EnvironmentProblemError(f"the lease of {app} kept changing under paved")

    def release_lease(self, lease: Lease) -> None:
        live = self._state_object(lease.app)
        if live is None:
            return
        held = Lease.from_labels(dict(live["metadata"].get("annotations") or {}))
        if held is None or held.holder != lease.holder:
            return
        try:
            self.cluster.annotate(
                self._state_ref(lease.app),
                dict.fromkeys(lease.to_labels()),
                resource_version=str(live["metadata"]["resourceVersion"]),
            )
        except ConflictError:
            return  # taken over meanwhile: it is not ours to release

    # --- steps ----------------------------------------------------------------------------------

    def apply(self, app: str, track: Track, image: str, replicas: int, revision: int) -> None:
        objects, color = self._objects(app), self._stable_color(app)
        for other in self.settings.others:
            self.cluster.apply(other)
        self.cluster.apply(self._deployment(objects, color, track, image, replicas, revision))
        self._ensure_routing(objects, color)

    def _deployment(  # noqa: PLR0917 - the derived object's every coordinate
        self,
        objects: AppObjects,
        color: str,
        track: Track,
        image: str,
        replicas: int,
        revision: int,
    ) -> Manifest:
        return objs.deployment_for(
            self.settings.deployment,
            objects,
            track,
            color,
            image=image,
            replicas=replicas,
            revision=revision,
        )

    def preview(
        self, app: str, track: Track, image: str, replicas: int
    ) -> tuple[dict[str, Any], ...]:
        """What apply would write, through the API server's dry run (dryRun=All): defaults
        filled in, admission and validation run, nothing stored."""
        objects, color = self._objects(app), self._stable_color(app)
        state = self.read_state(app)
        revision = (state.revision if state else 0) + 1
        manifest = self._deployment(objects, color, track, image, replicas, revision)
        missing = [
            m for m in self._routing(objects, color) if self.cluster.get(ObjectRef.of(m)) is None
        ]
        wanted = [*self.settings.others, manifest, *missing]
        return tuple(self.cluster.apply(m, dry_run=True) for m in wanted)

    def _routing(self, objects: AppObjects, color: str) -> list[Manifest]:
        """The Services and router objects the app needs."""
        base = objs.base_labels(self.settings.deployment)
        wanted: list[Manifest] = []
        for track in (Track.STABLE, Track.CANDIDATE):
            selector = {**base, **objects.track_labels(track, color)}
            name = objects.track_service(track)
            wanted.append(objs.service_for(self.settings.service, objects, name, selector))
        if objects.router is not KubeRouter.SERVICE:
            wanted.append(objs.service_for(self.settings.service, objects, objects.app, base))
        if objects.router is KubeRouter.ISTIO:
            wanted += [objs.virtualservice_for(objects), objs.destinationrule_for(objects)]
        if objects.router is KubeRouter.GATEWAY_API:
            port = objs.service_port(self.settings.service)
            wanted.append(objs.httproute_for(objects, self.settings.gateway, port))
        return wanted

    def _ensure_routing(self, objects: AppObjects, color: str) -> None:
        """Services and router objects, created once: later, only set_traffic moves traffic."""
        for manifest in self._routing(objects, color):
            live = self.cluster.get(ObjectRef.of(manifest))
            if live is None:
                self.cluster.apply(manifest)
            elif objects.router is KubeRouter.SERVICE and not _selects_a_color(live):
                # The team's own Service from before paved: it must select one color only.
                selector = manifest["spec"]["selector"]
                self.cluster.set_service_selector(
                    objects.namespace, live["metadata"]["name"], selector
                )

    def scale(self, app: str, track: Track, replicas: int) -> None:
        self.cluster.scale(self.settings.namespace, self._name(app, track), replicas)

    def wait_ready(self, app: str, track: Track, timeout_seconds: float) -> Readiness:
        started = time.monotonic()
        name = self._name(app, track)
        status = self.cluster.wait_for_rollout(
            self.settings.namespace,
            name,
            timeout_seconds=timeout_seconds,
            poll_seconds=self.settings.poll_seconds,
        )
        history = self.cluster.history(self.settings.namespace, name)
        newest = history[-1] if history else None
        ready = (
            status.desired
            if status.phase is RolloutPhase.COMPLETE
            else (newest.ready if newest else 0)
        )
        detail = ""
        if status.phase is not RolloutPhase.COMPLETE:
            detail = f"Deployment {name}: {status.phase.value}"
            if status.progressing_message:
                detail += f" ({status.progressing_message})"
        return Readiness(track, ready, status.desired, time.monotonic() - started, detail)

    def set_traffic(self, app: str, split: TrafficSplit) -> TrafficSplit:
        namespace, router = self.settings.namespace, self.settings.router
        objects = self._objects(app)
        weight = split.candidate_weight
        if router is KubeRouter.SERVICE:
            if weight not in {0, 100}:
                raise UsageError(
                    f"the service router switches all traffic at once, not {weight} %",
                    name="router",
                    valid="istio, gateway-api or replica-ratio for canary weights",
                )
            color = self._stable_color(app)
            track = Track.CANDIDATE if weight == 100 else Track.STABLE  # noqa: PLR2004
            selector = {
                **objs.base_labels(self.settings.deployment),
                **objects.track_labels(track, color),
            }
            self.cluster.set_service_selector(namespace, app, selector)
            return split
        if router is KubeRouter.ISTIO:
            self.cluster.set_virtualservice_weights(
                namespace, app, {"stable": split.stable_weight, "canary": weight}
            )
            return split
        if router is KubeRouter.GATEWAY_API:
            self.cluster.set_httproute_weights(
                namespace,
                app,
                {
                    objects.track_service(Track.STABLE): split.stable_weight,
                    objects.track_service(Track.CANDIDATE): weight,
                },
            )
            return split
        return self._set_ratio(app, weight)

    def _set_ratio(self, app: str, weight: int) -> TrafficSplit:
        """Replica ratio: grow the side that gains first and wait for it, then shrink the other."""
        state = self.read_state(app)
        stable_live = self._workload(Track.STABLE, self._live(app, Track.STABLE))
        total = state.replicas if state else (stable_live.replicas if stable_live else 1)
        stable, canary = objs.ratio_replicas(total, weight)
        canary_live = self._workload(Track.CANDIDATE, self._live(app, Track.CANDIDATE))
        order = [(Track.CANDIDATE, canary), (Track.STABLE, stable)]
        if canary_live is None or canary < canary_live.replicas:
            order.reverse()
        for track, replicas in order:
            if track is Track.CANDIDATE and canary_live is None:
                continue
            self.scale(app, track, replicas)
            if replicas > 0:
                self.wait_ready(app, track, timeout_seconds=60.0)
        return TrafficSplit(objs.ratio_percent(stable, canary if canary_live else 0))

    def promote(self, app: str, image: str, timeout_seconds: float) -> None:
        namespace = self.settings.namespace
        objects = self._objects(app)
        if self.settings.router is KubeRouter.SERVICE:
            new_color = objects.color(Track.CANDIDATE, self._stable_color(app))
            self._ensure_state_object(app)
            self.cluster.annotate(self._state_ref(app), {STABLE_COLOR: new_color})
            self.set_traffic(app, TrafficSplit.stable_only())  # the live Service: the new color
            selector = {
                **objs.base_labels(self.settings.deployment),
                **objects.track_labels(Track.CANDIDATE, new_color),
            }
            self.cluster.set_service_selector(
                namespace, objects.track_service(Track.CANDIDATE), selector
            )
            return
        state = self.read_state(app)
        candidate = self._workload(Track.CANDIDATE, self._live(app, Track.CANDIDATE))
        replicas = state.replicas if state else (candidate.replicas if candidate else 1)
        revision = state.revision if state else 0
        self.apply(app, Track.STABLE, image, replicas, revision)
        ready = self.wait_ready(app, Track.STABLE, timeout_seconds)
        if not ready.ok:
            # The canary keeps serving; put the primary back the way `rollout undo` does.
            self.cluster.undo(namespace, self._name(app, Track.STABLE))
            raise EnvironmentProblemError(
                f"promoting {image} to the primary failed: {ready.detail}"
            )
        self.set_traffic(app, TrafficSplit.stable_only())

    def retire(self, app: str) -> None:
        if self.settings.router is KubeRouter.SERVICE:
            old = self._live(app, Track.CANDIDATE)  # after promote, the other color is the old one
            if old is not None:
                self.scale(app, Track.CANDIDATE, 0)
            return
        self.cluster.delete(deployment(self.settings.namespace, self._name(app, Track.CANDIDATE)))

    def remove(self, app: str, track: Track) -> None:
        live = self._live(app, track)
        if live is None:
            return
        if self.settings.router is KubeRouter.SERVICE or track is Track.STABLE:
            self.scale(app, track, 0)  # kept for a later rollback, never deleted
            return
        self.cluster.delete(deployment(self.settings.namespace, self._name(app, track)))


def _selects_a_color(service: Manifest) -> bool:
    return objs.COLOR_LABEL in ((service.get("spec") or {}).get("selector") or {})
