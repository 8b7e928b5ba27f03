"""The objects the Kubernetes target derives from a team's plain Deployment and Service.

No I/O (unit-tested). Two layouts, as Flagger and Azure/k8s-deploy derive them:
- colors (blue-green through the Service selector, the seed's model): Deployments
  `<app>-blue` and `<app>-green` labelled `color`, the Service `<app>` selecting the live color,
  a preview Service `<app>-preview` selecting the idle one;
- tracks (canary, and blue-green through a weighted router): the primary Deployment `<app>`
  (`track: stable`) and `<app>-canary` (`track: canary`), Services `<app>-stable` and
  `<app>-canary` selecting one track each, the team's Service `<app>` selecting both, and the
  router object (Istio VirtualService + DestinationRule subsets, or a Gateway API HTTPRoute).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from paved.adapters.deploy.interface import LABEL_PREFIX, Track
from paved.errors import UsageError

Manifest = dict[str, Any]
COLOR_LABEL = "color"
TRACK_LABEL = "track"
COLORS = ("blue", "green")
REVISION_ANNOTATION = f"{LABEL_PREFIX}revision"
# Fields a live object carries that a manifest to apply must not.
SERVER_FIELDS = ("status",)
SERVER_METADATA = ("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields")


class KubeRouter(StrEnum):
    """How traffic is split between the two versions."""

    SERVICE = "service"
    """Blue-green: the Service selector switches from one color to the other (0 or 100 %)."""
    REPLICA_RATIO = "replica-ratio"
    """No mesh: the share of ready pods behind one Service."""
    ISTIO = "istio"
    GATEWAY_API = "gateway-api"


@dataclass(frozen=True)
class AppObjects:
    """One app's derived names and labels."""

    app: str
    namespace: str
    router: KubeRouter

    @property
    def state_name(self) -> str:
        """The ConfigMap whose annotations hold the rollout state and the lease."""
        return f"{self.app}-paved"

    def deployment_name(self, track: Track, stable_color: str) -> str:
        if self.router is KubeRouter.SERVICE:
            return f"{self.app}-{self.color(track, stable_color)}"
        return self.app if track is Track.STABLE else f"{self.app}-canary"

    @staticmethod
    def color(track: Track, stable_color: str) -> str:
        """blue or green: the stable color, or the other one for the candidate."""
        if track is Track.STABLE:
            return stable_color
        return COLORS[1] if stable_color == COLORS[0] else COLORS[0]

    def track_labels(self, track: Track, stable_color: str) -> dict[str, str]:
        if self.router is KubeRouter.SERVICE:
            return {COLOR_LABEL: self.color(track, stable_color)}
        return {TRACK_LABEL: "stable" if track is Track.STABLE else "canary"}

    def track_service(self, track: Track) -> str:
        """The Service that reaches only `track` (smoke checks, HTTPRoute backends)."""
        if self.router is KubeRouter.SERVICE:
            return self.app if track is Track.STABLE else f"{self.app}-preview"
        return f"{self.app}-stable" if track is Track.STABLE else f"{self.app}-canary"


def _clean(manifest: Manifest) -> Manifest:
    result = copy.deepcopy(manifest)
    for key in SERVER_FIELDS:
        result.pop(key, None)
    meta = result.setdefault("metadata", {})
    for key in SERVER_METADATA:
        meta.pop(key, None)
    return result


def base_labels(team_deployment: Manifest) -> dict[str, str]:
    """The team's selector labels (kept on every derived object)."""
    labels = ((team_deployment.get("spec") or {}).get("selector") or {}).get("matchLabels")
    if not labels:
        name = (team_deployment.get("metadata") or {}).get("name", "?")
        raise UsageError(
            f"Deployment {name} has no spec.selector.matchLabels",
            name="manifests",
            valid="a Deployment selecting its pods by matchLabels",
        )
    return {str(k): str(v) for k, v in labels.items()}


