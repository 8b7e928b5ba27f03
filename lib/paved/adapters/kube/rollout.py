"""Rollout status and rollback, decided from the objects alone (no I/O; unit-tested).

The status follows the Deployment controller's own reporting, checked in the order
`kubectl rollout status` checks it; the rollback chooses and builds the change the way
`kubectl rollout undo` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paved.adapters.kube.interface import (
    REVISION_ANNOTATION,
    STATE_PREFIX,
    Revision,
    RollbackImpossibleError,
    RolloutPhase,
    RolloutStatus,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

TEMPLATE_HASH_LABEL = "pod-template-hash"
# Annotations that belong to the Deployment itself, never copied from a ReplicaSet on undo.
OWN_ANNOTATIONS = frozenset(
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        REVISION_ANNOTATION,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "apps.kubernetes.io/deprecated.daemonset.template.generation",
    }
)


def revision_of(obj: Mapping[str, Any]) -> int | None:
    """The deployment.kubernetes.io/revision annotation as a number."""
    value = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION_ANNOTATION)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def images_of(template: Mapping[str, Any]) -> tuple[str, ...]:
    """The images of a pod template's containers."""
    containers = (template.get("spec") or {}).get("containers") or []
    return tuple(str(c.get("image", "")) for c in containers)


def status_of(deployment: Mapping[str, Any]) -> RolloutStatus:
    """Judge a Deployment's rollout from its spec and the status the controller wrote."""
    meta, spec = deployment.get("metadata") or {}, deployment.get("spec") or {}
    status = deployment.get("status") or {}
    generation = int(meta.get("generation", 0))
    observed = int(status.get("observedGeneration", 0))
    desired = int(spec.get("replicas", 1))
    replicas = int(status.get("replicas", 0))
    updated = int(status.get("updatedReplicas", 0))
    available = int(status.get("availableReplicas", 0))
    progressing: Mapping[str, Any] = next(
        (c for c in status.get("conditions") or [] if c.get("type") == "Progressing"), {}
    )
    if generation > observed:
        phase = RolloutPhase.WAITING_FOR_CONTROLLER
    elif progressing.get("reason") == "ProgressDeadlineExceeded":
        phase = RolloutPhase.DEADLINE_EXCEEDED
    elif updated < desired:
        phase = RolloutPhase.UPDATING
    elif replicas > updated:
        phase = RolloutPhase.TERMINATING_OLD
    elif available < updated:
        phase = RolloutPhase.WAITING_AVAILABLE
    else:
        phase = RolloutPhase.COMPLETE
    return RolloutStatus(
        namespace=str(meta.get("namespace", "")),
        name=str(meta.get("name", "")),
        phase=phase,
        generation=generation,
        observed_generation=observed,
        desired=desired,
        replicas=replicas,
        updated=updated,
        ready=int(status.get("readyReplicas", 0)),
        available=available,
        revision=revision_of(deployment),
        images=images_of(spec.get("template") or {}),
        progressing_reason=progressing.get("reason"),
        progressing_message=progressing.get("message"),
    )


def owned_by(replica_sets: Iterable[Mapping[str, Any]], owner_uid: str) -> list[Mapping[str, Any]]:
    """The ReplicaSets whose controller is the Deployment with `owner_uid`."""
    return [
        rs
        for rs in replica_sets
        if any(
            ref.get("uid") == owner_uid and ref.get("controller")
            for ref in (rs.get("metadata") or {}).get("ownerReferences") or []
        )
    ]


def history_of(replica_sets: Iterable[Mapping[str, Any]]) -> tuple[Revision, ...]:
    """One Revision per ReplicaSet that carries a revision number, oldest first."""
    revisions = [
        Revision(
            number=number,
            replica_set=str(rs["metadata"]["name"]),
            images=images_of((rs.get("spec") or {}).get("template") or {}),
            replicas=int((rs.get("spec") or {}).get("replicas", 0)),
            ready=int((rs.get("status") or {}).get("readyReplicas", 0)),
        )
        for rs in replica_sets
        if (number := revision_of(rs)) is not None
    ]
    return tuple(sorted(revisions, key=lambda r: r.number))


def rollback_target(
    deployment: Mapping[str, Any],
    replica_sets: Iterable[Mapping[str, Any]],
    to_revision: int | None,
) -> Mapping[str, Any]:
    """The ReplicaSet to roll back to: `to_revision`, else the one before the newest."""
    name = (deployment.get("metadata") or {}).get("name", "")
    if (deployment.get("spec") or {}).get("paused"):
        msg = f"Deployment {name} is paused: resume it before rolling back"
        raise RollbackImpossibleError(msg)
    numbered = sorted(
        ((n, rs) for rs in replica_sets if (n := revision_of(rs)) is not None),
        key=lambda pair: pair[0],
    )
    if to_revision is not None:
        for number, rs in numbered:
            if number == to_revision:
                return rs
        known = ", ".join(str(n) for n, _ in numbered) or "none"
        msg = f"Deployment {name} has no revision {to_revision}"
        raise RollbackImpossibleError(msg, valid=known)
    if len(numbered) < 2:  # noqa: PLR2004 - the newest and one before it
        msg = f"Deployment {name} has no earlier revision to roll back to"
        raise RollbackImpossibleError(msg)
    return numbered[-2][1]


def without_template_hash(template: Mapping[str, Any]) -> dict[str, Any]:
    """A ReplicaSet's pod template as the Deployment would carry it."""
    copy = dict(template)
    meta = dict(copy.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != TEMPLATE_HASH_LABEL}
    meta["labels"] = labels
    copy["metadata"] = meta
    return copy


def rollback_patch(
    deployment: Mapping[str, Any], replica_set: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The JSON patch `rollout undo` sends, guarded by the resourceVersion it was read at.

    The pod template comes from the ReplicaSet (without its pod-template-hash label); the
    annotations are the ReplicaSet's, except the Deployment's own ones and paved's state,
    which stay as they are.
    """
    meta = deployment.get("metadata") or {}
    current = meta.get("annotations") or {}
    annotations = {
        k: v for k, v in current.items() if k in OWN_ANNOTATIONS or k.startswith(STATE_PREFIX)
    }
    copied = (replica_set.get("metadata") or {}).get("annotations") or {}
    annotations.update(
        {
            k: v
            for k, v in copied.items()
            if k not in OWN_ANNOTATIONS and not k.startswith(STATE_PREFIX)
        }
    )
    template = without_template_hash((replica_set.get("spec") or {}).get("template") or {})
    return [
        {"op": "replace", "path": "/metadata/resourceVersion", "value": meta["resourceVersion"]},
        {"op": "add", "path": "/spec/template", "value": template},
        {"op": "add", "path": "/metadata/annotations", "value": annotations},
    ]


def same_template(deployment: Mapping[str, Any], replica_set: Mapping[str, Any]) -> bool:
    """Whether the Deployment already runs the ReplicaSet's template (undo would be a no-op)."""
    live = without_template_hash((deployment.get("spec") or {}).get("template") or {})
    target = without_template_hash((replica_set.get("spec") or {}).get("template") or {})
    return live == target
