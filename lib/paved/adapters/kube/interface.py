"""The Kubernetes interface: what deploy-strategy asks of a cluster.

Objects travel as plain JSON mappings (the API server's own form); what paved decides on
(rollout status, revisions, traffic weights) comes back as frozen dataclasses. Backends raise
paved.errors types only: EnvironmentProblemError (exit 3) when the API server is unreachable,
a CRD is missing (MissingApiError) or the token lacks a permission (AccessDeniedError);
UsageError (exit 2) when the server rejects an object (ObjectRejectedError) or an object paved
was told to change does not exist (ObjectNotFoundError).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from paved.errors import EnvironmentProblemError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from paved.adapters.http.interface import HttpEndpoint

FIELD_MANAGER = "paved"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
STATE_PREFIX = "paved.dev/"
"""Annotations paved records its rollout state under (kept across a rollback)."""

Manifest = dict[str, Any]


@dataclass(frozen=True)
class ObjectRef:
    """One object: apiVersion + kind say which API, namespace + name which object."""

    api_version: str
    kind: str
    namespace: str | None
    name: str

    @classmethod
    def of(cls, manifest: Mapping[str, Any], default_namespace: str | None = None) -> ObjectRef:
        """The reference of a manifest (its namespace, else `default_namespace`)."""
        meta = manifest.get("metadata") or {}
        return cls(
            api_version=str(manifest.get("apiVersion", "")),
            kind=str(manifest.get("kind", "")),
            namespace=meta.get("namespace") or default_namespace,
            name=str(meta.get("name", "")),
        )

    def __str__(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


def deployment(namespace: str, name: str) -> ObjectRef:
    """The reference of an apps/v1 Deployment."""
    return ObjectRef("apps/v1", "Deployment", namespace, name)


class RolloutPhase(StrEnum):
    """Where a Deployment's rollout is, in the order `kubectl rollout status` checks."""

    WAITING_FOR_CONTROLLER = "waiting-for-controller"
    """The controller has not observed the latest spec (observedGeneration < generation)."""
    UPDATING = "updating"
    """Fewer updated replicas than desired."""
    TERMINATING_OLD = "terminating-old"
    """Old replicas still exist beside the updated ones."""
    WAITING_AVAILABLE = "waiting-available"
    """Updated replicas exist but not all are available yet."""
    COMPLETE = "complete"
    DEADLINE_EXCEEDED = "deadline-exceeded"
    """The Progressing condition says ProgressDeadlineExceeded: the rollout failed."""

    @property
    def finished(self) -> bool:
        """Whether waiting longer cannot change the verdict."""
        return self in {RolloutPhase.COMPLETE, RolloutPhase.DEADLINE_EXCEEDED}


@dataclass(frozen=True)
class RolloutStatus:
    """A Deployment's rollout as the Deployment controller reports it."""

    namespace: str
    name: str
    phase: RolloutPhase
    generation: int
    observed_generation: int
    desired: int
    """spec.replicas."""
    replicas: int
    """status.replicas: every pod the Deployment owns, old and new."""
    updated: int
    ready: int
    available: int
    revision: int | None
    """The live revision (deployment.kubernetes.io/revision)."""
    images: tuple[str, ...]
    """The pod template's container images, in order."""
    progressing_reason: str | None = None
    progressing_message: str | None = None


@dataclass(frozen=True)
class Revision:
    """One entry of a Deployment's rollout history: a ReplicaSet it owns."""

    number: int
    replica_set: str
    images: tuple[str, ...]
    replicas: int
    ready: int = 0
    """Ready pods of this ReplicaSet (status.readyReplicas)."""


class MissingApiError(EnvironmentProblemError):
    """The cluster does not serve a kind paved needs (its CRD is not installed)."""

    def __init__(self, api_version: str, kind: str, install: str) -> None:
        super().__init__(
            f"the cluster does not serve {kind} ({api_version})", hint=f"install {install}"
        )
        self.api_version = api_version
        self.kind = kind


class AccessDeniedError(EnvironmentProblemError):
    """The token may not do what paved needs (RBAC answered 403)."""

    def __init__(self, verb: str, resource: str, namespace: str | None, detail: str) -> None:
        where = f" in namespace {namespace}" if namespace else ""
        super().__init__(
            f"the Kubernetes token may not {verb} {resource}{where} ({detail})",
            hint=f"grant the verb {verb} on {resource} to its Role or ClusterRole",
        )
        self.verb = verb
        self.resource = resource


