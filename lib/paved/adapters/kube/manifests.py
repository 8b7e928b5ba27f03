"""Manifests made ready for server-side apply (no I/O; unit-tested).

Server-side apply merges lists such as Service ports and container ports by their keys, which
include `protocol`. API servers before 1.22 reject an applied element that leaves a key field out
("associative list with keys has an element that omits key field protocol"), though `TCP` is the
default a plain create would fill in. paved writes that default itself, so a team's manifest
applies on every version unchanged in meaning.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_PROTOCOL = "TCP"
POD_TEMPLATE_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"})


def for_apply(manifest: dict[str, Any]) -> dict[str, Any]:
    """A copy with every list-map key that has a default written out."""
    result = copy.deepcopy(manifest)
    spec = result.get("spec")
    if not isinstance(spec, dict):
        return result
    kind = result.get("kind")
    if kind == "Service":
        _default_protocol(spec.get("ports"))
    pod_spec = None
    if kind == "Pod":
        pod_spec = spec
    elif kind in POD_TEMPLATE_KINDS:
        pod_spec = (spec.get("template") or {}).get("spec")
    elif kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec") or {}
        pod_spec = (job.get("template") or {}).get("spec")
    if isinstance(pod_spec, dict):
        for key in ("initContainers", "containers"):
            for container in pod_spec.get(key) or []:
                if isinstance(container, dict):
                    _default_protocol(container.get("ports"))
    return result


def _default_protocol(ports: object) -> None:
    if isinstance(ports, list):
        for port in ports:
            if isinstance(port, dict):
                port.setdefault("protocol", DEFAULT_PROTOCOL)