def deployment_for(
    team_deployment: Manifest,
    objects: AppObjects,
    track: Track,
    stable_color: str,
    *,
    image: str,
    replicas: int,
    revision: int,
) -> Manifest:
    """The team's Deployment as one track runs it: name, labels, image, replicas."""
    result = _clean(team_deployment)
    labels = {**base_labels(team_deployment), **objects.track_labels(track, stable_color)}
    meta = result["metadata"]
    meta["name"] = objects.deployment_name(track, stable_color)
    meta["namespace"] = objects.namespace
    meta["labels"] = {**(meta.get("labels") or {}), **labels}
    meta["annotations"] = {**(meta.get("annotations") or {}), REVISION_ANNOTATION: str(revision)}
    spec = result.setdefault("spec", {})
    spec["replicas"] = replicas
    spec["selector"] = {"matchLabels": labels}
    template = spec.setdefault("template", {})
    template_meta = template.setdefault("metadata", {})
    template_meta["labels"] = {**(template_meta.get("labels") or {}), **labels}
    containers = (template.get("spec") or {}).get("containers") or []
    if not containers:
        raise UsageError(
            f"Deployment {meta['name']} has no containers", name="manifests", valid="a pod template"
        )
    containers[0]["image"] = image
    return result


def service_for(
    team_service: Manifest, objects: AppObjects, name: str, selector: dict[str, str]
) -> Manifest:
    """The team's Service (its ports) under another name, selecting `selector`."""
    result = _clean(team_service)
    spec = result.setdefault("spec", {})
    for key in ("clusterIP", "clusterIPs"):
        spec.pop(key, None)
    result["metadata"] = {
        **{k: v for k, v in result["metadata"].items() if k in {"labels", "annotations"}},
        "name": name,
        "namespace": objects.namespace,
    }
    spec["selector"] = selector
    return result


def service_port(team_service: Manifest) -> int:
    ports = (team_service.get("spec") or {}).get("ports") or []
    if not ports:
        raise UsageError("the Service has no ports", name="manifests", valid="a Service with ports")
    return int(ports[0]["port"])


def virtualservice_for(objects: AppObjects) -> Manifest:
    """All traffic to the stable subset; the canary subset listed at weight 0."""
    host = objects.app
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "VirtualService",
        "metadata": {"name": objects.app, "namespace": objects.namespace},
        "spec": {
            "hosts": [host],
            "http": [
                {
                    "route": [
                        {"destination": {"host": host, "subset": "stable"}, "weight": 100},
                        {"destination": {"host": host, "subset": "canary"}, "weight": 0},
                    ]
                }
            ],
        },
    }


def destinationrule_for(objects: AppObjects) -> Manifest:
    return {
        "apiVersion": "networking.istio.io/v1beta1",
        "kind": "DestinationRule",
        "metadata": {"name": objects.app, "namespace": objects.namespace},
        "spec": {
            "host": objects.app,
            "subsets": [
                {"name": name, "labels": {TRACK_LABEL: name}} for name in ("stable", "canary")
            ],
        },
    }


def httproute_for(objects: AppObjects, gateway: str, port: int) -> Manifest:
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": objects.app, "namespace": objects.namespace},
        "spec": {
            "parentRefs": [{"name": gateway}],
            "rules": [
                {
                    "backendRefs": [
                        {"name": objects.track_service(Track.STABLE), "port": port, "weight": 100},
                        {"name": objects.track_service(Track.CANDIDATE), "port": port, "weight": 0},
                    ]
                }
            ],
        },
    }


def ratio_replicas(total: int, candidate_percent: int) -> tuple[int, int]:
    """(stable, canary) pods so the canary's share is near `candidate_percent` of `total`:
    the canary gets max(1, round(total * w / 100)), the stable track the rest but at least
    one pod until the canary takes 100 %."""
    if candidate_percent <= 0:
        return total, 0
    canary = min(total, max(1, round(total * candidate_percent / 100)))
    stable = 0 if candidate_percent >= 100 else max(total - canary, 1)  # noqa: PLR2004
    return stable, canary


def ratio_percent(stable: int, canary: int) -> int:
    """The canary's share of the pods, in whole percent."""
    total = stable + canary
    return round(100 * canary / total) if total else 0