class ObjectRejectedError(UsageError):
    """The API server refused an object as invalid (422); `causes` are its field messages."""

    def __init__(self, ref: ObjectRef, causes: tuple[str, ...], message: str) -> None:
        text = "; ".join(causes) if causes else message
        super().__init__(f"the API server rejected {ref}: {text}")
        self.ref = ref
        self.causes = causes


class ObjectNotFoundError(UsageError):
    """An object paved was told to read or change does not exist."""

    def __init__(self, ref: ObjectRef) -> None:
        super().__init__(f"{ref} does not exist")
        self.ref = ref


class ConflictError(EnvironmentProblemError):
    """The object changed under paved (409) more often than it retries, or a field conflict."""


class AlreadyExistsError(ConflictError):
    """A create found the object there already (someone else created it first)."""


class RollbackImpossibleError(UsageError):
    """`rollout undo` has nothing to go back to (no earlier revision, or paused)."""


class Cluster(ABC):
    """A Kubernetes API server, spoken to as one identity."""

    @abstractmethod
    def server_version(self) -> str:
        """The API server's gitVersion; also how paved checks it is reachable."""

    @abstractmethod
    def apply(
        self, manifest: Mapping[str, Any], *, force: bool = True, dry_run: bool = False
    ) -> Manifest:
        """Server-side apply as field manager `paved`; `force` takes fields paved owns;
        `dry_run` is the server's dryRun=All (validated, admitted, not persisted)."""

    @abstractmethod
    def create(self, manifest: Mapping[str, Any]) -> Manifest:
        """Create the object; AlreadyExistsError when it exists (how a lease is taken first)."""

    @abstractmethod
    def get(self, ref: ObjectRef) -> Manifest | None:
        """The live object, or None when it does not exist."""

    @abstractmethod
    def delete(self, ref: ObjectRef) -> bool:
        """Delete (foreground); False when it was already gone."""

    @abstractmethod
    def scale(self, namespace: str, name: str, replicas: int) -> None:
        """Set a Deployment's spec.replicas."""

    @abstractmethod
    def rollout_status(self, namespace: str, name: str) -> RolloutStatus:
        """A Deployment's rollout, judged the way the controller and kubectl do."""

    @abstractmethod
    def wait_for_rollout(
        self, namespace: str, name: str, *, timeout_seconds: float, poll_seconds: float = 0.25
    ) -> RolloutStatus:
        """Poll until the rollout is complete or has failed; the last status on timeout."""

    @abstractmethod
    def history(self, namespace: str, name: str) -> tuple[Revision, ...]:
        """The Deployment's revisions, oldest first."""

    @abstractmethod
    def undo(self, namespace: str, name: str, *, to_revision: int | None = None) -> Revision:
        """Roll back as `kubectl rollout undo` does; return the revision whose template is live."""

    @abstractmethod
    def set_service_selector(self, namespace: str, name: str, selector: Mapping[str, str]) -> None:
        """Make the Service select exactly `selector`."""

    @abstractmethod
    def httproute_weights(self, namespace: str, name: str) -> dict[str, int]:
        """backendRef name -> weight in a Gateway API HTTPRoute."""

    @abstractmethod
    def set_httproute_weights(self, namespace: str, name: str, weights: Mapping[str, int]) -> None:
        """Set backendRef weights in every rule that routes to the named backends."""

    @abstractmethod
    def virtualservice_weights(self, namespace: str, name: str) -> dict[str, int]:
        """Destination subset -> weight in an Istio VirtualService."""

    @abstractmethod
    def set_virtualservice_weights(
        self, namespace: str, name: str, weights: Mapping[str, int]
    ) -> None:
        """Set route weights by destination subset in every HTTP route of the VirtualService."""

    @abstractmethod
    def service_proxy(self, namespace: str, service: str, port: int | str) -> HttpEndpoint:
        """The Service's port through the API server's service proxy, with this client's
        credentials (for a runner outside the cluster). Its client answers the app's responses
        as they are, the API server's own (no ready endpoints) as a failed response that says
        why, and raises AccessDeniedError when the token may not get services/proxy."""

    @abstractmethod
    def annotations(self, ref: ObjectRef) -> dict[str, str]:
        """The object's annotations."""

    @abstractmethod
    def annotate(
        self,
        ref: ObjectRef,
        changes: Mapping[str, str | None],
        *,
        resource_version: str | None = None,
    ) -> None:
        """Set annotations (None removes one); how paved records rollout state.

        With `resource_version`, only if the object is still at that version (ConflictError
        otherwise, not retried): a compare-and-swap for leases.
        """
